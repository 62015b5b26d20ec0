import { anyChars, compileTextTest, oneChar, patternShape, SigmaString } from './sigma-string';

describe(SigmaString.name, () => {
  it('reads * and ? as wildcards', () => {
    expect(SigmaString.parse('a*b?c').parts).toEqual(['a', anyChars, 'b', oneChar, 'c']);
  });

  it('reads \\* and \\? as literal characters', () => {
    expect(SigmaString.parse('a\\*b\\?').parts).toEqual(['a*b?']);
  });

  it('keeps a backslash that escapes nothing, as in Windows paths', () => {
    expect(SigmaString.parse('C:\\Windows\\').parts).toEqual(['C:\\Windows\\']);
  });

  it('reads \\\\ as one backslash, so \\\\* is a backslash then a wildcard', () => {
    expect(SigmaString.parse('a\\\\*').parts).toEqual(['a\\', anyChars]);
    expect(SigmaString.parse('a\\\\\\*').parts).toEqual(['a\\*']);
    expect(SigmaString.parse('a\\\\\\\\b').parts).toEqual(['a\\\\b']);
  });

  it('collapses runs of * when wildcards are added', () => {
    expect(SigmaString.parse('*x*').withLeadingStar().withTrailingStar().parts).toEqual([anyChars, 'x', anyChars]);
  });
});

describe(patternShape.name, () => {
  it('uses string primitives for the common shapes and a regular expression otherwise', () => {
    expect(patternShape(SigmaString.parse('ABC'), true)).toEqual({ kind: 'equals', text: 'abc' });
    expect(patternShape(SigmaString.parse('abc*'), true)).toEqual({ kind: 'startsWith', text: 'abc' });
    expect(patternShape(SigmaString.parse('*abc'), true)).toEqual({ kind: 'endsWith', text: 'abc' });
    expect(patternShape(SigmaString.parse('*abc*'), true)).toEqual({ kind: 'contains', text: 'abc' });
    expect(patternShape(SigmaString.parse('*'), true)).toEqual({ kind: 'any' });
    expect(patternShape(SigmaString.parse('a*b.c'), false)).toEqual({ kind: 'ordered', pieces: ['a', 'b.c'], anchoredStart: true, anchoredEnd: true });
    expect(patternShape(SigmaString.parse('a?b.c*'), false)).toEqual({ kind: 'regex', source: '^a[\\s\\S]b\\.c[\\s\\S]*$' });
  });

  it('finds the pieces of a * pattern in order, without overlapping the anchored ends', () => {
    const test = compileTextTest(patternShape(SigmaString.parse('ab*cd*ba'), false));
    expect(test('abXcdYba')).toBe(true);
    expect(test('abcdba')).toBe(true);
    expect(test('abcba')).toBe(false);
    expect(test('abXdcYba')).toBe(false);
    const inner = compileTextTest(patternShape(SigmaString.parse('*union/*/select*'), false));
    expect(inner('?id=1 union/**/select 1')).toBe(true);
    expect(inner('?id=1 select/**/union 1')).toBe(false);
  });

  it('compiles a regular expression shape that treats ? as exactly one character', () => {
    const test = compileTextTest(patternShape(SigmaString.parse('a?c'), true));
    expect(test('abc')).toBe(true);
    expect(test('ac')).toBe(false);
    expect(test('a\nc')).toBe(true);
  });
});
