import fc from 'fast-check';
import { FieldReaders } from './match-context';
import { NeedleRegistry, NeedleScanner } from './needle-scanner';

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

describe(`${NeedleScanner.name} without lowercasing the text`, () => {
  // Upper and lower case, letters whose lowercase is not theirs alone (İ, Σ at a word's end, astral
  // letters as surrogate pairs), Danish letters, dashes, an emoji, a Kelvin sign (lowercase: k).
  const alphabet = [
    'a',
    'A',
    'k',
    'K',
    '\u212a',
    'i',
    'I',
    '\u0130',
    '\u0307',
    'σ',
    'ς',
    'Σ',
    'æ',
    'Æ',
    'ø',
    'Ø',
    '-',
    '/',
    '\u2013',
    ' ',
    '\ud801\udc00',
    '\ud801\udc28',
    '😀',
    'x',
  ];
  const word = (max: number) => fc.array(fc.constantFrom(...alphabet), { maxLength: max }).map((parts) => parts.join(''));

  it('finds exactly the needles that `text.toLowerCase().includes` finds, dense or sparse', () => {
    fc.assert(
      fc.property(
        fc.array(word(5), { minLength: 1, maxLength: 12 }),
        fc.array(word(30), { maxLength: 8 }),
        fc.constantFrom(1, 8, 64, 1 << 20),
        (raw, texts, budget) => {
          const needles = raw
            .map((text) => text.toLowerCase())
            .filter((text) => text !== '')
            .map((text, test) => ({ text, test }));
          const scanner = new NeedleScanner(needles, budget);
          for (const text of texts) {
            const lower = text.toLowerCase();
            const expected = [...new Set(needles.filter((n) => lower.includes(n.text)).map((n) => n.test))].sort((a, b) => a - b);
            expect(scanned(scanner, text, needles.length)).toEqual(expected);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('finds exactly what `includes` finds when few long needles let the scan skip (Wu–Manber), on ASCII and other texts', () => {
    let found = 0;
    // Four letters once folded (a, b, :, k), so that needles overlap, share pairs and occur in most texts.
    const ascii = fc.constantFrom('a', 'B', 'b', ':', 'K');
    const text = (min: number, max: number) => fc.array(ascii, { minLength: min, maxLength: max }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(
        fc.array(text(4, 9), { minLength: 1, maxLength: 20 }),
        fc.array(fc.tuple(text(20, 80), fc.constantFrom('', '\u212a', 'é', '\u0130', '😀')), { minLength: 1, maxLength: 8 }),
        (raw, texts) => {
          const needles = raw.map((needle, test) => ({ text: needle.toLowerCase(), test }));
          const scanner = new NeedleScanner(needles);
          for (const [plain, extra] of texts) {
            const scannedText = plain.slice(0, plain.length >> 1) + extra + plain.slice(plain.length >> 1);
            const lower = scannedText.toLowerCase();
            const expected = [...new Set(needles.filter((n) => lower.includes(n.text)).map((n) => n.test))].sort((a, b) => a - b);
            expect(scanned(scanner, scannedText, needles.length)).toEqual(expected);
            found += expected.length;
          }
        },
      ),
      { numRuns: 600, seed: 20261203 },
    );
    expect(found).toBeGreaterThan(300); // the texts do hold needles
  });

  it('keeps the table within its budget: deeper states are sparse', () => {
    const needles = Array.from({ length: 200 }, (_, test) => ({ text: `needle-${test}-${'abcdefgh'.slice(test % 8)}`, test }));
    const scanner = new NeedleScanner(needles, 64 * 20);
    expect(scanner.size.dense).toBeLessThan(scanner.size.states);
    expect(scanned(scanner, 'xx NEEDLE-17-BCDEFGH yy needle-3-defgh', needles.length)).toEqual([3, 17]);
  });
});

describe(NeedleRegistry.name, () => {
  it('gives the same needles on the same field the same test, whatever their order and repeats', () => {
    const readers = new FieldReaders();
    const url = readers.get(['url.original']);
    const user = readers.get(['user.name']);
    const registry = new NeedleRegistry();
    const first = registry.register(url, ['union select', '../']);
    expect(registry.register(url, ['../', 'union select', '../'])).toBe(first);
    expect(registry.register(url, ['../']).test).not.toBe(first.test);
    expect(registry.register(user, ['union select', '../']).test).not.toBe(first.test);
    expect(registry.size).toBe(3);
  });

  it('reports a shared test when any of its needles occurs', () => {
    const readers = new FieldReaders();
    const url = readers.get(['url.original']);
    const registry = new NeedleRegistry();
    const shared = registry.register(url, ['union select', '../']);
    registry.register(url, ['../', 'union select']);
    const other = registry.register(url, ['etc/passwd']);
    const scanner = registry.scanner(url)!;
    expect(scanned(scanner, '/a/../b', registry.size)).toEqual([shared.test]);
    expect(scanned(scanner, '/../etc/passwd', registry.size)).toEqual([shared.test, other.test]);
  });
});
