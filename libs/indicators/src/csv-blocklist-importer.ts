import { abuseChUtcTimestamp } from './abusech-time';
import { parseCsvLine } from './csv-line';
import type { ImportError, ImportResult } from './import-result';
import { parseIndicator, type Indicator, type IndicatorInput } from './indicator.schema';
import type { Tlp } from './tlp';

export interface CsvBlocklistOptions {
  /** Source name; default the feed's name ('abuse.ch Feodo Tracker', 'abuse.ch URLhaus'). */
  readonly source?: string;
  /** Default clear: abuse.ch publishes these lists openly (CC0). */
  readonly tlp?: Tlp;
  /** Default 50. */
  readonly confidence?: number;
}

type Row = Readonly<Record<string, string>>;
type Candidate = Omit<IndicatorInput, 'source' | 'tlp' | 'confidence'>;

/** A blocklist layout, recognised by its header columns. */
interface BlocklistFormat {
  readonly source: string;
  readonly columns: readonly string[]; // required; other columns are optional
  candidate(row: Row): Candidate | string;
}

const feodoTracker: BlocklistFormat = {
  source: 'abuse.ch Feodo Tracker',
  columns: ['first_seen_utc', 'dst_ip'],
  candidate(row) {
    const ip = row['dst_ip']!;
    const validFrom = utcTimestamp(row, 'first_seen_utc');
    if (validFrom === undefined) return invalidTimestamp(row, 'first_seen_utc');
    const port = row['dst_port'];
    const malware = row['malware'];
    const status = row['c2_status'];
    const lastOnline = row['last_online'];
    return {
      id: port ? `feodotracker:${ip}:${port}` : `feodotracker:${ip}`,
      type: ip.includes(':') ? 'ipv6' : 'ipv4',
      value: ip,
      valid_from: validFrom,
      labels: ['botnet-c2', ...(malware ? [malware] : []), ...(status ? [`c2-status:${status}`] : [])],
      description: [`${malware || 'botnet'} C2`, port ? ` on port ${port}` : '', lastOnline ? `, last online ${lastOnline}` : ''].join(''),
      ...(port && /^\d{1,5}$/.test(port) ? { port: Number(port) } : {}),
    };
  },
};

const urlhaus: BlocklistFormat = {
  source: 'abuse.ch URLhaus',
  columns: ['dateadded', 'url'],
  candidate(row) {
    const url = row['url']!;
    const validFrom = utcTimestamp(row, 'dateadded');
    if (validFrom === undefined) return invalidTimestamp(row, 'dateadded');
    const tags = (row['tags'] ?? '').split(',').map((tag) => tag.trim());
    const candidate: Candidate = {
      id: row['id'] ? `urlhaus:${row['id']}` : `urlhaus:${url}`,
      type: 'url',
      value: url,
      valid_from: validFrom,
      labels: [...new Set([row['threat'] ?? '', ...tags].filter((label) => label.length > 0))],
    };
    return row['urlhaus_link'] ? { ...candidate, reference: row['urlhaus_link'] } : candidate;
  },
};

const formats = [feodoTracker, urlhaus];

/**
 * Reads an abuse.ch CSV blocklist: Feodo Tracker's IP blocklist or URLhaus's URL list, told
 * apart by their header columns. `#` lines are comments; the header is the first line that is
 * not (Feodo), or the last comment before the data when the header is commented out (URLhaus
 * downloads as published). A Feodo `# END <n> entries` footer is checked against the rows read,
 * which catches a truncated download. Each bad row becomes an error with its line number.
 */
export function importCsvBlocklist(text: string, options: CsvBlocklistOptions = {}): ImportResult {
  const indicators: Indicator[] = [];
  const errors: ImportError[] = [];
  const lines = text.split('\n');

  let header: { format: BlocklistFormat; columns: string[] } | undefined;
  let headerMissing = false;
  let lastComment: string | undefined;
  let rows = 0;

  lines.forEach((rawLine, index) => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const lineNumber = index + 1;
    if (headerMissing || line.trim().length === 0) return;
    if (line.startsWith('#')) {
      lastComment = line.slice(1).trim();
      const footer = /^END\s+(\d+)\s+entries/i.exec(lastComment);
      if (footer !== null && Number(footer[1]) !== rows) {
        errors.push({ line: lineNumber, reason: `footer announces ${footer[1]} entries but ${rows} rows were read` });
      }
      return;
    }
    if (header === undefined) {
      const own = recogniseHeader(line);
      if (own !== undefined) {
        header = own;
        return;
      }
      header = lastComment !== undefined ? recogniseHeader(lastComment) : undefined;
      if (header === undefined) {
        const expected = formats.map((format) => `${format.source} (${format.columns.join(', ')})`).join(' or ');
        const reason = `no recognised header before the data: expected the columns of ${expected}`;
        errors.push({ line: lineNumber, reason });
        headerMissing = true;
        return;
      }
    }
    rows++;
    const error = importRow(line, header.format, header.columns, options, indicators);
    if (error !== undefined) errors.push({ line: lineNumber, reason: error });
  });
  return { indicators, errors };
}

function recogniseHeader(line: string): { format: BlocklistFormat; columns: string[] } | undefined {
  const parsed = parseCsvLine(line);
  if (!parsed.ok) return undefined;
  const columns = parsed.fields.map((field) => field.trim().toLowerCase());
  const format = formats.find((candidate) => candidate.columns.every((column) => columns.includes(column)));
  return format === undefined ? undefined : { format, columns };
}

// Returns the reason the row was rejected, or undefined when it became an indicator.
function importRow(
  line: string,
  format: BlocklistFormat,
  columns: readonly string[],
  options: CsvBlocklistOptions,
  indicators: Indicator[],
): string | undefined {
  const parsed = parseCsvLine(line);
  if (!parsed.ok) return parsed.reason;
  if (parsed.fields.length !== columns.length) {
    return `expected ${columns.length} fields as in the header, found ${parsed.fields.length}`;
  }
  const row: Record<string, string> = {};
  columns.forEach((column, i) => (row[column] = parsed.fields[i]!.trim()));
  const candidate = format.candidate(row);
  if (typeof candidate === 'string') return candidate;
  const result = parseIndicator({
    ...candidate,
    source: options.source ?? format.source,
    tlp: options.tlp ?? 'clear',
    confidence: options.confidence ?? 50,
  });
  if (!result.ok) return result.reason;
  indicators.push(result.indicator);
  return undefined;
}

function utcTimestamp(row: Row, column: string): string | undefined {
  return abuseChUtcTimestamp(row[column] ?? '');
}

function invalidTimestamp(row: Row, column: string): string {
  return `invalid ${column} '${row[column] ?? ''}': expected 'YYYY-MM-DD HH:MM:SS' (UTC)`;
}
