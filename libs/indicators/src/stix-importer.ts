import { z } from 'zod';
import { type ImportError, type ImportResult, readJsonDocument } from './import-result';
import { isRecord } from './is-record';
import { parseIndicator, type Indicator } from './indicator.schema';
import type { IndicatorType } from './indicator-type';
import { parseStixPattern, type StixComparison } from './stix-pattern';
import { standardTlpMarkings, tlpOfMarkingDefinition } from './stix-tlp-markings';
import { stricterTlp, type Tlp } from './tlp';

export interface StixImportOptions {
  /** Source name for every indicator; default: the bundle identity named by `created_by_ref`. */
  readonly source?: string;
  /** TLP for indicators without a TLP marking; default amber (unmarked intel is not public). */
  readonly defaultTlp?: Tlp;
  /** Confidence for indicators without one; default 50. */
  readonly defaultConfidence?: number;
}

const stixIndicatorSchema = z.looseObject({
  id: z.string().regex(/^indicator--/, "must start with 'indicator--'"),
  pattern: z.string().min(1),
  pattern_type: z.string().min(1),
  // Checked here so a bad timestamp is reported once, not once per comparison of the pattern.
  valid_from: z.iso.datetime({ offset: true }),
  valid_until: z.iso.datetime({ offset: true }).optional(),
  modified: z.string().optional(),
  revoked: z.boolean().optional(),
  confidence: z.number().int().min(0).max(100).optional(),
  object_marking_refs: z.array(z.string()).optional(),
  indicator_types: z.array(z.string()).optional(),
  labels: z.array(z.string()).optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  created_by_ref: z.string().optional(),
});
type StixIndicatorObject = z.infer<typeof stixIndicatorSchema>;

type Located = { readonly index: number; readonly object: Record<string, unknown> };

/**
 * Reads the `indicator` objects of a STIX 2.1 bundle (JSON text or parsed) into indicators.
 * A pattern that is an OR of equality comparisons yields one indicator per comparison (id
 * `<stix id>#<n>` when there are several); any other pattern is reported as an error naming the
 * object and the construct. Objects of other types (malware, relationships, …) are not
 * indicators and are passed over silently. When a bundle holds several versions of one
 * indicator, the latest `modified` wins. A revoked indicator is imported with `revoked: true`
 * so that loading it revokes the copy already indexed.
 */
export function importStixBundle(input: unknown, options: StixImportOptions = {}): ImportResult {
  const indicators: Indicator[] = [];
  const errors: ImportError[] = [];

  const read = readJsonDocument(input);
  if (!read.ok) return read.result;
  const bundle = read.document;
  if (!isRecord(bundle) || bundle['type'] !== 'bundle' || !Array.isArray(bundle['objects'])) {
    const reason = "not a STIX bundle: expected type 'bundle' and an 'objects' array";
    return { indicators, errors: [{ path: '$', reason }] };
  }
  const objects = bundle['objects'] as unknown[];

  const identityNames = new Map<string, string>();
  const bundleMarkings = new Map<string, Tlp>();
  const latestById = new Map<string, Located>();
  objects.forEach((object, index) => {
    if (!isRecord(object)) {
      errors.push({ path: `objects[${index}]`, reason: 'not a JSON object' });
      return;
    }
    const id = object['id'];
    if (object['type'] === 'identity' && typeof id === 'string' && typeof object['name'] === 'string') {
      identityNames.set(id, object['name']);
    } else if (object['type'] === 'marking-definition' && typeof id === 'string') {
      const tlp = tlpOfMarkingDefinition(object);
      if (tlp !== undefined) bundleMarkings.set(id, tlp);
    } else if (object['type'] === 'indicator') {
      const key = typeof id === 'string' ? id : `#${index}`;
      const previous = latestById.get(key);
      if (previous === undefined || modifiedTime(object) > modifiedTime(previous.object)) {
        latestById.set(key, { index, object });
      }
    }
  });

  const context: Context = { options, identityNames, bundleMarkings };
  for (const { index, object } of latestById.values()) {
    const where = `objects[${index}]`;
    const parsed = stixIndicatorSchema.safeParse(object);
    if (!parsed.success) {
      const objectId = typeof object['id'] === 'string' ? object['id'] : undefined;
      for (const issue of parsed.error.issues) {
        errors.push({ path: [where, ...issue.path.map(String)].join('.'), objectId, reason: issue.message });
      }
      continue;
    }
    convertIndicator(parsed.data, where, context, indicators, errors);
  }
  return { indicators, errors };
}

interface Context {
  readonly options: StixImportOptions;
  readonly identityNames: ReadonlyMap<string, string>;
  readonly bundleMarkings: ReadonlyMap<string, Tlp>;
}

function convertIndicator(stix: StixIndicatorObject, where: string, context: Context, indicators: Indicator[], errors: ImportError[]): void {
  const objectId = stix.id;
  if (stix.pattern_type !== 'stix') {
    errors.push({
      path: `${where}.pattern_type`,
      objectId,
      reason: `unsupported pattern_type '${stix.pattern_type}': only STIX patterns can be indexed`,
    });
    return;
  }
  const pattern = parseStixPattern(stix.pattern);
  if (!pattern.ok) {
    errors.push({ path: `${where}.pattern`, objectId, reason: pattern.reason });
    return;
  }

  const { options } = context;
  const createdBy = stix.created_by_ref;
  const source = options.source ?? (createdBy !== undefined ? (context.identityNames.get(createdBy) ?? createdBy) : 'stix');
  const shared = {
    source,
    confidence: stix.confidence ?? options.defaultConfidence ?? 50,
    tlp: tlpOf(stix.object_marking_refs ?? [], context) ?? options.defaultTlp ?? 'amber',
    valid_from: stix.valid_from,
    valid_until: stix.valid_until,
    revoked: stix.revoked ?? false,
    labels: [...new Set([...(stix.indicator_types ?? []), ...(stix.labels ?? [])])],
    description: stix.name ?? stix.description,
    reference: objectId,
  };

  const several = pattern.comparisons.length > 1;
  pattern.comparisons.forEach((comparison, n) => {
    const target = indicatorTarget(comparison);
    const result =
      typeof target === 'string'
        ? { ok: false as const, reason: target }
        : parseIndicator({ ...shared, ...target, id: several ? `${objectId}#${n}` : objectId });
    if (result.ok) {
      indicators.push(result.indicator);
    } else {
      const comparisonText = `${comparison.path} = '${comparison.value}'`;
      errors.push({
        path: `${where}.pattern`,
        objectId,
        reason: `${several ? `comparison ${n + 1} (${comparisonText})` : comparisonText}: ${result.reason}`,
      });
    }
  });
}

// The indicator type and raw value a comparison describes, or why it cannot be indexed.
function indicatorTarget(comparison: StixComparison): { type: IndicatorType; value: string } | string {
  const { objectType, property, value } = comparison;
  const onValue = property.length === 1 && property[0] === 'value';
  switch (objectType) {
    case 'ipv4-addr':
    case 'ipv6-addr':
      if (!onValue) break;
      if (value.includes(':') !== (objectType === 'ipv6-addr') && !isMappedIpv4(value)) {
        return `${objectType} value '${value}' is not an ${objectType === 'ipv4-addr' ? 'IPv4' : 'IPv6'} address`;
      }
      return { type: value.includes('/') ? 'cidr' : objectType === 'ipv4-addr' ? 'ipv4' : 'ipv6', value };
    case 'domain-name':
      if (onValue) return { type: 'domain', value };
      break;
    case 'url':
      if (onValue) return { type: 'url', value };
      break;
    case 'email-addr':
      if (onValue) return { type: 'email', value };
      break;
    case 'file':
      if (property.length === 2 && property[0] === 'hashes') {
        const algorithm = property[1]!.toUpperCase().replace(/[-_]/g, '');
        if (algorithm === 'MD5') return { type: 'md5', value };
        if (algorithm === 'SHA1') return { type: 'sha1', value };
        if (algorithm === 'SHA256') return { type: 'sha256', value };
        return `unsupported hash algorithm '${property[1]}': only MD5, SHA-1 and SHA-256 are indexed`;
      }
      break;
  }
  return `unsupported object path '${comparison.path}'`;
}

// ipv6-addr may legitimately carry ::ffff:a.b.c.d, which normalises to IPv4.
function isMappedIpv4(value: string): boolean {
  return /^::ffff:\d/i.test(value);
}

// The strictest TLP among the markings; markings that are not TLP are ignored.
function tlpOf(markingRefs: readonly string[], context: Context): Tlp | undefined {
  let tlp: Tlp | undefined;
  for (const ref of markingRefs) {
    const level = standardTlpMarkings.get(ref) ?? context.bundleMarkings.get(ref);
    if (level !== undefined) tlp = tlp === undefined ? level : stricterTlp(tlp, level);
  }
  return tlp;
}

function modifiedTime(object: Record<string, unknown>): number {
  const modified = object['modified'];
  const time = typeof modified === 'string' ? Date.parse(modified) : Number.NaN;
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}
