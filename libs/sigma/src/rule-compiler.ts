import { CompiledCorrelation, CompiledDetectionRule, ruleRefOf } from './compiled-rule';
import { compileCorrelation } from './correlation';
import { compileDetection } from './detection-compiler';
import { RuleError } from './location';
import { resolveLogsource } from './logsource-filter';
import { FieldReaders } from './match-context';
import { NeedleRegistry } from './needle-scanner';
import type { SigmaCorrelationRule, SigmaDetectionRule, SigmaRule } from './rule-loader';
import { defaultEngineOptions, EngineOptions, RuleSet } from './rule-set';

export interface CompileResult {
  /** The accepted rules. */
  ruleSet: RuleSet;
  /** Why each rejected rule was rejected; a rule with any error is left out entirely. */
  errors: RuleError[];
}

/** Always shown on detections when the event has them. */
const observablePaths = [['source.ip'], ['destination.ip'], ['user.name'], ['host.name']];

/**
 * Compiles loaded rules once into closures and indexes them by log source. Detection rules first,
 * then correlations, which reference them by id or name. A correlation whose base rule was rejected
 * is rejected too, naming the base rule.
 */
export function compileRules(rules: readonly SigmaRule[], options: Partial<EngineOptions> = {}): CompileResult {
  const errors: RuleError[] = [];
  const readers = new FieldReaders();
  const needles = new NeedleRegistry();
  const byReference = indexReferences(rules, errors);
  const referenced = referencedRules(rules, byReference);

  const compiled = new Map<SigmaDetectionRule, CompiledDetectionRule>();
  for (const rule of rules) {
    if (rule.kind !== 'detection') continue;
    const alreadyRejected = hasErrors(rule, errors);
    const result = compileDetectionRule(rule, readers, needles, referenced.get(rule));
    if ('errors' in result) errors.push(...result.errors);
    else if (!alreadyRejected) compiled.set(rule, result.compiled);
  }

  const correlations: CompiledCorrelation[] = [];
  for (const rule of rules) {
    if (rule.kind !== 'correlation' || hasErrors(rule, errors)) continue;
    const result = compileCorrelation(
      rule,
      (reference) => {
        const target = byReference.get(reference);
        if (!target) return { error: `no loaded rule has the id or name '${reference}'` };
        if (target.kind === 'correlation') return { error: `'${reference}' is a correlation rule; chained correlations are not supported` };
        const found = compiled.get(target);
        if (!found) return { error: `rule '${reference}' was rejected (see its errors)` };
        return { rule: found };
      },
      readers,
    );
    if ('errors' in result) {
      errors.push(...result.errors);
      continue;
    }
    correlations.push(result.compiled.correlation);
    for (const { rule: member, tap } of result.compiled.taps) member.taps.push(tap);
  }

  const accepted = [...compiled.values()].filter((r) => r.ref !== undefined || r.taps.length > 0);
  return {
    ruleSet: new RuleSet(
      accepted,
      correlations,
      { ...defaultEngineOptions, ...options },
      observablePaths.map((p) => readers.get(p)),
      needles,
    ),
    errors,
  };
}

function compileDetectionRule(
  rule: SigmaDetectionRule,
  readers: FieldReaders,
  needles: NeedleRegistry,
  referencedBy: readonly SigmaCorrelationRule[] | undefined,
): { compiled: CompiledDetectionRule } | { errors: RuleError[] } {
  const logsource = resolveLogsource(rule.logsource);
  if ('error' in logsource) return { errors: [rule.source.error(['logsource'], logsource.error)] };
  const result = compileDetection(rule, logsource.target, readers, needles);
  if ('errors' in result) return result;
  // Base rules of a correlation stay silent unless a correlation asks for them (Sigma's `generate`).
  const generates = referencedBy === undefined || referencedBy.some((c) => c.generate);
  const errors: RuleError[] = [];
  if (generates && rule.id === undefined) errors.push(rule.source.error(['id'], 'a rule that produces detections needs an id'));
  if (generates && rule.level === undefined) errors.push(rule.source.error(['level'], 'level is required for a rule that produces detections'));
  if (errors.length > 0) return { errors };
  return {
    compiled: {
      rule,
      handle: rule.id ?? rule.name ?? rule.title,
      target: logsource.target,
      detection: result.detection,
      ref: generates ? ruleRefOf(rule, rule.id as string, rule.level as NonNullable<typeof rule.level>) : undefined,
      taps: [],
      slot: -1,
    },
  };
}

/** Ids and names must each identify one rule: correlations and detections refer to them. */
function indexReferences(rules: readonly SigmaRule[], errors: RuleError[]): Map<string, SigmaRule> {
  const byReference = new Map<string, SigmaRule>();
  for (const rule of rules) {
    for (const attribute of ['id', 'name'] as const) {
      const value = rule[attribute];
      if (value === undefined) continue;
      const other = byReference.get(value);
      if (other && other !== rule) {
        const where = other.source.locate([attribute]);
        errors.push(rule.source.error([attribute], `${attribute} '${value}' is already used by ${where.file}${where.line ? `:${where.line}` : ''}`));
      } else {
        byReference.set(value, rule);
      }
    }
  }
  return byReference;
}

function referencedRules(rules: readonly SigmaRule[], byReference: ReadonlyMap<string, SigmaRule>): Map<SigmaRule, SigmaCorrelationRule[]> {
  const referenced = new Map<SigmaRule, SigmaCorrelationRule[]>();
  for (const rule of rules) {
    if (rule.kind !== 'correlation') continue;
    for (const reference of rule.correlation.rules) {
      const target = byReference.get(reference);
      if (target) referenced.set(target, [...(referenced.get(target) ?? []), rule]);
    }
  }
  return referenced;
}

function hasErrors(rule: SigmaRule, errors: readonly RuleError[]): boolean {
  return errors.some((e) => e.location.file === rule.source.file && e.location.document === rule.source.document);
}
