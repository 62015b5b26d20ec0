import fc from 'fast-check';
import { attemptCells, type AttemptCell, type CellOptions } from './attempt-statistics';
import { bucketOf, granularities } from './calendar';
import { distributionOf } from './quantiles';
import type { MemberDayCount } from './member-day-count';

const count = (memberId: string, day: string, attempts: number): MemberDayCount => ({ memberId, day, attempts, byCategory: { a: attempts } });
const counts = [
  count('0101', '2026-03-02', 250),
  count('0147', '2026-03-02', 100),
  count('0151', '2026-03-02', 0),
  count('0153', '2026-03-02', 201),
  count('0101', '2026-03-03', 150),
  count('0147', '2026-03-03', 200),
];

describe('attemptCells', () => {
  it('gives per day the distribution and the share of municipalities above the threshold (strictly more)', () => {
    const [monday, tuesday] = attemptCells(counts, { threshold: 200, granularity: 'day', categories: ['a', 'b'] });
    expect(monday).toEqual({
      bucket: '2026-03-02',
      group: 'all',
      municipalities: 4,
      municipality_days: 4,
      attempts: 551,
      distribution: { min: 0, q1: 75, median: 150.5, q3: 213.25, max: 250 },
      days_above_threshold: 2,
      share_above_threshold: 0.5,
      municipalities_mean_above_threshold: 2,
      share_municipalities_mean_above_threshold: 0.5,
      by_category: { a: 551, b: 0 },
    });
    expect(tuesday).toMatchObject({ bucket: '2026-03-03', municipalities: 2, days_above_threshold: 0, share_above_threshold: 0 });
  });

  it('over a month counts municipality-days and municipalities by their mean day', () => {
    const [month] = attemptCells(counts, { threshold: 200, granularity: 'month', categories: ['a'] });
    expect(month).toMatchObject({
      bucket: '2026-03',
      municipalities: 4,
      municipality_days: 6,
      attempts: 901,
      days_above_threshold: 2,
      share_above_threshold: 2 / 6,
      municipalities_mean_above_threshold: 1,
      share_municipalities_mean_above_threshold: 0.25,
    });
  });

  it('groups by a member attribute and leaves out members without one', () => {
    const regionOf: Record<string, string> = { '0101': '1084', '0147': '1084', '0151': '1084' };
    const cells = attemptCells(counts, { threshold: 200, granularity: 'week', categories: [], groupOf: (id) => regionOf[id] });
    expect(cells.map((c) => [c.bucket, c.group, c.municipalities, c.attempts])).toEqual([['2026-W10', '1084', 3, 700]]);
  });
});

/** The fold written the plain way (a list per cell, a map per cell's members): what attemptCells must equal. */
function plainCells(counts: readonly MemberDayCount[], options: CellOptions): AttemptCell[] {
  const lists = new Map<string, MemberDayCount[]>();
  for (const c of counts) {
    const group = options.groupOf ? options.groupOf(c.memberId) : 'all';
    if (group === undefined) continue;
    const key = `${bucketOf(c.day, options.granularity)}\u0000${group}`;
    lists.set(key, [...(lists.get(key) ?? []), c]);
  }
  return [...lists.keys()].sort().map((key) => {
    const list = lists.get(key)!;
    const [bucket, group] = key.split('\u0000');
    const perMember = new Map<string, number[]>();
    for (const c of list) perMember.set(c.memberId, [...(perMember.get(c.memberId) ?? []), c.attempts]);
    const byCategory: Record<string, number> = Object.fromEntries(options.categories.map((c) => [c, 0]));
    for (const c of list) for (const [k, n] of Object.entries(c.byCategory)) byCategory[k] = (byCategory[k] ?? 0) + n;
    const attempts = list.reduce((sum, c) => sum + c.attempts, 0);
    const daysAbove = list.filter((c) => c.attempts > options.threshold).length;
    const meanAbove = [...perMember.values()].filter((days) => days.reduce((a, b) => a + b, 0) / days.length > options.threshold).length;
    return {
      bucket,
      group,
      municipalities: perMember.size,
      municipality_days: list.length,
      attempts,
      distribution: distributionOf(list.map((c) => c.attempts)),
      days_above_threshold: daysAbove,
      share_above_threshold: daysAbove / list.length,
      municipalities_mean_above_threshold: meanAbove,
      share_municipalities_mean_above_threshold: meanAbove / perMember.size,
      by_category: byCategory,
    };
  });
}

describe('attemptCells against the plain fold', () => {
  const memberIds = ['0101', '0147', '0151', '0153', '0155', '0157'];
  const regionOf: Record<string, string> = { '0101': '1084', '0147': '1084', '0151': '1083', '0153': '1085' };
  const memberDay = fc.record({
    memberId: fc.constantFrom(...memberIds),
    day: fc.integer({ min: 0, max: 800 }).map((n) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().slice(0, 10)),
    attempts: fc.integer({ min: 0, max: 600 }),
    // Categories outside the configured ones too: they are kept as the data names them.
    byCategory: fc.dictionary(fc.constantFrom('auth', 'web', 'scan', 'unknown'), fc.integer({ min: 0, max: 300 }), { maxKeys: 3 }),
  });

  it('gives the same cells for any member-days, in any order, at every granularity, with and without groups', () => {
    fc.assert(
      fc.property(
        fc.array(memberDay, { maxLength: 300 }),
        fc.constantFrom(...granularities),
        fc.boolean(),
        fc.integer({ min: 0, max: 400 }),
        (counts, granularity, grouped, threshold) => {
          const options: CellOptions = { threshold, granularity, categories: ['auth', 'web', 'scan'], groupOf: grouped ? (id) => regionOf[id] : undefined };
          expect(attemptCells(counts, options)).toEqual(plainCells(counts, options));
        },
      ),
      { numRuns: 300 },
    );
  });
});
