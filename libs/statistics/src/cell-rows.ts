import type { CsvValue } from './csv';
import type { PublishedCell } from './publication';

/** The CSV columns of a published cell; category columns follow as `category_<id>`. */
export function cellColumns(categories: readonly string[]): string[] {
  return [
    'bucket',
    'group',
    'suppressed',
    'reason',
    'municipalities',
    'municipality_days',
    'attempts',
    'min',
    'q1',
    'median',
    'q3',
    'max',
    'days_above_threshold',
    'share_above_threshold',
    'municipalities_mean_above_threshold',
    'share_municipalities_mean_above_threshold',
    ...categories.map((c) => `category_${c}`),
  ];
}

/** A published cell flattened for CSV; a withheld cell keeps only its bucket, group and reason, as in JSON. */
export function cellRow(cell: PublishedCell): Record<string, CsvValue> {
  if (cell.suppressed) return { bucket: cell.bucket, group: cell.group, suppressed: true, reason: cell.reason };
  const row: Record<string, CsvValue> = {
    bucket: cell.bucket,
    group: cell.group,
    suppressed: false,
    municipalities: cell.municipalities,
    municipality_days: cell.municipality_days,
    attempts: cell.attempts,
    ...cell.distribution,
    days_above_threshold: cell.days_above_threshold,
    share_above_threshold: cell.share_above_threshold,
    municipalities_mean_above_threshold: cell.municipalities_mean_above_threshold,
    share_municipalities_mean_above_threshold: cell.share_municipalities_mean_above_threshold,
  };
  for (const [category, n] of Object.entries(cell.by_category)) row[`category_${category}`] = n;
  return row;
}

/** The columns of the by-category figures: the same cells, only their attempts and categories. */
export function categoryColumns(categories: readonly string[]): string[] {
  return ['bucket', 'group', 'suppressed', 'reason', 'attempts', ...categories.map((c) => `category_${c}`)];
}

/** A cell's by-category figures flattened for CSV, holding exactly what the JSON answer holds. */
export function categoryRow(cell: PublishedCell): Record<string, CsvValue> {
  if (cell.suppressed) return { bucket: cell.bucket, group: cell.group, suppressed: true, reason: cell.reason };
  const row: Record<string, CsvValue> = { bucket: cell.bucket, group: cell.group, suppressed: false, attempts: cell.attempts };
  for (const [category, n] of Object.entries(cell.by_category)) row[`category_${category}`] = n;
  return row;
}
