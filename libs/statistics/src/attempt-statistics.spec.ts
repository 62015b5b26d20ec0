import { attemptCells } from './attempt-statistics';
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
