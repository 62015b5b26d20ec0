/** A chart's own figures as a table: the columns in order, one row per bucket (or region, municipality, category). */
export interface ChartTable {
  columns: readonly string[];
  rows: ReadonlyArray<Record<string, CsvValue>>;
}

export type CsvValue = string | number | boolean | null | undefined;

function field(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // RFC 4180: quote a field holding a separator, quote or line break; double inner quotes.
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * RFC 4180 CSV (CRLF line ends, header first), the way the statistics API writes its own CSV
 * (libs/statistics `toCsv`): a withheld row holds its key, `suppressed=true` and the reason, and
 * no figure, so an empty field never reads as 0.
 */
export function csvText(table: ChartTable): string {
  const lines = [table.columns.map(field).join(',')];
  for (const row of table.rows) lines.push(table.columns.map((c) => field(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
