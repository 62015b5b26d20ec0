import type { InboundEvent } from '@soc/contracts';
import { lineReferenceTimes } from '@soc/parsing';
import { canonicaliseEvent, defaultEventLimits, type EventLimits } from './canonical-event';
import { eventOfRawLine, lineOfRecord, normaliseInboundRecord, type InboundFormatContext, type NormalisedRecord } from './inbound-format';
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
  if (format === undefined) {
    for (const record of records) {
      if (problems.length >= MAX_PROBLEMS) break;
      if ('error' in record) {
        problems.push({ line: record.line, path: '(line)', message: record.error });
        continue;
      }
      // Without a format (no caller passes none but tests and benchmarks) there are no raw lines.
      const read = readInboundEvent('value' in record ? record.value : undefined, limits);
      if (read.ok) events.push(read.event);
      else for (const p of read.problems) problems.push({ line: record.line, ...p });
    }
  } else {
    const prepared = records.map((record) => prepareRecord(record, limits));
    // The body is one file (or a batch of it) in order: each line's year-less timestamp is read
    // against the time its place in the file gives it (docs/INGEST.md, Event time).
    const lines = prepared.map((record) =>
      'rawLine' in record ? record.rawLine : 'canonical' in record ? lineOfRecord(record.canonical, format.format) : undefined,
    );
    const references = lineReferenceTimes(lines, format.now, format.timeZone);
    prepared.forEach((record, index) => {
      if (problems.length >= MAX_PROBLEMS) return;
      if ('error' in record) {
        problems.push({ line: record.line, path: '(line)', message: record.error });
        return;
      }
      if ('problems' in record) {
        for (const p of record.problems) problems.push({ line: record.line, ...p });
        return;
      }
      const context = references[index] === format.now ? format : { ...format, now: references[index] };
      const read = readFormatted(record, context, limits);
      if (read.ok) {
        events.push(read.event);
        if (read.unparsed) unparsed++;
      } else for (const p of read.problems) problems.push({ line: record.line, ...p });
    });
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

type PreparedRecord =
  | { line: number; rawLine: string }
  | { line: number; canonical: Record<string, unknown> }
  | { line: number; problems: Array<{ path: string; message: string }> }
  | { line: number; error: string };

/** A JSON record put into its canonical shape first: only then can its raw line be looked at. */
function prepareRecord(record: BodyRecord, limits: EventLimits): PreparedRecord {
  if (!('value' in record)) return record;
  const canonical = canonicaliseEvent(record.value, limits);
  return canonical.ok ? { line: record.line, canonical: canonical.event as Record<string, unknown> } : { line: record.line, problems: canonical.problems };
}

/** A record read in its declared or recognised format, then admitted like any event. */
function readFormatted(
  record: { line: number; canonical: Record<string, unknown> } | { line: number; rawLine: string },
  context: InboundFormatContext,
  limits: EventLimits,
): { ok: true; event: InboundEvent; unparsed: boolean } | { ok: false; problems: Array<{ path: string; message: string }> } {
  const normalised: NormalisedRecord = 'rawLine' in record ? eventOfRawLine(record.rawLine, context) : normaliseInboundRecord(record.canonical, context);
  // A parser's event carries sender-chosen keys (Windows EventData names, CEF extensions): it
  // passes the whole door again, canonical shape included.
  const read = normalised.rebuilt ? readInboundEvent(normalised.event, limits) : admitCanonicalEvent(normalised.event);
  return read.ok ? { ok: true, event: read.event, unparsed: normalised.unparsed } : read;
}
