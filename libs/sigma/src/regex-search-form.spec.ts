import fc from 'fast-check';
import { searchForm } from './regex-search-form';

describe(searchForm.name, () => {
  it('keeps only the minimum of a repeated single character at either end', () => {
    expect(searchForm('.*mimikatz.*')).toBe('mimikatz');
    expect(searchForm('\\w+`(\\w+|-|.)`[\\w+|\\s]')).toBe('\\w`(\\w+|-|.)`[\\w+|\\s]');
    expect(searchForm('[a-z]+\\.exe')).toBe('[a-z]\\.exe');
    expect(searchForm('\\s*-enc\\s+')).toBe('-enc\\s');
    expect(searchForm('x{3,}y{2,5}?')).toBe('(?<!x)x{3,}y{2}');
    expect(searchForm('.{1000,}')).toBe('(?<!.).{1000,}');
    expect(searchForm('[^/]{100,}$')).toBe('(?<![^/])[^/]{100,}$');
    expect(searchForm('[a-z]{5,6}\\.wll')).toBe('(?<![a-z])[a-z]{5,}\\.wll');
    expect(searchForm('.+?:assumed-role/aws:.+')).toBe('.:assumed-role/aws:.');
    expect(searchForm('\\d?')).toBe('');
  });

  it('leaves anchored ends, alternation, groups and what it does not read', () => {
    for (const source of ['^.*foo', 'foo.*$', '^\\s*x\\s*$', 'a+|b', '(ab)+c', 'c(ab)*', '\\1+x', 'a\\b+', '\\x41+', 'a{,2}', '}+', 'foo', '']) {
      expect(searchForm(source)).toBe(source);
    }
  });

  it('matches exactly the texts the expression matches somewhere, with any of the flags', () => {
    // Expressions from a small grammar of the constructs SigmaHQ uses, texts from the same alphabet.
    const atom = fc.constantFrom(
      'a',
      'b',
      '-',
      '`',
      '.',
      '\\w',
      '\\s',
      '\\d',
      '\\W',
      '|',
      '[ab]',
      '[^a]',
      '(a|b)',
      '(?:ab)',
      '(?=a)',
      '(?<=b)',
      '^',
      '$',
      '\\b',
      '\\.',
      'σ',
    );
    const piece = fc.tuple(atom, fc.constantFrom('', '', '*', '+', '?', '{2}', '{0,2}', '{2,}', '+?', '*?')).map(([a, q]) => a + q);
    const expression = fc.array(piece, { minLength: 1, maxLength: 6 }).map((pieces) => pieces.join(''));
    const text = fc.array(fc.constantFrom('a', 'b', 'A', '-', '`', ' ', '\n', '1', '.', 'σ', 'ς'), { maxLength: 16 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(expression, fc.array(text, { minLength: 1, maxLength: 10 }), fc.constantFrom('', 'i', 's', 'm', 'ims'), (source, texts, flags) => {
        let original: RegExp;
        try {
          original = new RegExp(source, flags);
        } catch {
          return; // the grammar makes some invalid ones (`\\b+`): the compiler rejects those first
        }
        const rewritten = new RegExp(searchForm(source), flags);
        for (const candidate of texts) expect([source, candidate, rewritten.test(candidate)]).toEqual([source, candidate, original.test(candidate)]);
      }),
      { numRuns: 3000 },
    );
  });
});
