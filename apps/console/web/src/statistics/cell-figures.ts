import type { AttemptsReport } from '../api';

/**
 * One cell of the attempts report as the charts read it. The OpenAPI document describes a cell as
 * an open object (its fields are libs/statistics `PublishedCell`), so each figure is checked here
 * rather than assumed: a withheld cell (small-cell suppression) has no figures at all.
 */
export type CellFigures =
  | { bucket: string; group: string; suppressed: true; reason: string }
  | {
      bucket: string;
      group: string;
      suppressed: false;
      municipalities: number;
      attempts: number;
      q1: number;
      median: number;
      q3: number;
      shareAbove: number;
      /** Attempts by the attack definition's category (its criterion ids). */
      byCategory: Record<string, number>;
    };

type Cell = AttemptsReport['cells'][number];

const numberAt = (value: unknown, ...path: string[]): number | undefined => {
  let at: unknown = value;
  for (const key of path) at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined;
  return typeof at === 'number' && Number.isFinite(at) ? at : undefined;
};

/** The reason given for a cell the API published without one of its figures (which it never should). */
export const incompleteCell = 'the answer lacks a figure of this cell';

export function figuresOf(cell: Cell): CellFigures {
  const bucket = typeof cell.bucket === 'string' ? cell.bucket : '?';
  const group = typeof cell.group === 'string' ? cell.group : 'all';
  const municipalities = numberAt(cell, 'municipalities');
  const attempts = numberAt(cell, 'attempts');
  const q1 = numberAt(cell, 'distribution', 'q1');
  const median = numberAt(cell, 'distribution', 'median');
  const q3 = numberAt(cell, 'distribution', 'q3');
  const shareAbove = numberAt(cell, 'share_above_threshold');
  if (cell.suppressed !== false) return { bucket, group, suppressed: true, reason: typeof cell.reason === 'string' ? cell.reason : '' };
  if ([municipalities, attempts, q1, median, q3, shareAbove].some((n) => n === undefined)) return { bucket, group, suppressed: true, reason: incompleteCell };
  const byCategory: Record<string, number> = {};
  if (typeof cell.by_category === 'object' && cell.by_category !== null) {
    for (const [category, count] of Object.entries(cell.by_category)) if (typeof count === 'number' && Number.isFinite(count)) byCategory[category] = count;
  }
  return {
    bucket,
    group,
    suppressed: false,
    municipalities: municipalities!,
    attempts: attempts!,
    q1: q1!,
    median: median!,
    q3: q3!,
    shareAbove: shareAbove!,
    byCategory,
  };
}

/** Attempts per category over the published cells, in the report's order of categories (withheld cells count nowhere). */
export function categoryTotals(cells: readonly CellFigures[], categories: readonly unknown[]): Array<{ category: string; attempts: number }> {
  return categories
    .filter((c): c is string => typeof c === 'string')
    .map((category) => ({ category, attempts: cells.reduce((sum, c) => sum + (c.suppressed ? 0 : (c.byCategory[category] ?? 0)), 0) }));
}

/** The newest bucket with a published cell, else the newest: what the regions chart and the map show first. */
export function defaultBucket(cells: readonly CellFigures[]): string | undefined {
  const buckets = [...new Set(cells.map((c) => c.bucket))].sort();
  const published = buckets.filter((b) => cells.some((c) => c.bucket === b && !c.suppressed));
  return published[published.length - 1] ?? buckets[buckets.length - 1];
}

export type Granularity = 'day' | 'week' | 'month';

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const utcDay = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));

/** The statistics API publishes a cell only once it is final (docs/STATISTICS.md): this many days after its last day, unless it says otherwise. */
export const defaultFinalAfterDays = 31;

/** The last day whose cell can be final today: `finalAfterDays` + 1 days back, so the newest published figures are shown. */
export function lastFinalDay(today: Date, finalAfterDays: number): Date {
  return utcDay(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - finalAfterDays - 1);
}

/**
 * The period the statistics API accepts for the last `count` whole buckets ending no later than
 * `lastDay`: `from` the first day of a bucket and `to` the last (a week is Monday to Sunday), as it
 * requires.
 */
export function lastBuckets(granularity: Granularity, count: number, lastDay: Date): { from: string; to: string } {
  const y = lastDay.getUTCFullYear();
  const m = lastDay.getUTCMonth();
  const d = lastDay.getUTCDate();
  switch (granularity) {
    case 'day':
      return { from: isoDay(utcDay(y, m, d - count + 1)), to: isoDay(utcDay(y, m, d)) };
    case 'week': {
      // The last whole week: the one ending on the Sunday on or before the last day.
      const sunday = d - (lastDay.getUTCDay() % 7);
      return { from: isoDay(utcDay(y, m, sunday - 6 - 7 * (count - 1))), to: isoDay(utcDay(y, m, sunday)) };
    }
    case 'month': {
      // The last whole month: this one if the last day ends it, else the one before.
      const lastWhole = utcDay(y, m + 1, 0).getUTCDate() === d ? m : m - 1;
      return { from: isoDay(utcDay(y, lastWhole - count + 1, 1)), to: isoDay(utcDay(y, lastWhole + 1, 0)) };
    }
  }
}
