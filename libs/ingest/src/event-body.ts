import type { InboundEvent } from '@soc/contracts';
import { defaultEventLimits, type EventLimits } from './canonical-event';
import { readInboundEvent } from './inbound-event';

export interface EventBodyProblem {
  /** 1-based line (NDJSON) or array position + 1 (JSON array). */
  line: number;
  path: string;
  message: string;
}

export type EventBodyResult = { ok: true; events: InboundEvent[] } | { ok: false; problems: EventBodyProblem[] };

/** Problems reported per request at most; a body with thousands of bad lines does not echo them all. */
const MAX_PROBLEMS = 100;

/**
 * Reads an HTTP body of events: a JSON array, a single JSON object, or NDJSON (one object per
 * line, blank lines ignored). All or nothing: any invalid event rejects the body, naming each
 * failing line and field, so the sender can fix it and send again without duplicates. Each event
 * is admitted by `readInboundEvent` (canonical shape, indexable fields, contract).
 */
export function parseEventBody(body: string, limits: EventLimits = defaultEventLimits): EventBodyResult {
  const trimmed = body.trimStart();
  if (trimmed.length === 0) return { ok: false, problems: [{ line: 0, path: '(body)', message: 'body has no events' }] };
  const records: Array<{ line: number; value: unknown } | { line: number; error: string }> = [];
  if (trimmed[0] === '[') {
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
  for (const record of records) {
    if (problems.length >= MAX_PROBLEMS) break;
    if ('error' in record) {
      problems.push({ line: record.line, path: '(line)', message: record.error });
      continue;
    }
    const read = readInboundEvent(record.value, limits);
    if (read.ok) events.push(read.event);
    else for (const p of read.problems) problems.push({ line: record.line, ...p });
  }
  return problems.length > 0 ? { ok: false, problems: problems.slice(0, MAX_PROBLEMS) } : { ok: true, events };
}
