import type { CompiledDetectionRule } from './compiled-rule';
import { acceptsDataset } from './logsource-filter';
import type { FieldReader } from './match-context';

/**
 * Hands each event only the rules that could match it, in three steps:
 * 1. its log source (`event.dataset`): other log sources' rules are never seen;
 * 2. its `event.code`: rules for other EventIDs are never seen;
 * 3. substrings: a rule that cannot match unless one of its substrings occurs (`atoms`) is visited
 *    only when the shared scanner found one of them in the event.
 * So adding rules for other log sources, other EventIDs or other attack strings costs an event
 * (almost) nothing.
 */
export interface RulePlan {
  /** Rules to test on every event of the bucket. */
  always: readonly CompiledDetectionRule[];
  /** Fields to scan before looking up the substring-gated rules. */
  gateFields: readonly FieldReader[];
  /** Substring test id → the gated rules it opens. */
  gated: ReadonlyMap<number, readonly CompiledDetectionRule[]>;
}

interface DatasetRules {
  all: RulePlan;
  /** For events without a code: rules that may match any code. */
  anyCode: RulePlan;
  /** Per code: the rules requiring it plus those that accept any code. */
  byCode: ReadonlyMap<string, RulePlan>;
}

const nothing: RulePlan = { always: [], gateFields: [], gated: new Map() };
/** Datasets come from parsers, but a forwarder sending ECS could invent them: bound the cache. */
const maxCachedDatasets = 512;
const canonicalCode = /^(0|[1-9][0-9]*)$/;

export class RuleIndex {
  private readonly datasets = new Map<string, DatasetRules>();

  constructor(private readonly rules: readonly CompiledDetectionRule[]) {}

  plan(dataset: unknown, code: unknown): RulePlan {
    if (typeof dataset !== 'string') return nothing;
    let bucket = this.datasets.get(dataset);
    if (!bucket) {
      bucket = this.build(dataset);
      if (this.datasets.size < maxCachedDatasets) this.datasets.set(dataset, bucket);
    }
    // ECS says text; a loosely typed forwarder may send the number.
    const text = typeof code === 'number' ? String(code) : code;
    if (typeof text !== 'string') return bucket.anyCode;
    const byCode = bucket.byCode.get(text);
    if (byCode) return byCode;
    // A code written differently ('04625') may still equal a rule's number: test every rule.
    return canonicalCode.test(text) ? bucket.anyCode : bucket.all;
  }

  /** The rules a plan may visit, in rule order (for tests and diagnostics). */
  static rulesOf(plan: RulePlan): CompiledDetectionRule[] {
    const rules = new Set([...plan.always, ...[...plan.gated.values()].flat()]);
    return [...rules].sort((a, b) => a.slot - b.slot);
  }

  private build(dataset: string): DatasetRules {
    const all = this.rules.filter((r) => acceptsDataset(r.target, dataset));
    const anyCode = all.filter((r) => r.detection.eventCodes === null);
    const codes = new Set(all.flatMap((r) => [...(r.detection.eventCodes ?? [])]));
    const byCode = new Map<string, RulePlan>();
    for (const code of codes) byCode.set(code, planFor(all.filter((r) => r.detection.eventCodes === null || r.detection.eventCodes.has(code))));
    return { all: planFor(all), anyCode: planFor(anyCode), byCode };
  }
}

function planFor(rules: readonly CompiledDetectionRule[]): RulePlan {
  const always: CompiledDetectionRule[] = [];
  const gateFields = new Set<FieldReader>();
  const gated = new Map<number, CompiledDetectionRule[]>();
  for (const rule of rules) {
    const atoms = rule.detection.atoms;
    if (atoms === null) {
      always.push(rule);
      continue;
    }
    for (const atom of atoms) {
      gateFields.add(atom.reader);
      const list = gated.get(atom.test) ?? [];
      if (!list.includes(rule)) list.push(rule);
      gated.set(atom.test, list);
    }
  }
  return { always, gateFields: [...gateFields], gated };
}
