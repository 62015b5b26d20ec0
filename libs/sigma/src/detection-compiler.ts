import { ConditionNode, ConditionSyntaxError, parseCondition } from './condition-parser';
import { resolveField } from './field-mapping';
import { DocumentPath, RuleError } from './location';
import { eventDataConditions, type LogsourceTarget } from './logsource-filter';
import { EventTest, FieldReader, FieldReaders } from './match-context';
import { parseFieldKey } from './modifiers';
import { type NeedleSink, type NeedleTest, RecordingSink } from './needle-scanner';
import type { SigmaDetectionRule } from './rule-loader';
import { compileFieldValues } from './value-matcher';

/** A detection section compiled into one closure tree, plus what the rule index needs to know. */
export interface CompiledDetection {
  test: EventTest;
  /** The `event.code` values the rule can match at all, or null when any code may match. */
  eventCodes: ReadonlySet<string> | null;
  /** The fields the rule tests, whose values are shown to the analyst. */
  fields: readonly FieldReader[];
  /**
   * Sets of substring tests ("atoms") that are each necessary: the rule cannot match unless, for
   * every set, one of its tests hit. The rule index visits the rule only when one test of a set it
   * picked hit, so rules that cannot match cost nothing. Empty when nothing is known.
   */
  gates: readonly (readonly NeedleTest[])[];
  /**
   * Every substring test the rule's closures may ask the context about (`ctx.hit`, `ctx.missed`):
   * the scanners an event's plan builds must hold them all for the rules it visits.
   */
  atoms: readonly NeedleTest[];
}

/**
 * A compiled search identifier with the event codes it requires (null: any) and its gates: sets of
 * substring tests, from each of which one must hit for it to be true (empty: none known).
 */
interface Search {
  test: EventTest;
  codes: Set<string> | null;
  gates: NeedleTest[][];
  cost: number;
}

const eventCodePath = 'event.code';
/**
 * Keywords search the event's text: the message a parser extracted, or else the raw line it kept
 * (access-log parsers keep the line in event.original).
 */
const keywordPaths = ['message', 'event.original'];
const canonicalCode = /^(0|[1-9][0-9]*)$/;

export function compileDetection(
  rule: SigmaDetectionRule,
  target: LogsourceTarget,
  readers: FieldReaders,
  registry?: NeedleSink,
): { detection: CompiledDetection } | { errors: RuleError[] } {
  const errors: RuleError[] = [];
  const needles = registry && new RecordingSink(registry);
  const fields = new Set<FieldReader>();
  const searches = new Map<string, Search>();
  const at = (path: DocumentPath, message: string): void => {
    errors.push(rule.source.error(['detection', ...path], message));
  };

  const fieldReader = (field: string, path: DocumentPath): FieldReader | undefined => {
    const resolved = resolveField(target.family, field);
    if ('error' in resolved) {
      at(path, resolved.error);
      return undefined;
    }
    return readers.get(resolved.paths);
  };

  const compileMap = (map: Record<string, unknown>, path: DocumentPath): Search | undefined => {
    const entries = Object.entries(map);
    if (entries.length === 0) {
      at(path, 'a selection map must not be empty');
      return undefined;
    }
    const tests: { test: EventTest; cost: number }[] = [];
    let codes: Set<string> | null = null;
    const gates: NeedleTest[][] = [];
    for (const [key, raw] of entries) {
      const keyPath = [...path, key];
      const parsed = parseFieldKey(key);
      if ('error' in parsed) {
        at(keyPath, parsed.error);
        continue;
      }
      const { chain } = parsed;
      const keyword = chain.field === '';
      if (keyword && (chain.type !== undefined || chain.transforms.length > 0)) {
        at(keyPath, "a keyword search takes only the 'all' and 'cased' modifiers");
        continue;
      }
      const reader = keyword ? readers.get(keywordPaths) : fieldReader(chain.field, keyPath);
      if (!reader) continue;
      if (!keyword) fields.add(reader);
      const values = Array.isArray(raw) ? raw : [raw];
      const compiled = compileFieldValues({
        chain,
        values,
        reader,
        keyword,
        needles,
        resolveReference: (field) => {
          const resolved = resolveField(target.family, field);
          return 'error' in resolved ? resolved : readers.get(resolved.paths);
        },
      });
      if ('problems' in compiled) {
        for (const problem of compiled.problems) {
          at(problem.index === undefined || !Array.isArray(raw) ? keyPath : [...keyPath, problem.index], problem.message);
        }
        continue;
      }
      tests.push(compiled);
      const required = requiredCodes(reader, chain.modifiers.length, values);
      if (required) codes = codes === null ? required : intersect(codes, required);
      gates.push(...(compiled.gates ?? []));
    }
    if (tests.length !== entries.length) return undefined;
    // Field tests have no side effects, so the cheapest go first.
    const ordered = [...tests].sort((a, b) => a.cost - b.cost);
    return { test: allOf(ordered.map((t) => t.test)), codes, gates, cost: tests.reduce((sum, t) => sum + t.cost, 0) };
  };

  const compileKeywords = (values: readonly unknown[], path: DocumentPath): Search | undefined => {
    const reader = readers.get(keywordPaths);
    const compiled = compileFieldValues({
      chain: { field: '', modifiers: [], all: false, cased: false, regexFlags: '', transforms: [] },
      values,
      reader,
      keyword: true,
      needles,
      resolveReference: () => ({ error: 'keywords cannot reference fields' }),
    });
    if ('problems' in compiled) {
      for (const problem of compiled.problems) at(problem.index === undefined ? path : [...path, problem.index], problem.message);
      return undefined;
    }
    return { test: compiled.test, codes: null, gates: compiled.gates ?? [], cost: compiled.cost };
  };

  for (const [name, value] of Object.entries(rule.detection)) {
    if (name === 'condition') continue;
    if (name === 'timeframe') {
      at([name], "'timeframe' belongs to the legacy aggregation syntax; write a correlation rule instead");
      continue;
    }
    const search = compileSearch(name, value);
    if (search) searches.set(name, search);
  }

  function compileSearch(name: string, value: unknown): Search | undefined {
    const path = [name];
    if (isMap(value)) return compileMap(value, path);
    if (typeof value === 'string' || typeof value === 'number') return compileKeywords([value], path);
    if (Array.isArray(value) && value.length > 0) {
      if (value.every(isMap)) {
        const branches = value.map((item, i) => compileMap(item, [...path, i]));
        if (branches.some((b) => b === undefined)) return undefined;
        return combineSearches(branches as Search[], false);
      }
      if (value.every((item) => !isMap(item) && !Array.isArray(item))) return compileKeywords(value, path);
      at(path, 'a search identifier list must hold only maps or only keywords');
      return undefined;
    }
    at(path, 'a search identifier must be a map, a list of maps or a list of keywords');
    return undefined;
  }

  const conditions = Array.isArray(rule.detection.condition) ? rule.detection.condition : [rule.detection.condition];
  const roots: Search[] = [];
  conditions.forEach((text, index) => {
    const path: DocumentPath = Array.isArray(rule.detection.condition) ? ['condition', index] : ['condition'];
    let ast: ConditionNode;
    try {
      ast = parseCondition(String(text));
    } catch (error) {
      if (!(error instanceof ConditionSyntaxError)) throw error;
      at(path, error.message);
      return;
    }
    const root = buildCondition(ast, searches, rule.detection, (message) => at(path, message));
    if (root) roots.push(root);
  });

  if (errors.length > 0) return { errors };

  // A list of conditions means any of them (Sigma: each is a query of its own).
  let root: Search = combineSearches(roots, false);
  if (target.eventCodes) root = restrictToCodes(root, target.eventCodes, readers.get([eventCodePath]), eventDataConditions(target, readers));
  return { detection: { test: root.test, eventCodes: root.codes, fields: [...fields], gates: root.gates, atoms: needles?.tests ?? [] } };
}

/**
 * A Windows category stands for certain EventIDs (and, for some, event data values such as
 * Sysmon's EventType): the rule is tested only on those.
 */
function restrictToCodes(search: Search, codes: readonly string[], codeReader: FieldReader, conditions: ReturnType<typeof eventDataConditions>): Search {
  const allowed = new Set(codes);
  const inner = search.test;
  return {
    test: (ctx) => {
      const code = ctx.read(codeReader);
      if (typeof code !== 'string' || !allowed.has(code)) return false;
      for (const { reader, values } of conditions) {
        const value = ctx.read(reader);
        if (typeof value !== 'string' || !values.has(value)) return false;
      }
      return inner(ctx);
    },
    codes: search.codes === null ? new Set(codes) : intersect(search.codes, allowed),
    gates: search.gates,
    cost: search.cost + 1,
  };
}

function buildCondition(
  node: ConditionNode,
  searches: ReadonlyMap<string, Search>,
  detection: Record<string, unknown>,
  report: (message: string) => void,
): Search | undefined {
  switch (node.kind) {
    case 'identifier': {
      const search = searches.get(node.name);
      if (!search && (!(node.name in detection) || node.name === 'condition')) report(`unknown search identifier '${node.name}'`);
      return search;
    }
    case 'not': {
      const inner = buildCondition(node.item, searches, detection, report);
      if (!inner) return undefined;
      const test = inner.test;
      return { test: (ctx) => !test(ctx), codes: null, gates: [], cost: inner.cost };
    }
    case 'and':
    case 'or': {
      const items = node.items.map((item) => buildCondition(item, searches, detection, report));
      if (items.some((i) => i === undefined)) return undefined;
      return combineSearches(items as Search[], node.kind === 'and');
    }
    case 'of': {
      const names = Object.keys(detection).filter((name) => name !== 'condition' && matchesPattern(name, node.pattern));
      if (names.length === 0) {
        report(`'${node.quantifier === 'one' ? '1' : 'all'} of ${node.pattern ?? 'them'}' matches no search identifier`);
        return undefined;
      }
      const items = names.map((name) => searches.get(name));
      if (items.some((i) => i === undefined)) return undefined;
      return combineSearches(items as Search[], node.quantifier === 'all');
    }
  }
}

/** `them` means every identifier not starting with an underscore; patterns use `*` wildcards. */
function matchesPattern(name: string, pattern: string | null): boolean {
  if (pattern === null) return !name.startsWith('_');
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(name);
}

function combineSearches(items: Search[], all: boolean): Search {
  const tests = [...items].sort((a, b) => a.cost - b.cost).map((i) => i.test);
  const cost = items.reduce((sum, i) => sum + i.cost, 0);
  if (all) {
    const codes = items.reduce<Set<string> | null>((acc, i) => (i.codes === null ? acc : acc === null ? i.codes : intersect(acc, i.codes)), null);
    // Every item's gates are necessary for the whole; the rule index picks the most selective.
    return { test: allOf(tests), codes, gates: items.flatMap((i) => i.gates), cost };
  }
  return { test: anyOf(tests), codes: unionCodes(items.map((i) => i.codes)), gates: eitherGates(items.map((i) => i.gates)), cost };
}

/** An OR keeps this many of its gates at most: enough choice for the index, bounded compile work. */
const maxGatesOfEither = 8;

/**
 * Gates of an OR: if each item needs one of set A or one of set B respectively, the OR needs one of
 * A ∪ B. So every union of one gate per item is a gate; an item without gates leaves none. The
 * smallest unions are kept, as the product grows with every item.
 */
function eitherGates(itemGates: NeedleTest[][][]): NeedleTest[][] {
  if (itemGates.some((gates) => gates.length === 0)) return [];
  if (itemGates.length === 1) return itemGates[0];
  let result: NeedleTest[][] = [[]];
  for (const gates of itemGates) {
    const unions: NeedleTest[][] = [];
    for (const left of result) for (const right of gates) unions.push([...new Set([...left, ...right])]);
    result = unions.sort((a, b) => a.length - b.length).slice(0, maxGatesOfEither);
  }
  return result;
}

function allOf(tests: EventTest[]): EventTest {
  if (tests.length === 1) return tests[0];
  return (ctx) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i](ctx)) return false;
    return true;
  };
}

function anyOf(tests: EventTest[]): EventTest {
  if (tests.length === 1) return tests[0];
  return (ctx) => {
    for (let i = 0; i < tests.length; i++) if (tests[i](ctx)) return true;
    return false;
  };
}

/**
 * `EventID: 4625` (or a list of plain EventIDs) lets the index hand the rule only events with those
 * codes; anything fancier (modifiers, wildcards) leaves the rule open to every code.
 */
function requiredCodes(reader: FieldReader, modifierCount: number, values: readonly unknown[]): Set<string> | null {
  if (modifierCount > 0 || reader.paths.length !== 1 || reader.paths[0] !== eventCodePath) return null;
  const codes = new Set<string>();
  for (const value of values) {
    const text = typeof value === 'number' && Number.isInteger(value) && value >= 0 ? String(value) : value;
    if (typeof text !== 'string' || !canonicalCode.test(text)) return null;
    codes.add(text);
  }
  return codes;
}

function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  return new Set([...a].filter((x) => b.has(x)));
}

function unionCodes(list: (Set<string> | null)[]): Set<string> | null {
  if (list.some((c) => c === null)) return null;
  return new Set(list.flatMap((c) => [...(c as Set<string>)]));
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
