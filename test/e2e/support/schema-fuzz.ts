import fc from 'fast-check';
import { z } from 'zod';
import { checkProperty } from './fuzz';

/**
 * Fuzzing of the API's zod schemas (queries and bodies), shared by the unit specs beside each
 * schema. Inputs are anything JavaScript can hold, any JSON, and objects with the schema's own
 * keys filled with the values that break parsers (numbers as text, limits and one past them,
 * odd dates, huge strings, arrays where one value was expected, prototype keys).
 */

/** A time within two days, written with an offset from -12:00 to +14:00 (the same instant has many spellings). */
const zonedTime: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 0, max: 2 * 86_400 }), fc.integer({ min: -12 * 4, max: 14 * 4 }))
  .map(([seconds, quarters]) => {
    const offsetMinutes = quarters * 15;
    const local = new Date(Date.parse('2026-11-29T00:00:00Z') + seconds * 1000 + offsetMinutes * 60_000).toISOString().slice(0, 19);
    const sign = offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(offsetMinutes);
    return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  });

/** Strings as a query string delivers them, biased to the edges of numeric and date checks. */
export const queryText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '0',
    '1',
    '-1',
    '1.5',
    '1e3',
    '1e400',
    '0x10',
    ' 5 ',
    '5abc',
    'NaN',
    'Infinity',
    '-0',
    '00',
    '9007199254740993',
    '50',
    '99',
    '100',
    '101',
    '499',
    '500',
    '501',
    '999',
    '1000',
    '1001',
    '10000',
    '1000000',
    '1000001',
    'true',
    'false',
    'null',
    'undefined',
    '2026-11-29',
    '2026-02-30',
    '2026-13-01',
    '0000-01-01',
    '9999-12-31',
    '2024-02-29',
    '2025-02-29',
    '2026-11-30T10:00:00Z',
    '2026-11-30T10:00:00+05:00',
    '2026-11-30T10:00:00.123456789Z',
    '2026-11-30T24:00:00Z',
    '2026-11-30 10:00:00',
    '__proto__',
    'constructor',
    'toString',
    'open',
    'closed',
    'critical',
    'day',
    'week',
    'month',
    'year',
    'period',
    'json',
    'csv',
    'global',
    'member',
    'stix',
    'misp',
    'ipv4',
    'domain',
    '%00',
    '\u0000',
    '\ud800',
    '../../etc/passwd',
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  // 20,000: a URL over Node's 16 KiB header limit.
  fc.constantFrom(201, 2_001, 10_001, 20_000).map((n) => 'x'.repeat(n)),
  zonedTime,
);

/** A query object: some of the schema's keys (a repeated key arrives as an array), sometimes a stranger key. */
export function queryInput(keys: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const value = fc.oneof({ weight: 5, arbitrary: queryText }, { weight: 1, arbitrary: fc.array(queryText, { minLength: 2, maxLength: 3 }) });
  return fc
    .tuple(
      fc.subarray([...keys]),
      fc.array(value, { minLength: keys.length, maxLength: keys.length }),
      fc.option(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'extra', 'threshold', 'Size'), value), { freq: 5 }),
    )
    .map(([chosen, values, stranger]) => {
      const input: Record<string, unknown> = {};
      chosen.forEach((key, i) => (input[key] = values[i]));
      if (stranger) Object.defineProperty(input, stranger[0], { value: stranger[1], enumerable: true, writable: true, configurable: true });
      return input;
    });
}

/** A JSON body: some of the schema's keys with JSON values (or the values of `hints`), sometimes a stranger key. */
export function bodyInput(keys: readonly string[], hints: Record<string, fc.Arbitrary<unknown>> = {}): fc.Arbitrary<Record<string, unknown>> {
  const anyJson = fc.oneof(
    queryText,
    fc.jsonValue({ maxDepth: 2 }),
    fc.array(queryText, { maxLength: 3 }),
    fc.constantFrom(null, true, 0, -1, 1.5, 1e308, [], {}),
  );
  return fc
    .tuple(
      fc.subarray([...keys]),
      fc.tuple(...keys.map((key) => (hints[key] ? fc.oneof({ weight: 3, arbitrary: hints[key] }, { weight: 1, arbitrary: anyJson }) : anyJson))),
      fc.option(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'extra', 'id', 'organization'), anyJson), { freq: 5 }),
    )
    .map(([chosen, values, stranger]) => {
      const input: Record<string, unknown> = {};
      for (const key of chosen) input[key] = values[keys.indexOf(key)];
      if (stranger) Object.defineProperty(input, stranger[0], { value: stranger[1], enumerable: true, writable: true, configurable: true });
      return input;
    });
}

/** Mostly a valid value, sometimes one of the invalid ones: near-valid input reaches the deeper checks. */
export function mostly<T>(valid: fc.Arbitrary<T>, ...invalid: unknown[]): fc.Arbitrary<unknown> {
  return invalid.length === 0 ? valid : fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: fc.constantFrom(...invalid) });
}

/** Anything at all: every JavaScript value fast-check makes (null prototypes, boxed values, dates, maps) and any JSON. */
export const anyInput: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    withNullPrototype: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withSparseArray: true,
    withObjectString: true,
    withBigInt: true,
    withTypedArray: true,
  }),
  fc.jsonValue(),
);

/**
 * The property every API schema keeps: whatever it is given, it answers with a zod error or
 * accepts; never another exception (TypeError, RangeError...) that would become a 500. What it
 * accepts is then held to the documented bounds by `bounds` (which throws to fail).
 */
export function fuzzSchema<S extends z.ZodType>(
  schema: S,
  inputs: fc.Arbitrary<unknown>,
  numRuns: number,
  bounds: (accepted: z.output<S>, input: unknown) => void = () => undefined,
): void {
  let acceptedCount = 0;
  checkProperty(
    fc.property(inputs, (input) => {
      let accepted: z.output<S>;
      try {
        accepted = schema.parse(input);
      } catch (error) {
        if (error instanceof z.ZodError) return;
        throw new Error(`threw ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`);
      }
      acceptedCount++;
      bounds(accepted, input);
    }),
    numRuns,
  );
  // The bounds were checked on something: the inputs do reach acceptance.
  if (acceptedCount === 0) throw new Error(`none of ${numRuns} fuzzed inputs was accepted: the bounds were never checked`);
}

/** Fails the property with a message naming the broken bound. */
export function bound(holds: boolean, what: string, value: unknown): void {
  if (!holds) throw new Error(`accepted ${JSON.stringify(value)}, but ${what}`);
}
