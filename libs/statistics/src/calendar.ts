/**
 * The fixed time cells of the statistics: calendar days, ISO weeks, calendar months and calendar
 * years, each always whole. There is no free "period": two overlapping periods could be
 * subtracted from each other (docs/STATISTICS.md, "What an adversary can and cannot learn").
 */
export const granularities = ['day', 'week', 'month', 'year'] as const;
export type Granularity = (typeof granularities)[number];

const MS_PER_DAY = 86_400_000;
const toDate = (day: string) => new Date(`${day}T00:00:00Z`);
const toDay = (date: Date) => date.toISOString().slice(0, 10);

/** The calendar day `n` days after `day` (before, for negative `n`). */
export function addDays(day: string, n: number): string {
  return toDay(new Date(toDate(day).getTime() + n * MS_PER_DAY));
}

/** Every calendar day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The ISO 8601 week of a calendar day `YYYY-MM-DD`, as `YYYY-Www` (weeks start on Monday). */
export function isoWeekOf(day: string): string {
  const date = toDate(day);
  const weekday = date.getUTCDay() || 7;
  // The Thursday of this week decides the ISO year.
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const year = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(year, 0, 1)) / MS_PER_DAY + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The bucket a calendar day falls in: the day, `2026-W10`, `2026-03` or `2026`. */
export function bucketOf(day: string, granularity: Granularity): string {
  switch (granularity) {
    case 'day':
      return day;
    case 'week':
      return isoWeekOf(day);
    case 'month':
      return day.slice(0, 7);
    case 'year':
      return day.slice(0, 4);
  }
}

/** The first calendar day of the bucket `day` falls in. */
export function bucketStart(day: string, granularity: Granularity): string {
  switch (granularity) {
    case 'day':
      return day;
    case 'week':
      return addDays(day, 1 - (toDate(day).getUTCDay() || 7));
    case 'month':
      return `${day.slice(0, 7)}-01`;
    case 'year':
      return `${day.slice(0, 4)}-01-01`;
  }
}

/** The last calendar day of the bucket `day` falls in. */
export function bucketEnd(day: string, granularity: Granularity): string {
  switch (granularity) {
    case 'day':
      return day;
    case 'week':
      return addDays(bucketStart(day, 'week'), 6);
    case 'month': {
      const date = toDate(`${day.slice(0, 7)}-01`);
      date.setUTCMonth(date.getUTCMonth() + 1);
      return addDays(toDay(date), -1);
    }
    case 'year':
      return `${day.slice(0, 4)}-12-31`;
  }
}

/** The buckets from the one holding `from` to the one holding `to`, each with its days. */
export function bucketsBetween(from: string, to: string, granularity: Granularity): Array<{ bucket: string; days: string[] }> {
  const buckets: Array<{ bucket: string; days: string[] }> = [];
  for (let start = bucketStart(from, granularity); start <= to; start = addDays(bucketEnd(start, granularity), 1)) {
    buckets.push({ bucket: bucketOf(start, granularity), days: daysBetween(start, bucketEnd(start, granularity)) });
  }
  return buckets;
}
