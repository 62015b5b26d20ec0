import { z } from 'zod';
import { regions } from '@soc/members';
import { addDays, bucketEnd } from './calendar';
import { cellColumns, cellRow } from './cell-rows';
import { toCsv } from './csv';
import { NATIONAL, type PublishedCell } from './publication';
import type { StatisticsQuery } from './statistics-query.schema';
import type { StatisticsReports } from './statistics-reports';

export const klReportFormats = ['html', 'pdf', 'csv'] as const;
export type KlReportFormat = (typeof klReportFormats)[number];

/** `?month=2026-11&format=pdf`: a report is always one whole calendar month. */
export const klReportQuerySchema = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM'),
  format: z.enum(klReportFormats).default('html'),
});
export type KlReportQuery = z.infer<typeof klReportQuerySchema>;

/**
 * Everything the KL report shows, and nothing else: published cells only (the answers
 * `StatisticsReports` gives `kl_reporter`, withheld cells as withheld), so every figure in the
 * report, its CSV and its PDF is a figure of the API, and the report adds no cell to what the
 * differencing proofs cover (docs/STATISTICS.md, "The report").
 */
export interface KlReportData {
  month: string;
  previousMonth: string;
  threshold: number;
  minMunicipalities: number;
  finalAfterDays: number;
  categories: string[];
  /** The national cell of the month and of the month before. */
  current: PublishedCell;
  previous: PublishedCell;
  /** The national cell of each day of the month. */
  days: PublishedCell[];
  /** The month per region (1081–1085). */
  regions: PublishedCell[];
  /** The day the report was made (Copenhagen), printed in its header. */
  madeOn: string;
}

export const previousMonthOf = (month: string): string => addDays(`${month}-01`, -1).slice(0, 7);
const monthQuery = (month: string, granularity: 'day' | 'month'): StatisticsQuery => ({
  from: `${month}-01`,
  to: bucketEnd(`${month}-01`, 'month'),
  granularity,
  format: 'json',
});

/** Asks the published answers the report is made of: the four queries KL could make itself. */
export async function klReportData(reports: StatisticsReports, month: string, madeOn: string): Promise<KlReportData> {
  const previousMonth = previousMonthOf(month);
  const [current, previous, days, byRegion] = await Promise.all([
    reports.attempts(monthQuery(month, 'month'), true),
    reports.attempts(monthQuery(previousMonth, 'month'), true),
    reports.attempts(monthQuery(month, 'day'), true),
    reports.regions(monthQuery(month, 'month'), true),
  ]);
  const { threshold, minMunicipalities, finalAfterDays } = reports.settings;
  return {
    month,
    previousMonth,
    threshold,
    minMunicipalities,
    finalAfterDays,
    categories: reports.categories,
    current: current.rows[0],
    previous: previous.rows[0],
    days: days.rows,
    regions: byRegion.rows,
    madeOn,
  };
}

/** The queries behind each table of the report's CSV, so a reader can ask the API the same. */
export const klReportTables = (data: Pick<KlReportData, 'month' | 'previousMonth'>) => ({
  month: { endpoint: 'attempts', ...monthQuery(data.month, 'month') },
  previous_month: { endpoint: 'attempts', ...monthQuery(data.previousMonth, 'month') },
  days: { endpoint: 'attempts', ...monthQuery(data.month, 'day') },
  regions: { endpoint: 'regions', ...monthQuery(data.month, 'month') },
});

/** The report's data as one CSV: the API's columns with a leading `table`; each row is the API's row for that cell. */
export function klReportCsv(data: KlReportData): string {
  const rows = [
    ...[data.current].map((cell) => ({ table: 'month', ...cellRow(cell) })),
    ...[data.previous].map((cell) => ({ table: 'previous_month', ...cellRow(cell) })),
    ...data.days.map((cell) => ({ table: 'days', ...cellRow(cell) })),
    ...data.regions.map((cell) => ({ table: 'regions', ...cellRow(cell) })),
  ];
  return toCsv(['table', ...cellColumns(data.categories)], rows);
}

export const regionName = (code: string): string => (code === NATIONAL ? 'Hele landet' : (regions[code as keyof typeof regions] ?? code));
