import type { RuleRef } from '@soc/contracts';
import type { WindowRule } from './correlation-window';
import type { CompiledDetection } from './detection-compiler';
import type { LogsourceTarget } from './logsource-filter';
import type { FieldReader } from './match-context';
import type { SigmaCorrelationRule, SigmaDetectionRule, SigmaRule } from './rule-loader';

/** A detection rule ready to match events. */
export interface CompiledDetectionRule {
  rule: SigmaDetectionRule;
  /** The rule's id, or its name when it only feeds correlations. */
  handle: string;
  target: LogsourceTarget;
  detection: CompiledDetection;
  /** Set when the rule produces detections of its own (not only a correlation's base rule). */
  ref?: RuleRef;
  /** The correlations this rule's matches feed. */
  taps: CorrelationTap[];
  /** Position in its rule set, for per-event visit stamps (set by the RuleSet). */
  slot: number;
}

/** How a base rule's match enters one correlation's windows. */
export interface CorrelationTap {
  correlation: CompiledCorrelation;
  /** Position of the base rule in the correlation's `rules` (the order temporal_ordered requires). */
  member: number;
  /** `member` as the text temporal windows count: their entries' value. */
  step: string;
  /** The group-by fields as this base rule's events hold them (aliases resolved). */
  groupReaders: readonly FieldReader[];
  /** value_count: the counted field(s) in this base rule's events. */
  valueReaders: readonly FieldReader[];
}

export interface CompiledCorrelation extends WindowRule {
  rule: SigmaCorrelationRule;
  ref: RuleRef;
  /** Group-by names as the rule writes them (field names or aliases): the group key's labels. */
  groupBy: readonly string[];
  /** value_count: the counted field names, labels for the observables. */
  valueFields: readonly string[];
  crossMember: boolean;
}

/** The rule reference a detection carries: Sigma's licence asks us to keep author and references. */
export function ruleRefOf(rule: SigmaRule, id: string, level: NonNullable<SigmaRule['level']>): RuleRef {
  return { id, title: rule.title, level, tags: rule.tags, author: rule.author, references: rule.references };
}
