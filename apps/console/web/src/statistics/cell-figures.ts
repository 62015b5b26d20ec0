import type { AttemptsReport } from '../api';

/**
 * One cell of the attempts report as the charts read it. The OpenAPI document describes a cell as
 * an open object (its fields are libs/statistics `PublishedCell`), so each figure is checked here
 * rather than assumed: a withheld cell (small-cell suppression) has no figures at all.
 */
export type CellFigures =
  | { bucket: string; suppressed: true }
  | { bucket: string; suppressed: false; municipalities: number; attempts: number; q1: number; median: number; q3: number; shareAbove: number };

type Cell = AttemptsReport['cells'][number];

const numberAt = (value: unknown, ...path: string[]): number | undefined => {
  let at: unknown = value;
  for (const key of path) at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined;
  return typeof at === 'number' && Number.isFinite(at) ? at : undefined;
};

export function figuresOf(cell: Cell): CellFigures {
  const bucket = typeof cell.bucket === 'string' ? cell.bucket : '?';
  const municipalities = numberAt(cell, 'municipalities');
  const attempts = numberAt(cell, 'attempts');
  const q1 = numberAt(cell, 'distribution', 'q1');
  const median = numberAt(cell, 'distribution', 'median');
  const q3 = numberAt(cell, 'distribution', 'q3');
  const shareAbove = numberAt(cell, 'share_above_threshold');
  if (cell.suppressed !== false || [municipalities, attempts, q1, median, q3, shareAbove].some((n) => n === undefined)) return { bucket, suppressed: true };
  return { bucket, suppressed: false, municipalities: municipalities!, attempts: attempts!, q1: q1!, median: median!, q3: q3!, shareAbove: shareAbove! };
}

export type Granularity = 'day' | 'week' | 'month';

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const utcDay = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));

/**
 * The period the statistics API accepts for the last `count` whole buckets up to `today`: `from`
 * the first day of a bucket and `to` the last (a week is Monday to Sunday), as it requires.
 */
export function lastBuckets(granularity: Granularity, count: number, today: Date): { from: string; to: string } {
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth();
  const d = today.getUTCDate();
  switch (granularity) {
    case 'day':
      return { from: isoDay(utcDay(y, m, d - count + 1)), to: isoDay(utcDay(y, m, d)) };
    case 'week': {
      const sinceMonday = (today.getUTCDay() + 6) % 7;
      return { from: isoDay(utcDay(y, m, d - sinceMonday - 7 * (count - 1))), to: isoDay(utcDay(y, m, d - sinceMonday + 6)) };
    }
    case 'month':
      return { from: isoDay(utcDay(y, m - count + 1, 1)), to: isoDay(utcDay(y, m + 1, 0)) };
  }
}
