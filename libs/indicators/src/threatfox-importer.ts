import { abuseChUtcTimestamp } from './abusech-time';
import { type ImportError, type ImportResult, readJsonDocument } from './import-result';
import { parseIndicator, type Indicator } from './indicator.schema';
import type { IndicatorType } from './indicator-type';
import { isRecord } from './is-record';
import { ipIndicatorType } from './normalise';
import type { Tlp } from './tlp';

export interface ThreatFoxImportOptions {
  /** Source name for every indicator; default 'abuse.ch ThreatFox'. */
  readonly source?: string;
  /** Default clear: abuse.ch publishes ThreatFox openly (CC0). */
  readonly tlp?: Tlp;
  /** Confidence when an entry has no confidence_level; default 50. */
  readonly defaultConfidence?: number;
}

// ThreatFox's ioc_type values the index can match; others (e.g. sha3_384_hash) are reported.
const iocTypes: Readonly<Record<string, 'ip' | IndicatorType>> = {
  'ip:port': 'ip',
  domain: 'domain',
  url: 'url',
  md5_hash: 'md5',
  sha1_hash: 'sha1',
  sha256_hash: 'sha256',
};

/** One IOC with the field names of either shape (export or API), and where it was found. */
interface Entry {
  readonly path: string;
  readonly id: string | undefined;
  readonly fields: Record<string, unknown>;
}

/**
 * Reads abuse.ch ThreatFox IOCs into indicators, in either published JSON shape:
 * - the data export (`/export/json/recent/`, `/export/json/full/`): an object keyed by IOC id,
 *   each holding an array of one entry with `ioc_value`, `ioc_type`, `threat_type`,
 *   `malware_printable`, `first_seen_utc`, `confidence_level`, `reference`, and `tags` as one
 *   comma-separated string;
 * - the API answer (`{"query_status": "ok", "data": [...]}`): entries with `id`, `ioc`,
 *   `first_seen` (`… UTC`) and `tags` as an array.
 *
 * Each indicator gets: id = `threatfox:<IOC id>`, value = the IOC (an `ip:port` IOC matches on
 * the address and keeps the port), confidence = confidence_level, valid_from = first seen,
 * labels = threat type, malware and tags, reference = the IOC's reference or its ThreatFox page.
 * ThreatFox's last_seen is when it was last observed, not an expiry, so no valid_until is set.
 */
export function importThreatFox(input: unknown, options: ThreatFoxImportOptions = {}): ImportResult {
  const indicators: Indicator[] = [];
  const errors: ImportError[] = [];

  const read = readJsonDocument(input);
  if (!read.ok) return read.result;
  const document = read.document;
  const entries = threatFoxEntries(document, errors);
  for (const entry of entries) {
    const result = convertEntry(entry, options);
    if (typeof result === 'string') errors.push({ path: entry.path, objectId: entry.id, reason: result });
    else indicators.push(result);
  }
  return { indicators, errors };
}

function threatFoxEntries(document: unknown, errors: ImportError[]): Entry[] {
  if (!isRecord(document)) {
    errors.push({ path: '$', reason: 'not a ThreatFox export: expected an object keyed by IOC id, or an API answer' });
    return [];
  }
  if ('query_status' in document) {
    const data = document['data'];
    if (document['query_status'] !== 'ok' || !Array.isArray(data)) {
      const status = String(document['query_status']);
      errors.push({ path: 'query_status', reason: `ThreatFox answered '${status}' without a data array` });
      return [];
    }
    return data.map((fields, i) => entryAt(`data[${i}]`, fields, (record) => record['id']));
  }
  const entries: Entry[] = [];
  for (const [key, value] of Object.entries(document)) {
    const path = `["${key}"]`;
    if (!Array.isArray(value)) {
      errors.push({ path, objectId: key, reason: 'expected an array of IOC entries under the IOC id' });
      continue;
    }
    value.forEach((fields, i) => entries.push(entryAt(`${path}[${i}]`, fields, () => key)));
  }
  return entries;
}

function entryAt(path: string, fields: unknown, idOf: (record: Record<string, unknown>) => unknown): Entry {
  if (!isRecord(fields)) return { path, id: undefined, fields: {} };
  const id = idOf(fields);
  return { path, id: typeof id === 'string' || typeof id === 'number' ? String(id) : undefined, fields };
}

// Returns the indicator, or the reason the entry was refused.
function convertEntry(entry: Entry, options: ThreatFoxImportOptions): Indicator | string {
  const { fields, id } = entry;
  if (Object.keys(fields).length === 0) return 'not a JSON object with IOC fields';
  if (id === undefined) return 'entry has no IOC id';
  const value = text(fields['ioc_value']) ?? text(fields['ioc']);
  const iocType = text(fields['ioc_type']);
  if (value === undefined || iocType === undefined) return "entry needs string 'ioc_value' (or 'ioc') and 'ioc_type'";
  const kind = iocTypes[iocType];
  if (kind === undefined) return `unsupported ioc_type '${iocType}': the index cannot match it`;

  const firstSeenText = text(fields['first_seen_utc']) ?? text(fields['first_seen']) ?? '';
  const validFrom = abuseChUtcTimestamp(firstSeenText);
  if (validFrom === undefined) return `invalid first_seen_utc '${firstSeenText}': expected 'YYYY-MM-DD HH:MM:SS' (UTC)`;

  const confidence = fields['confidence_level'];
  const threatType = text(fields['threat_type']);
  const malware = text(fields['malware_printable']) ?? text(fields['malware']);
  const lastSeen = text(fields['last_seen_utc']) ?? text(fields['last_seen']);
  const labels = [threatType, malware, ...tagList(fields['tags'])].filter((label): label is string => !!label);
  const description = [malware ?? 'malware', threatType ? ` ${threatType}` : '', lastSeen ? `, last seen ${lastSeen}` : ''];

  const result = parseIndicator({
    id: `threatfox:${id}`,
    type: kind === 'ip' ? ipIndicatorType(value) : kind,
    value,
    source: options.source ?? 'abuse.ch ThreatFox',
    confidence: typeof confidence === 'number' ? confidence : (options.defaultConfidence ?? 50),
    tlp: options.tlp ?? 'clear',
    valid_from: validFrom,
    labels: [...new Set(labels)],
    description: description.join(''),
    reference: text(fields['reference']) ?? `https://threatfox.abuse.ch/ioc/${id}/`,
  });
  return result.ok ? result.indicator : `${iocType} '${value}': ${result.reason}`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim().length > 0 ? value.trim() : undefined;
}

// The export writes tags as one comma-separated string, the API as an array; either may be null.
function tagList(tags: unknown): string[] {
  const list = typeof tags === 'string' ? tags.split(',') : Array.isArray(tags) ? tags : [];
  return list.flatMap((tag) => (typeof tag === 'string' && tag.trim().length > 0 ? [tag.trim()] : []));
}
