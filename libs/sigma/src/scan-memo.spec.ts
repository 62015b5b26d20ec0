import fc from 'fast-check';
import { NeedleScanner } from './needle-scanner';
import { ScanMemo, type ScanMemoLimits } from './scan-memo';

const limits: ScanMemoLimits = { minLength: 4, maxLength: 40, maxEntries: 3, maxCharacters: 1_000, minHitRatio: 0.25, pausedScans: 5 };
const tests = (...ids: number[]): Int32Array => Int32Array.from(ids);
const text = (n: number): string => `value-${n}`;

describe(ScanMemo.name, () => {
  it('answers a text it was told about, and only that text', () => {
    const memo = new ScanMemo(limits);
    memo.remember(text(1), tests(3, 5));
    expect(memo.wants(text(1))).toBe(true);
    expect([...memo.recall(text(1))!]).toEqual([3, 5]);
    expect(memo.recall(text(2))).toBeUndefined();
  });

  it('wants no text shorter or longer than its bounds', () => {
    const memo = new ScanMemo(limits);
    expect(memo.wants('abc')).toBe(false);
    expect(memo.wants('abcd')).toBe(true);
    expect(memo.wants('x'.repeat(40))).toBe(true);
    expect(memo.wants('x'.repeat(41))).toBe(false);
  });

  it('holds at most two generations, by entries and by characters', () => {
    const memo = new ScanMemo(limits);
    for (let n = 0; n < 20; n++) {
      memo.wants(text(n));
      memo.recall(text(n - 1)); // every other lookup hits: the memo keeps remembering
      memo.remember(text(n), tests(n));
      expect(memo.size).toBeLessThanOrEqual(2 * limits.maxEntries);
    }
    expect(memo.recall(text(19))).toBeDefined();
    expect(memo.recall(text(0))).toBeUndefined();

    const byCharacters = new ScanMemo({ ...limits, maxEntries: 100, maxCharacters: 25 });
    for (let n = 0; n < 10; n++) byCharacters.remember(`${'x'.repeat(8)}${n}`, tests(n)); // 9 characters each
    // Two texts fit in 25 characters per generation: the last four are held.
    expect(byCharacters.size).toBe(4);
    expect(byCharacters.recall(`${'x'.repeat(8)}6`)).toBeDefined();
    expect(byCharacters.recall(`${'x'.repeat(8)}5`)).toBeUndefined();
  });

  it('keeps a text that keeps coming back across generations', () => {
    const memo = new ScanMemo(limits);
    memo.remember('recurring text', tests(1));
    for (let n = 0; n < 12; n++) {
      memo.remember(text(n), tests());
      expect(memo.recall('recurring text')).toBeDefined();
    }
  });

  it('stops remembering for a while when texts do not repeat, then tries again', () => {
    const memo = new ScanMemo(limits);
    let n = 0;
    // A generation of misses (3 texts), then the fourth insert finds the hit ratio at 0.
    for (; n < 4; n++) {
      expect(memo.wants(text(n))).toBe(true);
      expect(memo.recall(text(n))).toBeUndefined();
      memo.remember(text(n), tests());
    }
    expect(memo.size).toBe(1);
    for (let paused = 0; paused < limits.pausedScans; paused++) expect(memo.wants(text(n++))).toBe(false);
    expect(memo.wants(text(n))).toBe(true);
  });
});

describe(`${NeedleScanner.name}.scanFirst`, () => {
  // Few distinct texts, so that most scans repeat one, and a memo small enough to turn over and to
  // pause: whatever the memo holds, the first scan of a field must find what a scan finds.
  const alphabet = ['a', 'b', 'A', 'é', '/', '-', ' '];
  const word = (max: number) => fc.array(fc.constantFrom(...alphabet), { maxLength: max }).map((parts) => parts.join(''));

  it('stamps and lists exactly what scan does, in the same order, for repeated and new texts', () => {
    fc.assert(
      fc.property(
        fc.array(
          word(4).filter((w) => w !== ''),
          { minLength: 1, maxLength: 10 },
        ),
        fc.array(word(24), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 200 }),
        (needleTexts, pool, picks) => {
          const needles = needleTexts.map((t, test) => ({ text: t.toLowerCase(), test }));
          const remembering = new NeedleScanner(needles, undefined, limits);
          const plain = new NeedleScanner(needles);
          const size = needles.length;
          const [stampsA, stampsB] = [new Int32Array(size), new Int32Array(size)];
          const [foundA, foundB] = [new Int32Array(size), new Int32Array(size)];
          picks.forEach((pick, i) => {
            const epoch = i + 1;
            const value = pool[pick % pool.length] + 'xxxx'; // long enough to be remembered
            const a = remembering.scanFirst(value, stampsA, epoch, foundA, 0);
            const b = plain.scan(value, stampsB, epoch, foundB, 0);
            expect([...foundA.slice(0, a)]).toEqual([...foundB.slice(0, b)]);
            for (let t = 0; t < size; t++) expect(stampsA[t] === epoch).toBe(stampsB[t] === epoch);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
