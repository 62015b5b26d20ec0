import { NeedleScanner } from './needle-scanner';

/** The tests whose needles occur in `text`, found by the scanner. */
const scanned = (scanner: NeedleScanner, text: string, tests: number): number[] => {
  const stamps = new Int32Array(tests);
  const found = new Int32Array(tests);
  const count = scanner.scan(text, stamps, 1, found, 0);
  return [...found.slice(0, count)].sort((a, b) => a - b);
};

describe(NeedleScanner.name, () => {
  it('finds every needle, also overlapping ones and needles inside other needles', () => {
    const needles = ['he', 'she', 'his', 'hers', 'union select', 'select'].map((text, test) => ({ text, test }));
    const scanner = new NeedleScanner(needles);
    expect(scanned(scanner, 'ushers', 6)).toEqual([0, 1, 3]);
    expect(scanned(scanner, '?q=1 union select 2', 6)).toEqual([4, 5]);
    expect(scanned(scanner, 'nothing here', 6)).toEqual([0]);
    expect(scanned(scanner, '', 6)).toEqual([]);
  });

  it('reports a test once per event even when several of its needles occur', () => {
    const scanner = new NeedleScanner([
      { text: 'a', test: 0 },
      { text: 'b', test: 0 },
    ]);
    expect(scanned(scanner, 'abab', 1)).toEqual([0]);
  });

  it('agrees with includes on random needles and texts, including characters no needle has', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const alphabet = 'abc/.%é€';
    const word = (length: number): string => Array.from({ length }, () => alphabet[random(alphabet.length)]).join('');
    for (let round = 0; round < 50; round++) {
      const needles = Array.from({ length: 1 + random(12) }, (_, test) => ({ text: word(1 + random(4)), test }));
      const scanner = new NeedleScanner(needles);
      for (let t = 0; t < 20; t++) {
        const text = word(random(30)) + 'xyz';
        const expected = needles.filter((n) => text.includes(n.text)).map((n) => n.test);
        expect(scanned(scanner, text, needles.length)).toEqual(expected);
      }
    }
  });
});
