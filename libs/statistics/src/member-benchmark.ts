import { bucketOf, bucketsBetween, type Granularity } from './calendar';
import type { MemberDayCount } from './member-day-count';
import type { PublishedCell } from './publication';

export const percentileBands = ['below_q1', 'q1_to_median', 'median_to_q3', 'above_q3'] as const;
export type PercentileBand = (typeof percentileBands)[number];

/** Where a value falls against a published distribution: [0, Q1), [Q1, median), [median, Q3], above Q3. */
export function percentileBand(value: number, d: { q1: number; median: number; q3: number }): PercentileBand {
  if (value < d.q1) return 'below_q1';
  if (value < d.median) return 'q1_to_median';
  if (value <= d.q3) return 'median_to_q3';
  return 'above_q3';
}

export interface BenchmarkBucket {
  bucket: string;
  /** The member's own days with events in the bucket and its attempts; null when it forwarded nothing. */
  own: { days: number; attempts: number; attempts_per_day: number } | null;
  /** The national cell as published to KL: its quartiles, or withheld with the reason. */
  national: { suppressed: false; municipalities: number; q1: number; median: number; q3: number } | { suppressed: true; reason: string };
  /** The member's attempts per day against the national distribution of attempts per municipality-day. */
  band: PercentileBand | null;
}

export interface MemberBenchmark {
  member: string;
  from: string;
  to: string;
  granularity: Granularity;
  buckets: BenchmarkBucket[];
  /**
   * The member's own trend: least-squares slope of its attempts per day over the days it
   * forwarded events, per 7 days; `direction` is flat when the change over the period is under
   * 10 % of its mean (or it has fewer than two days).
   */
  trend: { days: number; mean_per_day: number; slope_per_week: number; direction: 'rising' | 'falling' | 'flat' };
}

/**
 * A municipality's own figures against the national ones, without any other municipality's
 * number: the national side is only the published (suppressed) national cells, the same KL gets,
 * and the own side only the member's own member-day counts. Pure.
 */
export function memberBenchmark(
  member: string,
  query: { from: string; to: string; granularity: Granularity },
  own: readonly MemberDayCount[],
  national: readonly PublishedCell[],
): MemberBenchmark {
  const mine = own.filter((c) => c.memberId === member);
  const ownBy = new Map<string, { days: number; attempts: number }>();
  for (const count of mine) {
    const bucket = bucketOf(count.day, query.granularity);
    const entry = ownBy.get(bucket) ?? { days: 0, attempts: 0 };
    entry.days += 1;
    entry.attempts += count.attempts;
    ownBy.set(bucket, entry);
  }
  const nationalBy = new Map(national.filter((c) => c.group === 'all').map((c) => [c.bucket, c]));
  const buckets = bucketsBetween(query.from, query.to, query.granularity).map(({ bucket }): BenchmarkBucket => {
    const entry = ownBy.get(bucket);
    const ownFigures = entry ? { ...entry, attempts_per_day: entry.attempts / entry.days } : null;
    const cell = nationalBy.get(bucket);
    const nationalFigures: BenchmarkBucket['national'] =
      !cell || cell.suppressed
        ? { suppressed: true, reason: cell?.suppressed ? cell.reason : 'no national cell' }
        : { suppressed: false, municipalities: cell.municipalities, q1: cell.distribution.q1, median: cell.distribution.median, q3: cell.distribution.q3 };
    const band = ownFigures && !nationalFigures.suppressed ? percentileBand(ownFigures.attempts_per_day, nationalFigures) : null;
    return { bucket, own: ownFigures, national: nationalFigures, band };
  });
  return { member, ...query, buckets, trend: trendOf(mine) };
}

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

function trendOf(counts: readonly MemberDayCount[]): MemberBenchmark['trend'] {
  const n = counts.length;
  const mean = n ? counts.reduce((s, c) => s + c.attempts, 0) / n : 0;
  if (n < 2) return { days: n, mean_per_day: mean, slope_per_week: 0, direction: 'flat' };
  const xs = counts.map((c) => dayNumber(c.day));
  const meanX = xs.reduce((s, x) => s + x, 0) / n;
  let covariance = 0;
  let variance = 0;
  counts.forEach((c, i) => {
    covariance += (xs[i] - meanX) * (c.attempts - mean);
    variance += (xs[i] - meanX) ** 2;
  });
  const slope = variance ? covariance / variance : 0;
  const change = slope * (Math.max(...xs) - Math.min(...xs));
  const direction = Math.abs(change) < 0.1 * mean || change === 0 ? 'flat' : change > 0 ? 'rising' : 'falling';
  return { days: n, mean_per_day: mean, slope_per_week: slope * 7, direction };
}
