import { bucketOf, type Granularity } from './calendar';
import type { MemberDayCount } from './member-day-count';
import { distributionOf, type Distribution } from './quantiles';

/** The figures of one cell: a time bucket (day, ISO week, month or the period) × a group. */
export interface AttemptCell {
  bucket: string;
  /** `all` or a region code (1081–1085). */
  group: string;
  /** Municipalities that forwarded events in the bucket: the population of the figures. */
  municipalities: number;
  municipality_days: number;
  attempts: number;
  /** Attempts per municipality per day over the cell's municipality-days. */
  distribution: Distribution;
  /** Municipality-days with MORE than `threshold` attempts, and their share. */
  days_above_threshold: number;
  share_above_threshold: number;
  /** Municipalities whose mean daily attempts in the bucket exceed the threshold, and their share. */
  municipalities_mean_above_threshold: number;
  share_municipalities_mean_above_threshold: number;
  by_category: Record<string, number>;
}

export interface CellOptions {
  threshold: number;
  granularity: Granularity;
  categories: readonly string[];
  /** The group of a member (e.g. its region); omitted: one group `all`. */
  groupOf?: (memberId: string) => string | undefined;
}

/** Folds member-day counts into cells, ordered by bucket then group. */
export function attemptCells(counts: readonly MemberDayCount[], options: CellOptions): AttemptCell[] {
  const cells = new Map<string, MemberDayCount[]>();
  // A year is ~36k member-days over 365 days: each day's bucket is worked out once, not per member.
  const buckets = new Map<string, string>();
  for (const count of counts) {
    const group = options.groupOf ? options.groupOf(count.memberId) : 'all';
    if (group === undefined) continue;
    let bucket = buckets.get(count.day);
    if (bucket === undefined) buckets.set(count.day, (bucket = bucketOf(count.day, options.granularity)));
    const key = `${bucket}\u0000${group}`;
    let list = cells.get(key);
    if (!list) cells.set(key, (list = []));
    list.push(count);
  }
  return [...cells.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, list]) => {
      const [bucket, group] = key.split('\u0000');
      return cellOf(bucket, group, list, options);
    });
}

function cellOf(bucket: string, group: string, list: MemberDayCount[], options: CellOptions): AttemptCell {
  const perMember = new Map<string, { attempts: number; days: number }>();
  const byCategory = Object.fromEntries(options.categories.map((c) => [c, 0]));
  let attempts = 0;
  let daysAbove = 0;
  for (const count of list) {
    attempts += count.attempts;
    if (count.attempts > options.threshold) daysAbove += 1;
    const member = perMember.get(count.memberId);
    if (member) {
      member.attempts += count.attempts;
      member.days += 1;
    } else perMember.set(count.memberId, { attempts: count.attempts, days: 1 });
    for (const category in count.byCategory) byCategory[category] = (byCategory[category] ?? 0) + count.byCategory[category];
  }
  const meanAbove = [...perMember.values()].filter((m) => m.attempts / m.days > options.threshold).length;
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
}
