import fc from 'fast-check';
import { FieldReader } from './match-context';

/** What a reader returns, written as the plain loop it is generated from. */
function readByLoop(event: object, paths: readonly string[]): unknown {
  for (const path of paths) {
    let value: unknown = event;
    for (const segment of path.split('.')) {
      value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
      if (value === undefined) break;
    }
    if (value !== undefined && typeof value !== 'function') return value;
  }
  return undefined;
}

describe(FieldReader.name, () => {
  it('reads the first present path, nested objects only, never an inherited function', () => {
    const event = {
      winlog: { event_data: { CommandLine: 'whoami /all', Empty: null } },
      process: { command_line: 'ignored: the first path is present' },
      user: 'a string, not an object',
      list: ['a', 'b'],
    };
    expect(new FieldReader(0, ['winlog.event_data.CommandLine', 'process.command_line']).read(event)).toBe('whoami /all');
    expect(new FieldReader(0, ['winlog.event_data.Missing', 'process.command_line']).read(event)).toBe('ignored: the first path is present');
    expect(new FieldReader(0, ['winlog.event_data.Empty']).read(event)).toBeNull();
    expect(new FieldReader(0, ['user.name']).read(event)).toBeUndefined();
    expect(new FieldReader(0, ['list.1']).read(event)).toBe('b');
    expect(new FieldReader(0, ['constructor', 'winlog.toString']).read(event)).toBeUndefined();
    expect(new FieldReader(0, ['__proto__.hasOwnProperty']).read(event)).toBeUndefined();
  });

  it('takes any segment as data: quotes, backslashes, line separators and code stay property names', () => {
    const odd = ['a"b', "c'd", 'e\\f', 'g\u2028h', '`${x}`', '"];globalThis["exit"](1);//', '\n', ''];
    for (const segment of odd) {
      const event = { outer: { [segment]: `value of ${segment}` } };
      expect(new FieldReader(0, [`outer.${segment}`]).read(event)).toBe(`value of ${segment}`);
    }
  });

  it('answers as the plain loop does on random events and paths', () => {
    const names = fc.constantFrom('a', 'b', 'c', 'constructor', '__proto__', 'toString', '0', 'x.y');
    const leaf = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(() => 1),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.dictionary(names, tie('node'), { maxKeys: 4 }), fc.array(tie('node'), { maxLength: 3 })),
    })).node;
    const path = fc.array(names, { minLength: 1, maxLength: 4 }).map((segments) => segments.join('.'));
    fc.assert(
      fc.property(fc.dictionary(names, tree, { maxKeys: 5 }), fc.array(path, { minLength: 1, maxLength: 3 }), (event, paths) => {
        expect(new FieldReader(0, paths).read(event)).toBe(readByLoop(event, paths));
      }),
      { numRuns: 2_000, seed: Number(process.env.FUZZ_SEED ?? 20261202) },
    );
  });
});
