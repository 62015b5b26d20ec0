import type { InboundEvent } from '@soc/contracts';
import { canonicaliseEvent, defaultEventLimits, type EventLimits } from './canonical-event';
import { eventOfRawLine, normaliseInboundRecord, type InboundFormatContext, type NormalisedRecord } from './inbound-format';
import { admitCanonicalEvent, readInboundEvent } from './inbound-event';

export interface EventBodyProblem {
  /** 1-based line (NDJSON) or array position + 1 (JSON array). */
  line: number;
  path: string;
  message: string;
}

export type EventBodyResult = { ok: true; events: InboundEvent[]; unparsed: number } | { ok: false; problems: EventBodyProblem[] };

/** How a body is read: its records' format, and whether it is `text/plain` (one raw line each). */
export interface EventBodyFormat extends InboundFormatContext {
  plainText: boolean;
}

type BodyRecord = { line: number; value: unknown } | { line: number; rawLine: string } | { line: number; error: string };

/** Problems reported per request at most; a body with thousands of bad lines does not echo them all. */
const MAX_PROBLEMS = 100;

/**
 * Reads an HTTP body of events: a JSON array, a single JSON object, or NDJSON (one object per
 * line, blank lines ignored). All or nothing: any invalid event rejects the body, naming each
 * failing line and field, so the sender can fix it and send again without duplicates. Each event
 * is admitted by `readInboundEvent` (canonical shape, indexable fields, contract).
 */
export function parseEventBody(body: string, limits: EventLimits = defaultEventLimits, format?: EventBodyFormat): EventBodyResult {
  const trimmed = body.trimStart();
  if (trimmed.length === 0) return { ok: false, problems: [{ line: 0, path: '(body)', message: 'body has no events' }] };
  const records: BodyRecord[] = [];
  if (format?.plainText) {
    readPlainLines(body, format, records);
  } else if (trimmed[0] === '[') {
    try {
      const array = JSON.parse(trimmed) as unknown[];
      array.forEach((value, index) => records.push({ line: index + 1, value }));
    } catch (error) {
      return { ok: false, problems: [{ line: 0, path: '(body)', message: `invalid JSON array: ${(error as Error).message}` }] };
    }
  } else {
    const lines = body.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const text = lines[i].trim();
      if (text.length === 0) continue;
      try {
        records.push({ line: i + 1, value: JSON.parse(text) });
      } catch (error) {
        records.push({ line: i + 1, error: `invalid JSON: ${(error as Error).message}` });
      }
    }
  }
  if (records.length === 0) return { ok: false, problems: [{ line: 0, path: '(body)', message: 'body has no events' }] };

  const events: InboundEvent[] = [];
  const problems: EventBodyProblem[] = [];
  let unparsed = 0;
  for (const record of records) {
    if (problems.length >= MAX_PROBLEMS) break;
    if ('error' in record) {
      problems.push({ line: record.line, path: '(line)', message: record.error });
      continue;
    }
    const read = format === undefined && 'value' in record ? readInboundEvent(record.value, limits) : readFormatted(record, limits, format!);
    if (read.ok) {
      events.push(read.event);
      if ('unparsed' in read && read.unparsed) unparsed++;
    } else for (const p of read.problems) problems.push({ line: record.line, ...p });
  }
  return problems.length > 0 ? { ok: false, problems: problems.slice(0, MAX_PROBLEMS) } : { ok: true, events, unparsed };
}

/**
 * `text/plain`: every non-blank line is one raw log line, except that in `auto` a line that is a
 * JSON object is read as a JSON record (forwarders that label NDJSON `text/plain` keep working).
 */
function readPlainLines(body: string, format: EventBodyFormat, records: BodyRecord[]): void {
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line.trim().length === 0) continue;
    if (format.format === 'auto' || format.format === 'ecs' || format.format === 'windows-json') {
      const json = jsonObjectOf(line);
      if (json !== undefined) {
        records.push({ line: i + 1, value: json });
        continue;
      }
      if (format.format !== 'auto') {
        records.push({ line: i + 1, error: `invalid JSON: format ${format.format} sends JSON records` });
        continue;
      }
    }
    records.push({ line: i + 1, rawLine: line });
  }
}

function jsonObjectOf(line: string): unknown {
  if (line.trimStart()[0] !== '{') return undefined;
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

/** A record read in its declared or recognised format, then admitted like any event. */
function readFormatted(
  record: { line: number; value: unknown } | { line: number; rawLine: string },
  limits: EventLimits,
  format: EventBodyFormat,
): ({ ok: true; event: InboundEvent; unparsed: boolean }) | { ok: false; problems: Array<{ path: string; message: string }> } {
  let normalised: NormalisedRecord;
  if ('rawLine' in record) {
    normalised = eventOfRawLine(record.rawLine, format);
  } else {
    const canonical = canonicaliseEvent(record.value, limits);
    if (!canonical.ok) return canonical;
    normalised = normaliseInboundRecord(canonical.event, format);
  }
  // A parser's event carries sender-chosen keys (Windows EventData names, CEF extensions): it
  // passes the whole door again, canonical shape included.
  const read = normalised.rebuilt ? readInboundEvent(normalised.event, limits) : admitCanonicalEvent(normalised.event);
  return read.ok ? { ok: true, event: read.event, unparsed: normalised.unparsed } : read;
}
