import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from '@swc/core';
import fc from 'fast-check';
import { caseExpanded, runsInLinearTime, testedForm } from './regex-safety';
import { compileOrThrow, detectionRule, matches, securityEvent } from './testing/rules';

describe(runsInLinearTime.name, () => {
  it('tells which expressions V8 can hand to its linear-time engine', () => {
    expect(runsInLinearTime('(a+)+b', 'ms')).toBe(true);
    expect(runsInLinearTime('(a+)+b', 'i')).toBe(false);
    expect(runsInLinearTime('(?<=x)(a+)+b', '')).toBe(false);
    expect(runsInLinearTime('(a)\\1', '')).toBe(false);
  });
});

describe('Sigma re values that backtrack exponentially', () => {
  const rule = (expression: string) => detectionRule(`selection:\n    CommandLine|re: '${expression}'\ncondition: selection`);

  it("finish on V8's linear-time engine once the fallback is on", () => {
    // In a process of its own, so that a missing fallback fails the test (killed after 30 s)
    // instead of hanging the test run: 2^60 ways to fail on the backtracking engine alone.
    const folder = mkdtempSync(join(tmpdir(), 'regex-safety-'));
    try {
      for (const name of ['regex-safety', 'regex-search-form', 'regex-literal']) {
        const { code } = transformSync(readFileSync(join(__dirname, `${name}.ts`), 'utf8'), {
          filename: `${name}.ts`,
          jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
          module: { type: 'commonjs' },
        });
        writeFileSync(join(folder, `${name}.js`), code);
      }
      const script = [
        `require(${JSON.stringify(join(folder, 'regex-safety.js'))}).enableLinearFallback();`,
        `const regex = /(a+)+b/;`,
        `console.log(JSON.stringify([regex.test('b' + 'a'.repeat(60) + 'c'), regex.test('b' + 'a'.repeat(60) + 'b')]));`,
      ].join('\n');
      const output = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
      expect(JSON.parse(output)).toEqual([false, true]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('turn the fallback on in the process that compiles them, and still match', () => {
    const rules = compileOrThrow(rule('(a+)+b'));
    expect(() => new RegExp('a', 'l')).not.toThrow(); // the flag set with it: the process has the fallback
    expect(matches(rules, securityEvent('4688', { CommandLine: 'xaab' }))).toBe(true);
    expect(matches(rules, securityEvent('4688', { CommandLine: 'xbaa' }))).toBe(false);
  });
});

describe(caseExpanded.name, () => {
  it('writes each ASCII letter in both cases, in classes and out', () => {
    expect(caseExpanded('cmd\\.exe\\s+/c')).toBe('[cC][mM][dD]\\.[eE][xX][eE]\\s+/[cC]');
    expect(caseExpanded('[a-f0-9_]{32}')).toBe('[a-fA-F0-9_]{32}');
    expect(caseExpanded('[^]a]')).toBe('[^][aA]]');
    expect(caseExpanded('(?<verb>get|post)\\b')).toBe('(?<verb>[gG][eE][tT]|[pP][oO][sS][tT])\\b');
    expect(runsInLinearTime(caseExpanded('(a+)+b')!, '')).toBe(true);
  });

  it('gives nothing where the i modifier may mean more', () => {
    for (const source of ['caf\u00e9', '\\x41', '\\u0061', '\\cJ', '(a)\\1', '\\q', '[Z-a]', '[\\x00-z]', '[\\B]']) {
      expect([source, caseExpanded(source)]).toEqual([source, undefined]);
    }
  });

  it('matches exactly the texts the expression matches with the i modifier', () => {
    const atom = fc.constantFrom(
      'a',
      'B',
      'k',
      's',
      'z',
      '-',
      '.',
      '\\w',
      '\\W',
      '\\s',
      '\\d',
      '\\b',
      '\\n',
      '\\.',
      '[a-c]',
      '[^K]',
      '[A-Z]',
      '[s-z0-9]',
      '[-k]',
      '[\\w-]',
      '[^]',
      '[]',
      '(a|B)',
      '(?:kS)',
      '(?<n>a)',
      '(?=s)',
      '(?<!k)',
      '^',
      '$',
    );
    const piece = fc.tuple(atom, fc.constantFrom('', '', '*', '+', '?', '{2}', '+?')).map(([a, q]) => a + q);
    const expression = fc.array(piece, { minLength: 1, maxLength: 6 }).map((pieces) => pieces.join(''));
    // Letters whose case folding reaches ASCII in some mode: the long s, the Kelvin sign, dotted and dotless i.
    const text = fc
      .array(fc.constantFrom('a', 'A', 'b', 'B', 'k', 'K', 's', 'S', 'z', 'Z', '\u017f', '\u212a', '\u0130', '\u0131', '-', ' ', '\n', '1', '_'), {
        maxLength: 12,
      })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(expression, fc.array(text, { minLength: 1, maxLength: 10 }), fc.constantFrom('', 'm', 's'), (source, texts, flags) => {
        let original: RegExp;
        try {
          original = new RegExp(source, `${flags}i`);
        } catch {
          return;
        }
        const expanded = caseExpanded(source);
        if (expanded === undefined) return;
        const plain = new RegExp(expanded, flags);
        for (const candidate of texts) expect([source, candidate, plain.test(candidate)]).toEqual([source, candidate, original.test(candidate)]);
      }),
      { numRuns: 3000 },
    );
  });
});

describe(testedForm.name, () => {
  it('picks a form the linear-time engine can run, else the search form', () => {
    expect(testedForm('(a+)+b', '')).toEqual({ source: '(a+)+b', flags: '' });
    expect(testedForm('(a+)+b', 'i')).toEqual({ source: '([aA]+)+[bB]', flags: '' });
    expect(testedForm('[a-z]{5,6}\\.wll', 'i')).toEqual({ source: '[a-zA-Z]{5}\\.[wW][lL][lL]', flags: '' });
    expect(testedForm('.{1000,}', '')).toEqual({ source: '(?<!.).{1000,}', flags: '' });
    expect(testedForm('(?<=x)(a+)+b', 'i')).toEqual({ source: '(?<=x)(a+)+b', flags: 'i' });
    for (const [source, flags] of [
      ['(a+)+b', 'i'],
      ['(\\w+\\s?)+$', 'im'],
      ['.*mimikatz.*', 's'],
    ]) {
      const form = testedForm(source, flags);
      expect([source, runsInLinearTime(form.source, form.flags)]).toEqual([source, true]);
    }
  });
});
