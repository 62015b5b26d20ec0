import ipaddr from 'ipaddr.js';
import { EventTest, FieldReader, MatchContext } from './match-context';
import { leadingRegexOptions, ModifierChain, transformValue } from './modifiers';
import type { NeedleSink, NeedleTest } from './needle-scanner';
import { requiredLiteral } from './regex-literal';
import { testedForm } from './regex-safety';
import { compileTextTest, patternShape, SigmaString, TextTest } from './sigma-string';

/**
 * Compiles the values of one `Field|modifiers: values` entry into a single test on the event. All
 * work that does not depend on the event happens here: lowercasing needles, building sets, compiling
 * regular expressions, parsing CIDR ranges.
 */
export interface ValueProblem {
  /** Position in the value list, when the problem is one value. */
  index?: number;
  message: string;
}

export interface FieldValues {
  chain: ModifierChain;
  values: readonly unknown[];
  reader: FieldReader;
  /** A keyword search: strings match anywhere in the text, as if `contains` were given. */
  keyword: boolean;
  /** Resolves the field named by a `fieldref` value. */
  resolveReference: (field: string) => FieldReader | { error: string };
  /** Where substring needles go to be scanned once per event for all rules. */
  needles?: NeedleSink;
}

/**
 * A compiled entry. `gates`, when present, are sets of substring tests ("atoms"); from each set at
 * least one test must hit for the entry to be true, so the rule index may skip a rule when none of
 * the atoms of one set hit.
 */
export interface CompiledValues {
  test: EventTest;
  gates?: NeedleTest[][];
  /** A rough relative cost, so that an AND can try its cheapest (and usually most selective) tests first. */
  cost: number;
}

type Scalar = string | number | boolean;

export function compileFieldValues(input: FieldValues): CompiledValues | { problems: ValueProblem[] } {
  const { chain, values } = input;
  if (values.length === 0) return fail('a value list must not be empty');
  if (chain.all && values.length < 2) return fail("'all' needs a list of at least two values");
  const nested = values.findIndex((v) => v !== null && typeof v === 'object');
  if (nested >= 0) return fail('a value must be text, a number, true/false or null', nested);

  switch (chain.type) {
    case 'exists':
      return compileExists(input);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return compileComparison(input, chain.type);
    case 'cidr':
      return compileCidr(input);
    case 're':
      return compileRegex(input);
    case 'fieldref':
      return compileFieldReference(input);
    case undefined:
      return compilePatterns(input);
  }
}

function fail(message: string, index?: number): { problems: ValueProblem[] } {
  return { problems: [{ index, message }] };
}

function combine(tests: EventTest[], all: boolean): EventTest {
  if (tests.length === 1) return tests[0];
  if (all) {
    return (ctx) => {
      for (let i = 0; i < tests.length; i++) if (!tests[i](ctx)) return false;
      return true;
    };
  }
  return (ctx) => {
    for (let i = 0; i < tests.length; i++) if (tests[i](ctx)) return true;
    return false;
  };
}

/** Applies a test to the field's value, or to each element when the field holds a list (any may match). */
function onScalars(reader: FieldReader, test: (value: Scalar) => boolean): EventTest {
  return (ctx) => {
    const value = ctx.read(reader);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (isScalar(value[i]) && test(value[i])) return true;
      return false;
    }
    return isScalar(value) && test(value);
  };
}

/** Text tests see the field lowercased (once per event, cached), unless the rule asked for `cased`. */
function onText(reader: FieldReader, test: TextTest, cased: boolean): EventTest {
  if (cased) return onScalars(reader, (value) => test(String(value)));
  return (ctx: MatchContext) => {
    const value = ctx.read(reader);
    if (typeof value === 'string') return test(ctx.lower(reader, value));
    if (typeof value === 'number' || typeof value === 'boolean') return test(String(value));
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (isScalar(value[i]) && test(String(value[i]).toLowerCase())) return true;
    }
    return false;
  };
}

function isScalar(value: unknown): value is Scalar {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

const decimal = /^-?\d+(\.\d+)?$/;

/** Our events carry some numbers as text (`event.code: '4625'`): a rule's 4625 matches both forms. */
function asNumber(value: Scalar): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && decimal.test(value)) return Number(value);
  return NaN;
}

function compilePatterns(input: FieldValues): CompiledValues | { problems: ValueProblem[] } {
  const { chain, values, reader, keyword, needles } = input;
  const perValue: { text: SigmaString[]; numbers: number[]; booleans: boolean[]; missing: boolean }[] = [];
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    const entry = { text: [] as SigmaString[], numbers: [] as number[], booleans: [] as boolean[], missing: false };
    perValue.push(entry);
    if (value === null) {
      if (keyword) return fail('a keyword must not be null', index);
      if (chain.transforms.length > 0 || chain.cased) return fail('null cannot be combined with modifiers', index);
      entry.missing = true;
      continue;
    }
    if (!keyword && chain.transforms.length === 0 && typeof value === 'number') {
      entry.numbers.push(value);
      continue;
    }
    if (!keyword && chain.transforms.length === 0 && typeof value === 'boolean') {
      entry.booleans.push(value);
      continue;
    }
    const transformed = transformValue(SigmaString.parse(String(value)), chain.transforms);
    if ('error' in transformed) return fail(transformed.error, index);
    entry.text = keyword ? transformed.values.map((v) => v.withLeadingStar().withTrailingStar()) : transformed.values;
  }

  const build = (entries: typeof perValue): CompiledValues => {
    const tests: EventTest[] = [];
    const atoms: NeedleTest[] = [];
    const patterns = entries.flatMap((e) => e.text);
    let gateable = true;
    let cost = 0;
    if (needles && !chain.cased && patterns.length > 0) {
      // Case-insensitive patterns go through the shared scanner: plain substrings are decided by it
      // alone; for the other shapes it checks a piece each must contain before the shape is tested.
      const substrings = patterns.map((p) => patternShape(p, true)).filter((s) => s.kind === 'contains' && s.text !== '') as { text: string }[];
      const others = patterns.filter((p) => {
        const shape = patternShape(p, true);
        return !(shape.kind === 'contains' && shape.text !== '');
      });
      if (substrings.length > 0) {
        const atom = needles.register(
          reader,
          substrings.map((s) => s.text),
        );
        atoms.push(atom);
        tests.push((ctx) => ctx.hit(reader, atom.test));
        cost += 1;
      }
      if (others.length > 0) {
        const pieces = others.map(longestPiece);
        const shapes = others.map((p) => patternShape(p, true));
        const test = onText(reader, anyOf(shapes), false);
        if (pieces.every((piece) => piece !== '')) {
          const atom = needles.register(reader, pieces);
          atoms.push(atom);
          // Comparing an anchored piece (equals, startsWith, endsWith) costs less than scanning the
          // field: use the scan's answer when the field was scanned anyway, never scan for it.
          const anchored = shapes.every((shape) => shape.kind === 'equals' || shape.kind === 'startsWith' || shape.kind === 'endsWith');
          tests.push(anchored ? (ctx) => !ctx.missed(reader, atom.test) && test(ctx) : (ctx) => ctx.hit(reader, atom.test) && test(ctx));
          cost += 2;
        } else {
          gateable = false;
          tests.push(test);
          cost += 6;
        }
      }
    } else if (patterns.length > 0) {
      gateable = false;
      tests.push(onText(reader, anyOf(patterns.map((t) => patternShape(t, !chain.cased))), chain.cased));
      cost += 6;
    }
    const numbers = new Set(entries.flatMap((e) => e.numbers));
    const numberNeedles = needles && numbers.size > 0 && !(reader.paths.length === 1 && reader.paths[0] === 'event.code') ? digitNeedles(numbers) : undefined;
    if (numbers.size > 0) {
      tests.push(onScalars(reader, (v) => numbers.has(asNumber(v))));
      cost += 3;
      // Not the test (that stays the numeric comparison): a gate, so that `LogonType: 10` lets the
      // index skip the rule on a logon of type 3.
      if (numberNeedles !== undefined) atoms.push(needles!.register(reader, numberNeedles));
    }
    for (const expected of new Set(entries.flatMap((e) => e.booleans))) {
      const word = String(expected);
      tests.push(onScalars(reader, (v) => v === expected || (typeof v === 'string' && v.toLowerCase() === word)));
      cost += 3;
    }
    if (entries.some((e) => e.missing)) {
      tests.push((ctx) => ctx.read(reader) == null);
      cost += 1;
    }
    const onlyPatterns = (numbers.size === 0 || numberNeedles !== undefined) && !entries.some((e) => e.booleans.length > 0 || e.missing);
    return { test: combine(tests, false), gates: gateable && onlyPatterns && atoms.length > 0 ? [atoms] : undefined, cost };
  };
  if (!chain.all) return build(perValue);
  // With `all`, every listed value must match (each may have expanded into OR-ed variants): each
  // value's atoms are necessary on their own.
  const parts = perValue.map((e) => build([e]));
  return {
    test: combine(
      parts.map((p) => p.test),
      true,
    ),
    gates: parts.flatMap((p) => p.gates ?? []),
    cost: parts.reduce((sum, p) => sum + p.cost, 0),
  };
}

/**
 * Text a field must contain to equal one of these numbers as `asNumber` reads it: a value is a
 * number, or decimal text whose integer part is the number's (leading zeros aside) or, rounded up
 * from a fraction of nines (`9.99999999999999999` is 10), one less. So for an integer n the digits
 * of |n| or of |n| - 1. Undefined (no gate) for fractions and integers beyond 2^53, whose text may
 * round to them in more ways.
 */
function digitNeedles(numbers: ReadonlySet<number>): string[] | undefined {
  const texts: string[] = [];
  for (const n of numbers) {
    if (!Number.isSafeInteger(n)) return undefined;
    const magnitude = Math.abs(n);
    texts.push(String(magnitude));
    if (magnitude >= 1) texts.push(String(magnitude - 1));
  }
  return texts;
}

/** The longest literal part of a pattern, lowercased: text the field must contain for any match. */
function longestPiece(pattern: SigmaString): string {
  let longest = '';
  for (const part of pattern.parts) if (typeof part === 'string' && part.length > longest.length) longest = part;
  return longest.toLowerCase();
}

/**
 * One text test for many patterns: a set for equality, plain string scans, successive searches for
 * `*` patterns, one regular expression for the patterns with `?`.
 */
function anyOf(shapes: ReturnType<typeof patternShape>[]): TextTest {
  if (shapes.length === 1) return compileTextTest(shapes[0]);
  const equals = new Set<string>();
  const starts: string[] = [];
  const ends: string[] = [];
  const contains: string[] = [];
  const ordered: TextTest[] = [];
  const regexes: string[] = [];
  for (const shape of shapes) {
    if (shape.kind === 'any') return () => true;
    if (shape.kind === 'equals') equals.add(shape.text);
    else if (shape.kind === 'startsWith') starts.push(shape.text);
    else if (shape.kind === 'endsWith') ends.push(shape.text);
    else if (shape.kind === 'contains') contains.push(shape.text);
    else if (shape.kind === 'ordered') ordered.push(compileTextTest(shape));
    else regexes.push(shape.source);
  }
  const regex = regexes.length > 0 ? new RegExp(regexes.join('|')) : undefined;
  return (text) => {
    if (equals.size > 0 && equals.has(text)) return true;
    for (let i = 0; i < starts.length; i++) if (text.startsWith(starts[i])) return true;
    for (let i = 0; i < ends.length; i++) if (text.endsWith(ends[i])) return true;
    for (let i = 0; i < contains.length; i++) if (text.includes(contains[i])) return true;
    for (let i = 0; i < ordered.length; i++) if (ordered[i](text)) return true;
    return regex !== undefined && regex.test(text);
  };
}

function compileExists(input: FieldValues): CompiledValues | { problems: ValueProblem[] } {
  const { values, reader } = input;
  if (values.length !== 1 || typeof values[0] !== 'boolean') return fail("'exists' needs true or false");
  const expected = values[0];
  // Present means present, even when empty or null (Sigma's definition).
  return { test: (ctx) => (ctx.read(reader) !== undefined) === expected, cost: 1 };
}

function compileComparison(input: FieldValues, operator: 'gt' | 'gte' | 'lt' | 'lte'): CompiledValues | { problems: ValueProblem[] } {
  const tests: EventTest[] = [];
  for (let index = 0; index < input.values.length; index++) {
    const bound = input.values[index];
    if (typeof bound !== 'number') return fail(`'${operator}' needs a number`, index);
    const compare =
      operator === 'gt'
        ? (x: number) => x > bound
        : operator === 'gte'
          ? (x: number) => x >= bound
          : operator === 'lt'
            ? (x: number) => x < bound
            : (x: number) => x <= bound;
    tests.push(onScalars(input.reader, (v) => compare(asNumber(v))));
  }
  return { test: combine(tests, input.chain.all), cost: 3 * tests.length };
}

function compileRegex(input: FieldValues): CompiledValues | { problems: ValueProblem[] } {
  const tests: EventTest[] = [];
  // Per expression, a needle every match contains (see requiredLiteral): gates, not part of the test.
  const atoms: (NeedleTest | undefined)[] = [];
  for (let index = 0; index < input.values.length; index++) {
    const source = input.values[index];
    if (typeof source !== 'string') return fail("'re' needs a regular expression as text", index);
    const dialect = pcreOnlySyntax(source);
    if (dialect) return fail(`regular expression uses ${dialect}, which JavaScript reads differently; rewrite it`, index);
    let regex: RegExp;
    let options: ReturnType<typeof leadingRegexOptions>;
    try {
      options = leadingRegexOptions(source, input.chain.regexFlags);
      regex = new RegExp(options.source, options.flags);
    } catch (error) {
      return fail(`invalid regular expression: ${(error as Error).message}`, index);
    }
    // Valid as written; tested in the form that matches the same texts without quadratic backtracking
    // (regex-search-form), and one V8's linear-time fallback can take over where that is possible
    // (regex-safety): the plain form where the lookbehind would keep it out, case spelled out where
    // the i modifier would.
    const tested = testedForm(options.source, options.flags);
    regex = new RegExp(tested.source, tested.flags);
    tests.push(onScalars(input.reader, (v) => regex.test(String(v))));
    const literal = input.needles ? requiredLiteral(options.source) : undefined;
    atoms.push(literal === undefined ? undefined : input.needles!.register(input.reader, [literal]));
  }
  // `all`: each expression's needle is necessary on its own; otherwise one of them, if each has one.
  const gates = input.chain.all
    ? atoms.flatMap((atom) => (atom === undefined ? [] : [[atom]]))
    : atoms.every((atom) => atom !== undefined)
      ? [atoms as NeedleTest[]]
      : undefined;
  return { test: combine(tests, input.chain.all), gates: gates !== undefined && gates.length > 0 ? gates : undefined, cost: 10 * tests.length };
}

/**
 * Escapes PCRE has and JavaScript (without the u flag) silently reads as a plain letter, and POSIX
 * classes, which JavaScript reads as a set of characters. Anything else JavaScript cannot parse
 * (inline flags, named groups in `(?P<` form, possessive quantifiers) fails to compile.
 */
function pcreOnlySyntax(source: string): string | undefined {
  if (/\[\[?:[a-z]+:\]/.test(source)) return 'a POSIX character class';
  for (let i = 0; i < source.length; i++) {
    if (source[i] !== '\\') continue;
    const next = source[i + 1] ?? '';
    if ('AZzGQEhHRKXeaglNopP'.includes(next) && next !== '') return `the escape \\${next}`;
    if (next === 'x' && source[i + 2] === '{') return 'the escape \\x{...}';
    i++;
  }
  return undefined;
}

interface Ipv4Range {
  network: number;
  mask: number;
}

function compileCidr(input: FieldValues): CompiledValues | { problems: ValueProblem[] } {
  const v4: Ipv4Range[] = [];
  const v6: [ipaddr.IPv6, number][] = [];
  for (let index = 0; index < input.values.length; index++) {
    const text = input.values[index];
    if (typeof text !== 'string' || !ipaddr.isValidCIDR(text)) return fail(`'cidr' value '${String(text)}' is not a CIDR range`, index);
    const [address, bits] = ipaddr.parseCIDR(text);
    if (address.kind() === 'ipv4') {
      const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
      v4.push({ network: (ipv4ToInt(address.toString()) & mask) >>> 0, mask });
    } else {
      v6.push([address as ipaddr.IPv6, bits]);
    }
  }
  const contains = (text: string): boolean => {
    const asV4 = ipv4ToInt(text);
    if (asV4 >= 0) {
      for (let i = 0; i < v4.length; i++) if ((asV4 & v4[i].mask) >>> 0 === v4[i].network) return true;
      return false;
    }
    if (v6.length === 0 || !ipaddr.IPv6.isValid(text)) return false;
    const address = ipaddr.IPv6.parse(text);
    return v6.some((range) => address.match(range));
  };
  return { test: onScalars(input.reader, (v) => typeof v === 'string' && contains(v)), cost: 5 };
}

/** Dotted-quad IPv4 as an unsigned integer without allocating, or -1 when the text is not one. */
function ipv4ToInt(text: string): number {
  let result = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 46) {
      if (digits === 0 || dots === 3) return -1;
      result = result * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (code >= 48 && code <= 57) {
      octet = octet * 10 + (code - 48);
      if (++digits > 3 || octet > 255) return -1;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return result * 256 + octet;
}

function compileFieldReference(input: FieldValues): CompiledValues | { problems: ValueProblem[] } {
  const tests: EventTest[] = [];
  for (let index = 0; index < input.values.length; index++) {
    const name = input.values[index];
    if (typeof name !== 'string' || name === '') return fail("'fieldref' needs a field name", index);
    const other = input.resolveReference(name);
    if (!(other instanceof FieldReader)) return fail(other.error, index);
    const reader = input.reader;
    // Equal as Sigma compares strings: case-insensitively; an absent field equals nothing.
    tests.push((ctx) => {
      const left = ctx.read(reader);
      const right = ctx.read(other);
      if (!isScalar(left) || !isScalar(right)) return false;
      const a = typeof left === 'string' ? ctx.lower(reader, left) : String(left);
      const b = typeof right === 'string' ? ctx.lower(other, right) : String(right);
      return a === b;
    });
  }
  return { test: combine(tests, input.chain.all), cost: 4 * tests.length };
}
