import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from '@swc/core';
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

  it('reads the same where code generation from strings is disallowed (node --disallow-code-generation-from-strings)', () => {
    // match-context.ts imports types only: transpiled alone, it runs in a plain node child process.
    const source = readFileSync(join(__dirname, 'match-context.ts'), 'utf8');
    const { code } = transformSync(source, {
      filename: 'match-context.ts',
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    });
    const folder = mkdtempSync(join(tmpdir(), 'field-reader-'));
    try {
      writeFileSync(join(folder, 'match-context.js'), code);
      const script = [
        `const { FieldReader } = require(${JSON.stringify(join(folder, 'match-context.js'))});`,
        `let generated = true; try { new Function(''); } catch { generated = false; }`,
        `const event = { winlog: { event_data: { CommandLine: 'whoami' } }, process: { command_line: 'second' } };`,
        `const read = (paths) => new FieldReader(0, paths).read(event);`,
        `console.log(JSON.stringify({ generated, first: read(['winlog.event_data.CommandLine', 'process.command_line']), second: read(['x.y', 'process.command_line']), none: read(['constructor']) }));`,
      ].join('\n');
      const output = execFileSync(process.execPath, ['--disallow-code-generation-from-strings', '-e', script], { encoding: 'utf8' });
      expect(JSON.parse(output)).toEqual({ generated: false, first: 'whoami', second: 'second' });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
