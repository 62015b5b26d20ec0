import { createHash } from 'node:crypto';
import type { EventTimeWindow, SocEvent } from '@soc/contracts';
import { describeProblems, readInboundEvent, stampEvent, type EventLimits } from '@soc/ingest';
import { parseLogLine } from '@soc/parsing';

export interface IngestReadOptions {
  /** The dead-letter stream's key: with the entry id, what the replayed event's id is derived from. */
  key: string;
  /** The collector's zone for timestamps without one (`SYSLOG_TIME_ZONE`). */
  timeZone: string;
  eventLimits: EventLimits;
  eventTimeWindow: EventTimeWindow;
}

/** A UUID-shaped id that is the same for every replay of one dead letter. */
export function replayedEventId(key: string, entryId: string): string {
  const hex = createHash('sha256').update(`${key}/${entryId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * An ingest dead letter read again as the collector reads a syslog line (`parseLogLine`, then
 * admitted and stamped like any event), at the time it first arrived, for the member it came
 * from; its `event.id` is derived from the dead letter, so replaying it twice is one document.
 * The sender's declared format and dataset are not kept with the dead letter: the line's format
 * is recognised from the line itself.
 */
export function eventOfIngestDeadLetter(
  letter: { id: string; member: string; raw: string },
  options: IngestReadOptions,
): { ok: true; event: SocEvent } | { ok: false; reason: string } {
  const arrived = new Date(Number(letter.id.split('-')[0]));
  const parsed = parseLogLine(letter.raw, { now: arrived, timeZone: options.timeZone });
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  const admitted = readInboundEvent(parsed.event, options.eventLimits);
  if (!admitted.ok) return { ok: false, reason: `not indexable: ${describeProblems(admitted.problems)}` };
  const event = stampEvent(admitted.event, letter.member, arrived.toISOString(), options.eventTimeWindow);
  event.event.id = replayedEventId(options.key, letter.id);
  return { ok: true, event };
}

/**
 * The `reread` of `IngestDeadLetters`: the event read again is appended to the events stream
 * (`append`: `EventsStream.append`), so the correlator and the indexer both get it for the first
 * time; a line that still cannot be read is refused with the reason and stays a dead letter.
 */
export function ingestReplayer(append: (events: SocEvent[]) => Promise<Array<{ entry_id: string }>>, options: IngestReadOptions) {
  return async (letter: { id: string; member: string; raw: string }): Promise<{ ok: true; detail: string } | { ok: false; reason: string }> => {
    const read = eventOfIngestDeadLetter(letter, options);
    if (!read.ok) return read;
    const [appended] = await append([read.event]);
    return { ok: true, detail: `event ${read.event.event.id} appended to the events stream as ${appended?.entry_id}` };
  };
}
