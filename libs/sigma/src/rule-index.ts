import type { CompiledDetectionRule } from './compiled-rule';
import { acceptsDataset } from './logsource-filter';
import type { FieldReader } from './match-context';
import type { NeedleRegistry, NeedleScanner, NeedleTest } from './needle-scanner';

/**
 * Hands each event only the rules that could match it, in three steps:
 * 1. its log source (`event.dataset`): other log sources' rules are never seen;
 * 2. its `event.code`: rules for other EventIDs are never seen;
 * 3. substrings: a rule that cannot match unless one of a set of substrings occurs (a gate of
 *    `atoms`) is visited only when the shared scanner found one of them in the event; of several
 *    gates the index picks the one fewest other rules share (see selectiveGate).
 * So adding rules for other log sources, other EventIDs or other attack strings costs an event
 * (almost) nothing. Each plan has its own scanners: per field, an automaton of the needles of the
 * rules in the plan only (every test those rules may ask about, not only their gates), so an event
 * reads each field once against only the needles that can matter to it (the Windows `Message`
 * against the few keywords of the rules for all Windows logs, not the Linux keyword rules' too).
 */
export interface RulePlan {
  /** Rules to test on every event of the bucket. */
  always: readonly CompiledDetectionRule[];
  /** Fields to scan before looking up the substring-gated rules. */
  gateFields: readonly FieldReader[];
  /** Substring test id → the gated rules it opens. */
  gated: ReadonlyMap<number, readonly CompiledDetectionRule[]>;
  /**
   * Field reader id → the scanner of the needles of this plan's rules on that field; built the first
   * time an event meets the plan (`RuleIndex.scanners`), as most plans of a log source never are.
   */
  scanners: readonly (NeedleScanner | undefined)[] | undefined;
  /** The plan's rules, to build its scanners from. */
  rules: readonly CompiledDetectionRule[];
}

interface DatasetRules {
  all: RulePlan;
  /** For events without a code: rules that may match any code. */
  anyCode: RulePlan;
  /** Per code: the rules requiring it plus those that accept any code. */
  byCode: ReadonlyMap<string, RulePlan>;
}

const nothing: RulePlan = { always: [], gateFields: [], gated: new Map(), scanners: [], rules: [] };
/** Datasets come from parsers, but a forwarder sending ECS could invent them: bound the cache. */
const maxCachedDatasets = 512;
const canonicalCode = /^(0|[1-9][0-9]*)$/;

export class RuleIndex {
  private readonly datasets = new Map<string, DatasetRules>();

  constructor(
    private readonly rules: readonly CompiledDetectionRule[],
    private readonly needles?: NeedleRegistry,
  ) {}

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

  /** The plan's scanners, built on first use. */
  scanners(plan: RulePlan): readonly (NeedleScanner | undefined)[] {
    return (plan.scanners ??= scannersFor(plan.rules, this.needles));
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
    for (const code of codes) {
      byCode.set(code, planFor(all.filter((r) => r.detection.eventCodes === null || r.detection.eventCodes.has(code))));
    }
    return { all: planFor(all), anyCode: planFor(anyCode), byCode };
  }
}

/** Per field the rules use substring tests on: one scanner of exactly those tests. */
export function scannersFor(rules: readonly CompiledDetectionRule[], needles: NeedleRegistry | undefined): (NeedleScanner | undefined)[] {
  const scanners: (NeedleScanner | undefined)[] = [];
  if (needles === undefined) return scanners;
  const byField = new Map<number, { reader: NeedleTest['reader']; tests: number[] }>();
  for (const rule of rules) {
    for (const atom of rule.detection.atoms) {
      let field = byField.get(atom.reader.id);
      if (!field) {
        field = { reader: atom.reader, tests: [] };
        byField.set(atom.reader.id, field);
      }
      field.tests.push(atom.test);
    }
  }
  for (const [id, field] of byField) scanners[id] = needles.scannerFor(field.reader, field.tests);
  return scanners;
}

function planFor(rules: readonly CompiledDetectionRule[]): RulePlan {
  const always: CompiledDetectionRule[] = [];
  const gateFields = new Set<FieldReader>();
  const gated = new Map<number, CompiledDetectionRule[]>();
  const sharing = rulesSharing(rules);
  for (const rule of rules) {
    const gate = selectiveGate(rule.detection.gates, sharing);
    if (gate === undefined) {
      always.push(rule);
      continue;
    }
    for (const atom of gate) {
      gateFields.add(atom.reader);
      const list = gated.get(atom.test) ?? [];
      if (!list.includes(rule)) list.push(rule);
      gated.set(atom.test, list);
    }
  }
  return { always, gateFields: [...gateFields], gated, scanners: undefined, rules };
}

/** Substring test id → how many of the rules have it in one of their gates. */
function rulesSharing(rules: readonly CompiledDetectionRule[]): Map<number, number> {
  const sharing = new Map<number, number>();
  for (const rule of rules) {
    const tests = new Set(rule.detection.gates.flatMap((gate) => gate.map((atom) => atom.test)));
    for (const test of tests) sharing.set(test, (sharing.get(test) ?? 0) + 1);
  }
  return sharing;
}

/**
 * Any one of a rule's gates is a correct gate; which one decides how often the rule is visited in
 * vain. Without statistics of the events, the best guess is the gate whose atoms the fewest other
 * rules share: a test that many rules need (`event.category: authentication` in every SSH rule and
 * its tuned copies) is a trait of the log source and hits on nearly every event, while the one
 * test only this rule has (`user.name|startswith: svc_backup5`) is what sets it apart. Ties go to
 * the gate with fewer atoms, then to the first.
 */
function selectiveGate(gates: readonly (readonly NeedleTest[])[], sharing: ReadonlyMap<number, number>): readonly NeedleTest[] | undefined {
  let best: readonly NeedleTest[] | undefined;
  let bestScore = Infinity;
  for (const gate of gates) {
    if (gate.length === 0) continue;
    let score = 0;
    for (const atom of gate) score += sharing.get(atom.test) ?? 0;
    if (score < bestScore || (score === bestScore && best !== undefined && gate.length < best.length)) {
      best = gate;
      bestScore = score;
    }
  }
  return best;
}
