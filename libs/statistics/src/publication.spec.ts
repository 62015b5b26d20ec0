import fc from 'fast-check';
import { attemptCells, type AttemptCell } from './attempt-statistics';
import { bucketsBetween, daysBetween, type Granularity } from './calendar';
import type { MemberDayCount } from './member-day-count';
import { publishTable, withheldDays, type PublicationRules, type PublishedCell } from './publication';

const regions = ['1081', '1082', '1083', '1084', '1085'];
const rules: PublicationRules = { minMunicipalities: 5, regions, today: '2026-12-01', finalAfterDays: 2 };
const small = 'fewer than 5 municipalities or withheld to protect such a cell';

/** Member-day counts where `population[day][region]` municipalities of the region forwarded; ids `<region>-<i>`. */
function countsOf(
  population: Record<string, Record<string, number>>,
  attempts = (m: string, day: string) => (m.length + Number(day.slice(8))) % 7,
): MemberDayCount[] {
  return Object.entries(population).flatMap(([day, perRegion]) =>
    Object.entries(perRegion).flatMap(([region, n]) =>
      Array.from({ length: n }, (_, i) => ({ memberId: `${region}-${i}`, day, attempts: attempts(`${region}-${i}`, day), byCategory: {} })),
    ),
  );
}

/** The table KL gets: cells for `all` and each region, withheld where the rules say. */
function table(counts: MemberDayCount[], query: { from: string; to: string; granularity: Granularity }, r = rules): PublishedCell[] {
  const cellsAt = (granularity: Granularity): AttemptCell[] => [
    ...attemptCells(counts, { threshold: 3, granularity, categories: [] }),
    ...attemptCells(counts, { threshold: 3, granularity, categories: [], groupOf: (id) => id.slice(0, 4) }),
  ];
  return publishTable(query, cellsAt('day'), cellsAt(query.granularity), r);
}
const withheld = (cells: PublishedCell[]) => cells.filter((c) => c.suppressed).map((c) => `${c.bucket} ${c.group}`);
const full = { '1081': 11, '1082': 19, '1083': 22, '1084': 29, '1085': 17 };

describe(withheldDays.name, () => {
  const decide = (perRegion: Record<string, number>) => {
    const all = Object.values(perRegion).reduce((a, b) => a + b, 0);
    return [...withheldDays(['2026-03-10'], (_, group) => (group === 'all' ? all : (perRegion[group] ?? 0)), rules).keys()].map((k) => k.split('\u0000')[1]);
  };

  it('withholds a day with too few municipalities in every group', () => {
    expect(decide({ '1084': 3 })).toEqual(['all', '1081', '1082', '1083', '1084', '1085']);
  });

  it('withholds with a small region the published region of fewest municipalities, so all minus the rest covers at least 5', () => {
    expect(decide({ ...full, '1081': 2 })).toEqual(['1081', '1085']);
  });

  it('adds complements until the withheld regions together cover at least 5 municipalities', () => {
    expect(decide({ ...full, '1081': 2, '1085': 2 })).toEqual(['1081', '1085', '1082']);
    expect(decide({ ...full, '1081': 1, '1082': 1, '1083': 1, '1085': 1 })).toEqual(['1081', '1082', '1083', '1085', '1084']);
  });

  it('needs no complement when the small regions already cover 5 together, or hold no municipality', () => {
    expect(decide({ ...full, '1081': 3, '1085': 2 })).toEqual(['1081', '1085']);
    expect(decide({ '1082': 19, '1083': 22 })).toEqual(['1081', '1084', '1085']);
  });

  it('withholds every group of a day that is not final, naming the day it will be', () => {
    const decided = withheldDays(['2026-11-28', '2026-11-29'], () => 98, rules);
    expect([...decided.entries()]).toEqual(['all', ...regions].map((g) => [`2026-11-29\u0000${g}`, 'not final before 2026-12-02']));
  });
});

describe(publishTable.name, () => {
  const week = { from: '2026-03-09', to: '2026-03-15', granularity: 'week' as const };
  const weekDays = daysBetween(week.from, week.to);

  it('answers every bucket and group, publishing cells with enough municipalities unchanged', () => {
    const counts = countsOf(Object.fromEntries(weekDays.map((d) => [d, full])));
    const cells = table(counts, week);
    expect(cells.map((c) => c.group)).toEqual(['all', ...regions]);
    expect(cells.every((c) => !c.suppressed)).toBe(true);
    expect(cells[0]).toMatchObject({ bucket: '2026-W11', municipalities: 98, municipality_days: 98 * 7 });
  });

  it("withholds a week holding a withheld day, and the complement region's week with it", () => {
    const population = Object.fromEntries(weekDays.map((d) => [d, d === '2026-03-10' ? { ...full, '1081': 2 } : full]));
    const cells = table(countsOf(population), week);
    expect(cells.filter((c) => c.suppressed)).toEqual([
      { bucket: '2026-W11', group: '1081', suppressed: true, reason: 'a day of this cell is withheld' },
      { bucket: '2026-W11', group: '1085', suppressed: true, reason: 'a day of this cell is withheld' },
    ]);
  });

  it('publishes a week whose only withheld days hold no data: it is the sum of the published days', () => {
    const population = Object.fromEntries(weekDays.map((d) => [d, d === '2026-03-10' ? { '1082': 19, '1083': 22, '1084': 29 } : full]));
    expect(withheld(table(countsOf(population), week))).toEqual([]);
    expect(withheld(table(countsOf(population), { from: '2026-03-10', to: '2026-03-10', granularity: 'day' }))).toEqual(['2026-03-10 1081', '2026-03-10 1085']);
  });

  it('withholds a cell with too few municipalities, and one with no data at all', () => {
    const cells = table(countsOf({ '2026-03-10': { '1084': 3 } }), { from: '2026-03-10', to: '2026-03-10', granularity: 'day' });
    expect(cells).toEqual(['all', ...regions].map((group) => ({ bucket: '2026-03-10', group, suppressed: true, reason: small })));
  });

  it('withholds a week, month or year until its last day is final', () => {
    const counts = countsOf({ '2026-11-30': full });
    const late = { ...rules, today: '2026-12-02' };
    expect(withheld(table(counts, { from: '2026-11-30', to: '2026-11-30', granularity: 'day' }, late))).toHaveLength(6);
    expect(withheld(table(counts, { from: '2026-11-30', to: '2026-11-30', granularity: 'day' }, { ...rules, today: '2026-12-03' }))).toEqual([]);
    const [month] = table(counts, { from: '2026-11-01', to: '2026-11-30', granularity: 'month' }, { ...rules, today: '2026-12-03' });
    expect(month.suppressed).toBe(false);
    const [weekCell] = table(counts, { from: '2026-11-30', to: '2026-12-06', granularity: 'week' }, { ...rules, today: '2026-12-03' });
    expect(weekCell).toEqual({ bucket: '2026-W49', group: 'all', suppressed: true, reason: 'not final before 2026-12-09' });
  });
});

/**
 * The adversary's linear algebra: every published additive figure (attempts, municipality-days,
 * days above the threshold, each category) of a cell is the sum of the unknown region-day values
 * it covers. A value is derivable exactly when its coefficient vector lies in the span of the
 * published cells' vectors.
 */
class RowSpace {
  private readonly basis: Array<{ pivot: number; row: number[] }> = [];

  add(row: number[]): void {
    const reduced = this.reduce(row);
    const pivot = reduced.findIndex((v) => Math.abs(v) > 1e-9);
    if (pivot >= 0) this.basis.push({ pivot, row: reduced.map((v) => v / reduced[pivot]) });
  }

  contains(row: number[]): boolean {
    return this.reduce(row).every((v) => Math.abs(v) < 1e-9);
  }

  private reduce(row: number[]): number[] {
    const r = [...row];
    for (const { pivot, row: b } of this.basis) {
      const f = r[pivot];
      if (Math.abs(f) > 1e-12) for (let i = 0; i < r.length; i += 1) r[i] -= f * b[i];
    }
    return r;
  }
}

describe('no withheld cell can be derived from the published cells (property)', () => {
  // February 2026 and the weeks around it: W05 and W09 reach into January and March.
  const days = daysBetween('2026-01-26', '2026-03-01');
  const queries = [
    { from: days[0], to: days[days.length - 1], granularity: 'day' as const },
    { from: days[0], to: days[days.length - 1], granularity: 'week' as const },
    { from: '2026-01-01', to: '2026-03-31', granularity: 'month' as const },
    { from: '2026-01-01', to: '2026-12-31', granularity: 'year' as const },
  ];
  const unknown = (day: string, region: string) => days.indexOf(day) * regions.length + regions.indexOf(region);
  const vectorOf = (cellDays: string[], groups: string[]) => {
    const v = new Array<number>(days.length * regions.length).fill(0);
    for (const d of cellDays) if (days.includes(d)) for (const g of groups) v[unknown(d, g)] = 1;
    return v;
  };
  const regionSize = fc.oneof(fc.constantFrom(0, 1, 2, 3, 4), fc.integer({ min: 5, max: 20 }));
  const population = fc.array(fc.array(regionSize, { minLength: 5, maxLength: 5 }), { minLength: days.length, maxLength: days.length });

  it('holds for random populations (seeded)', () => {
    fc.assert(
      fc.property(population, (sizes) => {
        const counts = countsOf(Object.fromEntries(days.map((d, i) => [d, Object.fromEntries(regions.map((r, j) => [r, sizes[i][j]]))])));
        const space = new RowSpace();
        for (const query of queries) {
          const daysOfBucket = new Map(bucketsBetween(query.from, query.to, query.granularity).map((b) => [b.bucket, b.days]));
          for (const cell of table(counts, query)) {
            if (!cell.suppressed) space.add(vectorOf(daysOfBucket.get(cell.bucket)!, cell.group === 'all' ? regions : [cell.group]));
          }
        }
        const byDay = table(counts, queries[0]);
        for (const cell of byDay.filter((c) => c.suppressed)) {
          const i = days.indexOf(cell.bucket);
          const covered = cell.group === 'all' ? sizes[i].reduce((a, b) => a + b, 0) : sizes[i][regions.indexOf(cell.group)];
          // A withheld cell holding data is never derivable; one holding none hides nothing.
          if (covered > 0)
            expect({
              cell: `${cell.bucket} ${cell.group}`,
              derivable: space.contains(vectorOf([cell.bucket], cell.group === 'all' ? regions : [cell.group])),
            }).toEqual({ cell: `${cell.bucket} ${cell.group}`, derivable: false });
        }
        // What a subtraction CAN isolate: all minus the published regions of a day covers 0 or at least 5 municipalities.
        for (const [i, day] of days.entries()) {
          const dayCells = byDay.filter((c) => c.bucket === day);
          if (dayCells[0].suppressed) continue;
          const hidden = dayCells.filter((c) => c.suppressed).reduce((n, c) => n + sizes[i][regions.indexOf(c.group)], 0);
          expect(hidden === 0 || hidden >= 5).toBe(true);
        }
      }),
      { seed: 4242, numRuns: 60 },
    );
  });
});
