import { memberBenchmark, percentileBand } from './member-benchmark';
import type { MemberDayCount } from './member-day-count';
import type { PublishedCell } from './publication';

const count = (memberId: string, day: string, attempts: number): MemberDayCount => ({ memberId, day, attempts, byCategory: {} });
const nationalDay = (bucket: string, q1: number, median: number, q3: number): PublishedCell => ({
  bucket,
  group: 'all',
  suppressed: false,
  municipalities: 40,
  municipality_days: 40,
  attempts: 4000,
  distribution: { min: 0, q1, median, q3, max: 900 },
  days_above_threshold: 10,
  share_above_threshold: 0.25,
  municipalities_mean_above_threshold: 10,
  share_municipalities_mean_above_threshold: 0.25,
  by_category: {},
});

describe('memberBenchmark', () => {
  it('places a value in its band, the quartiles belonging to the band above them', () => {
    const d = { q1: 10, median: 20, q3: 30 };
    expect([9, 10, 19, 20, 30, 31].map((v) => percentileBand(v, d))).toEqual([
      'below_q1',
      'q1_to_median',
      'q1_to_median',
      'median_to_q3',
      'median_to_q3',
      'above_q3',
    ]);
  });

  it("compares the member's own days with the published national quartiles, and gives no band against a withheld cell", () => {
    const national: PublishedCell[] = [
      nationalDay('2026-03-02', 10, 20, 30),
      { bucket: '2026-03-03', group: 'all', suppressed: true, reason: 'fewer than 5 municipalities or withheld to protect such a cell' },
      nationalDay('2026-03-04', 10, 20, 30),
    ];
    const own = [count('0101', '2026-03-02', 35), count('0101', '2026-03-03', 5)];
    const result = memberBenchmark('0101', { from: '2026-03-02', to: '2026-03-04', granularity: 'day' }, own, national);
    expect(result.buckets).toEqual([
      {
        bucket: '2026-03-02',
        own: { days: 1, attempts: 35, attempts_per_day: 35 },
        national: { suppressed: false, municipalities: 40, q1: 10, median: 20, q3: 30 },
        band: 'above_q3',
      },
      {
        bucket: '2026-03-03',
        own: { days: 1, attempts: 5, attempts_per_day: 5 },
        national: { suppressed: true, reason: 'fewer than 5 municipalities or withheld to protect such a cell' },
        band: null,
      },
      { bucket: '2026-03-04', own: null, national: { suppressed: false, municipalities: 40, q1: 10, median: 20, q3: 30 }, band: null },
    ]);
  });

  it('ignores counts of any other member, even if handed some', () => {
    const national = [nationalDay('2026-03-02', 10, 20, 30)];
    const result = memberBenchmark(
      '0101',
      { from: '2026-03-02', to: '2026-03-02', granularity: 'day' },
      [count('0101', '2026-03-02', 12), count('0147', '2026-03-02', 500)],
      national,
    );
    expect(result.buckets[0].own).toEqual({ days: 1, attempts: 12, attempts_per_day: 12 });
    expect(JSON.stringify(result)).not.toContain('500');
  });

  it('gives the trend as a weekly slope and a direction', () => {
    const days = Array.from({ length: 14 }, (_, i) => `2026-03-${String(i + 2).padStart(2, '0')}`);
    const rising = memberBenchmark(
      '0101',
      { from: '2026-03-02', to: '2026-03-15', granularity: 'week' },
      days.map((d, i) => count('0101', d, 10 + i)),
      [],
    );
    expect(rising.trend).toEqual({ days: 14, mean_per_day: 16.5, slope_per_week: 7, direction: 'rising' });
    expect(rising.buckets.map((b) => [b.bucket, b.own?.attempts_per_day])).toEqual([
      ['2026-W10', 13],
      ['2026-W11', 20],
    ]);
    const flat = memberBenchmark(
      '0101',
      { from: '2026-03-02', to: '2026-03-15', granularity: 'week' },
      days.map((d) => count('0101', d, 10)),
      [],
    );
    expect(flat.trend.direction).toBe('flat');
  });
});
