import { z } from 'zod';
import { bucketEnd, bucketStart, granularities, type Granularity } from './calendar';

const isoDay = z.iso.date('must be a date YYYY-MM-DD');
/** 53 ISO weeks: a whole ISO year of weeks, bounded so one request cannot scan all history. */
export const maxPeriodDays = 371;

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;
const unitOf: Record<Granularity, string> = { day: 'day', week: 'week (Monday to Sunday)', month: 'month', year: 'year' };

/**
 * The query string of every statistics endpoint. `from` and `to` only SELECT fixed cells: they
 * must start and end whole buckets of the granularity, so every cell is a whole day, ISO week,
 * month or year and no two answers overlap partly (docs/STATISTICS.md, "What an adversary can
 * and cannot learn"). `threshold` was a query parameter: sweeping it recovered every count, so it
 * is refused by name and the threshold is configuration (STATISTICS_THRESHOLD).
 */
export const statisticsQuerySchema = z
  .strictObject({
    from: isoDay,
    to: isoDay,
    granularity: z
      .enum(granularities, {
        error: (issue) =>
          issue.input === 'period' ? 'period is not offered: two free periods could be subtracted from each other; use day, week, month or year' : undefined,
      })
      .default('day'),
    format: z.enum(['json', 'csv']).default('json'),
    threshold: z.never({ error: 'not a query parameter: the threshold is set by configuration (STATISTICS_THRESHOLD)' }).optional(),
  })
  .superRefine((q, context) => {
    const span = dayNumber(q.to) - dayNumber(q.from) + 1;
    if (span < 1) return void context.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    const unit = unitOf[q.granularity];
    const start = bucketStart(q.from, q.granularity);
    const end = bucketEnd(q.to, q.granularity);
    if (q.from !== start)
      context.addIssue({ code: 'custom', path: ['from'], message: `must be the first day of its ${unit} (${start}): cells are whole ${q.granularity}s` });
    if (q.to !== end)
      context.addIssue({ code: 'custom', path: ['to'], message: `must be the last day of its ${unit} (${end}): cells are whole ${q.granularity}s` });
    if (span > maxPeriodDays) context.addIssue({ code: 'custom', path: ['to'], message: `the period may span at most ${maxPeriodDays} days` });
  })
  .transform(({ threshold: _refused, ...q }) => q);

export type StatisticsQuery = z.infer<typeof statisticsQuerySchema>;
