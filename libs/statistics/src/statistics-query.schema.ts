import { z } from 'zod';
import { granularities } from './calendar';

const isoDay = z.iso.date('must be a date YYYY-MM-DD');
/** A year and a leap day: enough for "last year", bounded so one request cannot scan all history. */
export const maxPeriodDays = 366;

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/** The query string of every statistics endpoint; `from` and `to` are inclusive calendar days. */
export const statisticsQuerySchema = (defaultThreshold: number) =>
  z
    .strictObject({
      from: isoDay,
      to: isoDay,
      threshold: z.coerce.number().int('must be a whole number').min(0).max(1_000_000).default(defaultThreshold),
      granularity: z.enum(granularities).default('day'),
      format: z.enum(['json', 'csv']).default('json'),
    })
    .superRefine((q, context) => {
      const span = dayNumber(q.to) - dayNumber(q.from) + 1;
      if (span < 1) context.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
      else if (span > maxPeriodDays) context.addIssue({ code: 'custom', path: ['to'], message: `the period may span at most ${maxPeriodDays} days` });
    });

export type StatisticsQuery = z.infer<ReturnType<typeof statisticsQuerySchema>>;
