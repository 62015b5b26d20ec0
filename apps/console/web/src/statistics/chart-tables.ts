import type { CellFigures } from './cell-figures';
import type { ChartTable, CsvValue } from './chart-csv';
import type { MapArea } from './map-figures';
import { isRegionCode, regionNames } from './regions';

/*
 * Each chart's CSV: the figures the chart draws, one row per bucket (region, category,
 * municipality), under the API's own column names, and nothing the chart does not show. A
 * withheld cell is a row with `suppressed=true` and the API's reason and no figure.
 */

const withheldRow = (key: Record<string, CsvValue>, cell: Extract<CellFigures, { suppressed: true }>) => ({ ...key, suppressed: true, reason: cell.reason });

export function medianTable(cells: readonly CellFigures[]): ChartTable {
  return {
    columns: ['bucket', 'suppressed', 'reason', 'q1', 'median', 'q3'],
    rows: cells.map((c) =>
      c.suppressed ? withheldRow({ bucket: c.bucket }, c) : { bucket: c.bucket, suppressed: false, q1: c.q1, median: c.median, q3: c.q3 },
    ),
  };
}

export function shareTable(cells: readonly CellFigures[], threshold: number): ChartTable {
  return {
    columns: ['bucket', 'suppressed', 'reason', 'threshold', 'share_above_threshold'],
    rows: cells.map((c) =>
      c.suppressed ? withheldRow({ bucket: c.bucket, threshold }, c) : { bucket: c.bucket, suppressed: false, threshold, share_above_threshold: c.shareAbove },
    ),
  };
}

export function reportingTable(cells: readonly CellFigures[]): ChartTable {
  return {
    columns: ['bucket', 'suppressed', 'reason', 'municipalities'],
    rows: cells.map((c) => (c.suppressed ? withheldRow({ bucket: c.bucket }, c) : { bucket: c.bucket, suppressed: false, municipalities: c.municipalities })),
  };
}

export function categoriesTable(totals: ReadonlyArray<{ category: string; attempts: number }>, period: { from: string; to: string }): ChartTable {
  return {
    columns: ['from', 'to', 'category', 'attempts'],
    rows: totals.map((t) => ({ from: period.from, to: period.to, category: t.category, attempts: t.attempts })),
  };
}

/** The regions chart: one bucket's five region cells. */
export function regionsTable(cells: readonly CellFigures[]): ChartTable {
  return {
    columns: ['bucket', 'group', 'region', 'suppressed', 'reason', 'municipalities', 'attempts', 'median', 'share_above_threshold'],
    rows: cells.map((c) => {
      const key = { bucket: c.bucket, group: c.group, region: isRegionCode(c.group) ? regionNames[c.group] : c.group };
      return c.suppressed
        ? withheldRow(key, c)
        : { ...key, suppressed: false, municipalities: c.municipalities, attempts: c.attempts, median: c.median, share_above_threshold: c.shareAbove };
    }),
  };
}

/** The map: each municipality's shown figure (its own, or its region's median), withheld, or without data. */
export function mapTable(bucket: string, areas: readonly MapArea[]): ChartTable {
  return {
    columns: ['bucket', 'municipality', 'name', 'region', 'shown', 'suppressed', 'reason', 'attempts_per_day'],
    rows: areas.map((a): Record<string, CsvValue> => {
      const key = { bucket, municipality: a.code, name: a.name, region: a.region };
      if (a.state === 'withheld') return { ...key, shown: a.source, suppressed: true, reason: a.reason };
      if (a.state === 'no-data') return { ...key, shown: 'no_data', suppressed: false };
      return { ...key, shown: a.source, suppressed: false, attempts_per_day: a.value };
    }),
  };
}
