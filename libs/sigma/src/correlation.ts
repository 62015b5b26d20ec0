import { CompiledCorrelation, CompiledDetectionRule, CorrelationTap, ruleRefOf } from './compiled-rule';
import { resolveField } from './field-mapping';
import { DocumentPath, RuleError } from './location';
import { FieldReader, FieldReaders } from './match-context';
import type { SigmaCorrelationRule } from './rule-loader';
import { CorrelationCondition, correlationTypes, CorrelationType } from './rule.schema';

/**
 * Compiles a Sigma correlation rule (event_count, value_count, temporal, temporal_ordered) against
 * the base rules it references: thresholds, timespan, and for every base rule the readers of its
 * group-by and counted fields (through `aliases` where the rule gives them).
 */
export type MemberLookup = (reference: string) => { rule: CompiledDetectionRule } | { error: string };

export interface CompiledCorrelationWithTaps {
  correlation: CompiledCorrelation;
  taps: { rule: CompiledDetectionRule; tap: CorrelationTap }[];
}

const unitMs: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseTimespan(timespan: string): number {
  return Number(timespan.slice(0, -1)) * unitMs[timespan.slice(-1)];
}

export function compileCorrelation(
  rule: SigmaCorrelationRule,
  lookup: MemberLookup,
  readers: FieldReaders,
): { compiled: CompiledCorrelationWithTaps } | { errors: RuleError[] } {
  const errors: RuleError[] = [];
  const at = (path: DocumentPath, message: string): void => {
    errors.push(rule.source.error(path, message));
  };
  const spec = rule.correlation;

  if (rule.id === undefined) at(['id'], 'a correlation rule needs an id: its detections are identified by it');
  if (rule.level === undefined) at(['level'], 'level is required for a rule that produces detections');

  const type = spec.type as CorrelationType;
  if (!(correlationTypes as readonly string[]).includes(spec.type)) {
    at(['correlation', 'type'], `correlation type '${spec.type}' is not supported (supported: ${correlationTypes.join(', ')})`);
  }

  const members: CompiledDetectionRule[] = [];
  spec.rules.forEach((reference, index) => {
    if (spec.rules.indexOf(reference) !== index) {
      at(['correlation', 'rules', index], `rule '${reference}' is listed twice`);
      return;
    }
    const found = lookup(reference);
    if ('error' in found) at(['correlation', 'rules', index], found.error);
    else members.push(found.rule);
  });

  const supportedType = (correlationTypes as readonly string[]).includes(spec.type);
  const qualifies = supportedType ? compileCondition(type, spec.condition, spec.rules.length, at) : undefined;
  const valueFields = spec.condition?.field === undefined ? [] : [spec.condition.field].flat();

  for (const [alias, fields] of Object.entries(spec.aliases ?? {})) {
    for (const ruleName of Object.keys(fields)) {
      if (!members.some((m) => refersTo(m, ruleName)) && !spec.rules.includes(ruleName)) {
        at(['correlation', 'aliases', alias, ruleName], `alias '${alias}' names rule '${ruleName}', which this correlation does not reference`);
      }
    }
  }

  if (errors.length > 0 || members.length !== spec.rules.length || qualifies === undefined) return { errors };

  const groupBy = spec['group-by'] ?? [];
  const taps: { rule: CompiledDetectionRule; tapReaders: { group: FieldReader[]; value: FieldReader[] } }[] = [];
  members.forEach((member) => {
    const resolve = (name: string, path: DocumentPath): FieldReader | undefined => {
      const aliased = spec.aliases?.[name];
      let field = name;
      if (aliased) {
        const entry = Object.entries(aliased).find(([ruleName]) => refersTo(member, ruleName));
        if (!entry) {
          at(['correlation', 'aliases', name], `alias '${name}' has no field for rule '${member.handle}'`);
          return undefined;
        }
        field = entry[1];
      }
      const resolved = resolveField(member.target.family, field);
      if ('error' in resolved) {
        at(path, `${resolved.error} (in the events of rule '${member.handle}')`);
        return undefined;
      }
      return readers.get(resolved.paths);
    };
    const group = groupBy.map((name, i) => resolve(name, ['correlation', 'group-by', i]));
    const value = valueFields.map((name) => resolve(name, ['correlation', 'condition', 'field']));
    if ([...group, ...value].every((r): r is FieldReader => r !== undefined)) {
      taps.push({ rule: member, tapReaders: { group: group as FieldReader[], value: value as FieldReader[] } });
    }
  });
  if (errors.length > 0) return { errors };

  const correlation: CompiledCorrelation = {
    rule,
    ref: ruleRefOf(rule, rule.id as string, rule.level as NonNullable<typeof rule.level>),
    type,
    timespanMs: parseTimespan(spec.timespan),
    qualifies,
    sequenceLength: spec.rules.length,
    groupBy,
    valueFields,
    crossMember: rule.crossMember,
  };
  return {
    compiled: {
      correlation,
      taps: taps.map(({ rule: member, tapReaders }, index) => ({
        rule: member,
        tap: { correlation, member: index, step: String(index), groupReaders: tapReaders.group, valueReaders: tapReaders.value },
      })),
    },
  };
}

function refersTo(member: CompiledDetectionRule, reference: string): boolean {
  return member.rule.id === reference || member.rule.name === reference;
}

/**
 * Windows fire the moment they reach a threshold, so only conditions that stay true as events
 * arrive (gt, gte) can be decided; lt, lte, eq and neq need the window to close first.
 */
function compileCondition(
  type: CorrelationType,
  condition: CorrelationCondition | undefined,
  ruleCount: number,
  at: (path: DocumentPath, message: string) => void,
): ((count: number) => boolean) | undefined {
  const path = ['correlation', 'condition'];
  if (type === 'temporal_ordered') {
    if (condition !== undefined) at(path, 'temporal_ordered takes no condition: all rules must match, in order');
    return () => true;
  }
  if (condition === undefined) {
    if (type === 'temporal') return (count) => count >= ruleCount;
    at(path, `a ${type} correlation needs a condition`);
    return undefined;
  }
  let ok = true;
  for (const operator of ['lt', 'lte', 'eq', 'neq'] as const) {
    if (condition[operator] !== undefined) {
      at(
        [...path, operator],
        `condition '${operator}' is not supported: windows fire when they reach a threshold, so only gt and gte can be decided before a window closes`,
      );
      ok = false;
    }
  }
  if (type === 'value_count' && condition.field === undefined) {
    at(path, 'a value_count condition needs field: the field whose distinct values are counted');
    ok = false;
  }
  if (type !== 'value_count' && condition.field !== undefined) {
    at([...path, 'field'], `field belongs to value_count conditions, not ${type}`);
    ok = false;
  }
  const { gt, gte } = condition;
  if (gt === undefined && gte === undefined) {
    at(path, 'the condition needs gt or gte');
    ok = false;
  }
  if (!ok) return undefined;
  return (count) => (gt === undefined || count > gt) && (gte === undefined || count >= gte);
}
