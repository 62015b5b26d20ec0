import { type ImportError, type ImportResult, readJsonDocument } from './import-result';
import { parseIndicator, type Indicator } from './indicator.schema';
import type { IndicatorType } from './indicator-type';
import { isRecord } from './is-record';
import { ipIndicatorType } from './normalise';
import { parseTlp, stricterTlp, type Tlp } from './tlp';

export interface MispImportOptions {
  /** Source name for every indicator; default: the creating organisation's name (Orgc). */
  readonly source?: string;
  /** TLP when neither the event nor the attribute has a `tlp:` tag; default amber. */
  readonly defaultTlp?: Tlp;
  /** MISP attributes carry no confidence; default 50. */
  readonly defaultConfidence?: number;
}

// How each part of a MISP attribute type maps to an indicator; `port` is kept on the indicator
// as context (matching is on the address), `skip` marks a part that is not an indicator (a file
// name).
type Part = 'ip' | 'domain' | 'url' | 'md5' | 'sha1' | 'sha256' | 'email' | 'port' | 'skip';

const attributeParts: Readonly<Record<string, readonly Part[]>> = {
  'ip-src': ['ip'],
  'ip-dst': ['ip'],
  'ip-src|port': ['ip', 'port'],
  'ip-dst|port': ['ip', 'port'],
  domain: ['domain'],
  hostname: ['domain'],
  'hostname|port': ['domain', 'port'],
  'domain|ip': ['domain', 'ip'],
  url: ['url'],
  md5: ['md5'],
  sha1: ['sha1'],
  sha256: ['sha256'],
  'filename|md5': ['skip', 'md5'],
  'filename|sha1': ['skip', 'sha1'],
  'filename|sha256': ['skip', 'sha256'],
  'email-src': ['email'],
  'email-dst': ['email'],
  email: ['email'],
  'email-reply-to': ['email'],
};

/**
 * Reads one MISP event (JSON text or parsed; `{"Event": {…}}` as in feeds, or the bare event)
 * into indicators. Only attributes flagged `to_ids` are detection material; others (links,
 * comments, context) are passed over, as are deleted attributes. Attributes inside MISP objects
 * count the same. A `to_ids` attribute of a type the index cannot match (filename, registry
 * key, …) is reported as an error so that nothing meant for detection disappears unnoticed.
 *
 * Each indicator gets: id = attribute uuid (`<uuid>#<n>` for the two halves of `domain|ip`),
 * source = the creating organisation, reference = the event uuid, description = the event
 * title, TLP = the strictest `tlp:` tag of event and attribute, labels = category and the
 * other tags, valid_from = the attribute's first_seen, else its timestamp, else the event date,
 * port = the port half of `ip-dst|port` / `hostname|port` (or a port written in the value).
 * Values are normalised as feeds write them (normalise.ts): defanged, `ip:port`, and URLs
 * without a scheme, which MISP commonly stores, are accepted.
 */
export function importMispEvent(input: unknown, options: MispImportOptions = {}): ImportResult {
  const indicators: Indicator[] = [];
  const errors: ImportError[] = [];

  const read = readJsonDocument(input);
  if (!read.ok) return read.result;
  const document = read.document;
  const wrapped = isRecord(document) && isRecord(document['Event']);
  const event = wrapped ? (document as Record<string, unknown>)['Event'] : document;
  const root = wrapped ? 'Event' : '$';
  if (!isRecord(event) || typeof event['uuid'] !== 'string') {
    return { indicators, errors: [{ path: root, reason: "not a MISP event: expected an object with a 'uuid'" }] };
  }

  const tags = tagNames(event['Tag']);
  const org = organisationName(event);
  const context: EventContext = {
    uuid: event['uuid'],
    info: typeof event['info'] === 'string' ? event['info'] : undefined,
    date: typeof event['date'] === 'string' ? event['date'] : undefined,
    source: options.source ?? org ?? event['uuid'],
    tlp: tlpOfTags(tags),
    labels: tags.filter((tag) => !isTlpTag(tag)),
    options,
  };

  const visit = (attributes: unknown, path: string): void => {
    if (attributes === undefined) return;
    if (!Array.isArray(attributes)) {
      errors.push({ path, reason: 'expected an array of attributes' });
      return;
    }
    attributes.forEach((attribute, i) => convertAttribute(attribute, `${path}[${i}]`, context, indicators, errors));
  };
  visit(event['Attribute'], `${root}.Attribute`);
  const objects = event['Object'];
  if (Array.isArray(objects)) {
    objects.forEach((object, j) => {
      if (isRecord(object) && object['deleted'] !== true) visit(object['Attribute'], `${root}.Object[${j}].Attribute`);
    });
  }
  return { indicators, errors };
}

interface EventContext {
  readonly uuid: string;
  readonly info: string | undefined;
  readonly date: string | undefined;
  readonly source: string;
  readonly tlp: Tlp | undefined;
  readonly labels: readonly string[];
  readonly options: MispImportOptions;
}

function convertAttribute(attribute: unknown, path: string, event: EventContext, indicators: Indicator[], errors: ImportError[]): void {
  if (!isRecord(attribute)) {
    errors.push({ path, reason: 'not a JSON object' });
    return;
  }
  if (isTrue(attribute['deleted']) || !isTrue(attribute['to_ids'])) return;
  const objectId = typeof attribute['uuid'] === 'string' ? attribute['uuid'] : undefined;
  const type = attribute['type'];
  const value = attribute['value'];
  if (typeof type !== 'string' || typeof value !== 'string') {
    errors.push({ path, objectId, reason: "attribute needs string 'type' and 'value'" });
    return;
  }
  if (objectId === undefined) {
    errors.push({ path, reason: "attribute has no 'uuid' to identify its indicator" });
    return;
  }
  const parts = attributeParts[type];
  if (parts === undefined) {
    errors.push({ path, objectId, reason: `unsupported attribute type '${type}': the index cannot match it` });
    return;
  }
  const values = parts.length === 1 ? [value] : value.split('|');
  if (values.length !== parts.length) {
    const reason = `${type} value '${value}' must have ${parts.length} parts separated by '|'`;
    errors.push({ path, objectId, reason });
    return;
  }
  const validFrom = attributeTime(attribute, event);
  if (validFrom === undefined) {
    errors.push({ path, objectId, reason: 'attribute has no usable first_seen, timestamp or event date' });
    return;
  }

  const attributeTags = tagNames(attribute['Tag']);
  const attributeTlp = tlpOfTags(attributeTags);
  const tlp =
    event.tlp !== undefined && attributeTlp !== undefined
      ? stricterTlp(event.tlp, attributeTlp)
      : (attributeTlp ?? event.tlp ?? event.options.defaultTlp ?? 'amber');
  const category = typeof attribute['category'] === 'string' ? [attribute['category']] : [];
  const labels = [...new Set([...category, ...event.labels, ...attributeTags.filter((tag) => !isTlpTag(tag))])];

  const portIndex = parts.indexOf('port');
  const port = portIndex < 0 ? undefined : parsePort(values[portIndex]!.trim());
  if (typeof port === 'string') {
    errors.push({ path, objectId, reason: `${type} '${value}': ${port}` });
    return;
  }
  const targets = parts.flatMap((part, i) => (part === 'skip' || part === 'port' ? [] : [{ part, value: values[i]!.trim() }]));
  targets.forEach(({ part, value: partValue }, n) => {
    const result = parseIndicator({
      id: targets.length > 1 ? `${objectId}#${n}` : objectId,
      type: indicatorType(part, partValue),
      value: partValue,
      source: event.source,
      confidence: event.options.defaultConfidence ?? 50,
      tlp,
      valid_from: validFrom,
      revoked: false,
      labels,
      description: event.info,
      reference: event.uuid,
      ...(port === undefined ? {} : { port }),
    });
    if (result.ok) indicators.push(result.indicator);
    else errors.push({ path, objectId, reason: `${type} '${value}': ${result.reason}` });
  });
}

function indicatorType(part: Exclude<Part, 'skip' | 'port'>, value: string): IndicatorType {
  return part === 'ip' ? ipIndicatorType(value) : part;
}

// The port half of `ip-dst|port` and `hostname|port`; returns the reason when it is not one.
function parsePort(text: string): number | string {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) return `port '${text}' is not a number from 0 to 65535`;
  return Number(text);
}

// first_seen (ISO, MISP ≥ 2.4.120), else the attribute's epoch-seconds timestamp, else the
// event's date. Returned as ISO text for the indicator schema.
function attributeTime(attribute: Record<string, unknown>, event: EventContext): string | undefined {
  const firstSeen = attribute['first_seen'];
  if (typeof firstSeen === 'string' && !Number.isNaN(Date.parse(firstSeen))) {
    return new Date(firstSeen).toISOString();
  }
  const timestamp = attribute['timestamp'];
  if ((typeof timestamp === 'string' && /^\d+$/.test(timestamp)) || typeof timestamp === 'number') {
    return new Date(Number(timestamp) * 1000).toISOString();
  }
  if (event.date !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(event.date)) return `${event.date}T00:00:00Z`;
  return undefined;
}

function tagNames(tags: unknown): string[] {
  if (!Array.isArray(tags)) return [];
  return tags.flatMap((tag) => (isRecord(tag) && typeof tag['name'] === 'string' ? [tag['name']] : []));
}

// MISP's TLP taxonomy tags; a custom `tlp:` level that parseTlp does not know stays a label.
function isTlpTag(tag: string): boolean {
  return /^tlp:/i.test(tag) && parseTlp(tag) !== undefined;
}

function tlpOfTags(tags: readonly string[]): Tlp | undefined {
  let tlp: Tlp | undefined;
  for (const tag of tags) {
    const level = isTlpTag(tag) ? parseTlp(tag) : undefined;
    if (level !== undefined) tlp = tlp === undefined ? level : stricterTlp(tlp, level);
  }
  return tlp;
}

function organisationName(event: Record<string, unknown>): string | undefined {
  for (const key of ['Orgc', 'Org']) {
    const org = event[key];
    if (isRecord(org) && typeof org['name'] === 'string' && org['name'].length > 0) return org['name'];
  }
  return undefined;
}

// MISP writes booleans as true/false in feeds and as "1"/"0" in older exports.
function isTrue(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}
