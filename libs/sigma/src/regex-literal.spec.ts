import fc from 'fast-check';
import { requiredLiteral } from './regex-literal';

describe(requiredLiteral.name, () => {
  it('finds the longest run of literal characters at the top level', () => {
    expect(requiredLiteral('\\w+`(\\w+|-|.)`[\\w+|\\s]')).toBe('`');
    expect(requiredLiteral('Invoke-Expression\\s+\\(')).toBe('invoke-expression');
    expect(requiredLiteral('\\\\Temp\\\\[a-z]{8}\\.exe$')).toBe('\\temp\\');
    expect(requiredLiteral('ab+c')).toBe('ab');
    expect(requiredLiteral('abc?d')).toBe('ab');
    expect(requiredLiteral('x{2,}yz')).toBe('yz');
  });

  it('gives nothing where no piece is necessary', () => {
    for (const source of ['a|b', '(abc)', '[abc]+', '.*', 'a?', '\\d+', '^$', '(?:abc)?x|y', 'ä']) expect(requiredLiteral(source)).toBeUndefined();
  });

  it('is contained in every text the expression matches, with or without the i flag', () => {
    // Expressions from a small grammar of the constructs SigmaHQ uses, texts from the same alphabet.
    const letters = ['a', 'B', 'k', '-', '`', '\\', '.', ' ', 'σ', 'ς', '\u212a', 'İ'];
    const atom = fc.oneof(
      fc.constantFrom('a', 'b', 'k', 'B', '-', '`', '\\\\', '\\.', ' ', 'σ', '.', '\\w', '\\s', '\\d', '[ab]', '[^a]', '(a|b)', '(?:ab)', '^', '$', '\\b'),
      fc.constantFrom('a', 'k', '`'),
    );
    const piece = fc.tuple(atom, fc.constantFrom('', '', '', '*', '+', '?', '{2}', '{0,2}', '+?')).map(([a, q]) => a + q);
    const expression = fc.array(piece, { minLength: 1, maxLength: 8 }).map((pieces) => pieces.join(''));
    const text = fc.array(fc.constantFrom(...letters), { maxLength: 20 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(expression, fc.array(text, { minLength: 1, maxLength: 10 }), fc.constantFrom('', 'i', 's', 'im'), (source, texts, flags) => {
        const literal = requiredLiteral(source);
        if (literal === undefined) return;
        let regex: RegExp;
        try {
          regex = new RegExp(source, flags);
        } catch {
          return; // the grammar makes some invalid ones (`\\b+`): the compiler rejects those
        }
        for (const candidate of [...texts, ...texts.map((t) => `${t}${literal}${t}`), ...texts.map((t) => t.toUpperCase())]) {
          if (regex.test(candidate)) expect(candidate.toLowerCase()).toContain(literal);
        }
      }),
      { numRuns: 3000, seed: 15 },
    );
  });
});
