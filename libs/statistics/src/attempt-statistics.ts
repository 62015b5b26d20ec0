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

/** One cell's member-days as they are folded: attempts and member slot per member-day. */
interface CellAccumulator {
  attempts: number[];
  slots: number[];
  byCategory: Float64Array;
  /** Categories outside `options.categories`, kept as the data names them. */
  otherCategories?: Record<string, number>;
}

/**
 * Folds member-day counts into cells, ordered by bucket then group. A year is ~36k member-days
 * folded several times per statistics request (national and regional, the asked granularity and
 * the days publication needs), so the fold does per member-day only array pushes and map lookups
 * cached per day and per member: no string building, no per-cell maps (docs/PERFORMANCE.md,
 * Statistics).
 */
export function attemptCells(counts: readonly MemberDayCount[], options: CellOptions): AttemptCell[] {
  const categoryIndex = new Map(options.categories.map((c, i) => [c, i]));
  const members = new Map<string, { slot: number; group: string | undefined }>();
  const bucketOfDay = new Map<string, string>();
  const cells = new Map<string, Map<string, CellAccumulator>>();
  let lastDay: string | undefined;
  let lastBucketCells: Map<string, CellAccumulator> | undefined;
  for (const count of counts) {
    let member = members.get(count.memberId);
    if (!member) {
      member = { slot: members.size, group: options.groupOf ? options.groupOf(count.memberId) : 'all' };
      members.set(count.memberId, member);
    }
    if (member.group === undefined) continue;
    // Counts arrive ordered by day, so the day's bucket and its cells are looked up once per day.
    if (count.day !== lastDay || !lastBucketCells) {
      let bucket = bucketOfDay.get(count.day);
      if (bucket === undefined) bucketOfDay.set(count.day, (bucket = bucketOf(count.day, options.granularity)));
      lastBucketCells = cells.get(bucket);
      if (!lastBucketCells) cells.set(bucket, (lastBucketCells = new Map()));
      lastDay = count.day;
    }
    let cell = lastBucketCells.get(member.group);
    if (!cell) {
      cell = { attempts: [], slots: [], byCategory: new Float64Array(options.categories.length) };
      lastBucketCells.set(member.group, cell);
    }
    cell.attempts.push(count.attempts);
    cell.slots.push(member.slot);
    for (const category in count.byCategory) {
      const index = categoryIndex.get(category);
      if (index !== undefined) cell.byCategory[index] += count.byCategory[category];
      else (cell.otherCategories ??= {})[category] = (cell.otherCategories[category] ?? 0) + count.byCategory[category];
    }
  }
  // Per-member sums of one cell at a time, in arrays shared by every cell and cleared after use.
  const memberAttempts = new Float64Array(members.size);
  const memberDays = new Int32Array(members.size);
  const result: AttemptCell[] = [];
  for (const bucket of [...cells.keys()].sort(byCodeUnits)) {
    const groups = cells.get(bucket)!;
    for (const group of [...groups.keys()].sort(byCodeUnits)) {
      result.push(cellOf(bucket, group, groups.get(group)!, options, memberAttempts, memberDays));
    }
  }
  return result;
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function cellOf(bucket: string, group: string, cell: CellAccumulator, options: CellOptions, memberAttempts: Float64Array, memberDays: Int32Array): AttemptCell {
  let attempts = 0;
  let daysAbove = 0;
  const touched: number[] = [];
  for (let i = 0; i < cell.attempts.length; i += 1) {
    const n = cell.attempts[i];
    const slot = cell.slots[i];
    attempts += n;
    if (n > options.threshold) daysAbove += 1;
    if (memberDays[slot] === 0) touched.push(slot);
    memberAttempts[slot] += n;
    memberDays[slot] += 1;
  }
  let meanAbove = 0;
  for (const slot of touched) {
    if (memberAttempts[slot] / memberDays[slot] > options.threshold) meanAbove += 1;
    memberAttempts[slot] = 0;
    memberDays[slot] = 0;
  }
  const byCategory: Record<string, number> = {};
  options.categories.forEach((category, i) => (byCategory[category] = cell.byCategory[i]));
  Object.assign(byCategory, cell.otherCategories);
  const days = cell.attempts.length;
  return {
    bucket,
    group,
    municipalities: touched.length,
    municipality_days: days,
    attempts,
    distribution: distributionOf(cell.attempts),
    days_above_threshold: daysAbove,
    share_above_threshold: daysAbove / days,
    municipalities_mean_above_threshold: meanAbove,
    share_municipalities_mean_above_threshold: meanAbove / touched.length,
    by_category: byCategory,
  };
}
