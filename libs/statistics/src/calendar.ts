export const granularities = ['day', 'week', 'month', 'period'] as const;
export type Granularity = (typeof granularities)[number];

/** The ISO 8601 week of a calendar day `YYYY-MM-DD`, as `YYYY-Www` (weeks start on Monday). */
export function isoWeekOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const weekday = date.getUTCDay() || 7;
  // The Thursday of this week decides the ISO year.
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const year = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The bucket a calendar day falls in at this granularity. */
export function bucketOf(day: string, granularity: Granularity): string {
  switch (granularity) {
    case 'day':
      return day;
    case 'week':
      return isoWeekOf(day);
    case 'month':
      return day.slice(0, 7);
    case 'period':
      return 'period';
  }
}
