import type { EventTimeWindow, SocEvent } from '@soc/contracts';
import { describeProblems, readInboundEvent, stampEvent, type EventLimits } from '@soc/ingest';
import { lineReferenceTimes, parseLogLine, type SyslogFrame } from '@soc/parsing';
import type { SyslogSender } from './forwarder-identities';

export type ReadMessage = { ok: true; event: SocEvent } | { ok: false; raw: string; reason: string };

export interface SyslogReadContext {
  /** Arrival, and the reference time of year-less timestamps (a syslog sender gives no clock of its own). */
  now: Date;
  ingested: string;
  /** The collector's zone (`SYSLOG_TIME_ZONE`), for senders whose members file entry names none. */
  timeZone: string;
  eventLimits: EventLimits;
  eventTimeWindow: EventTimeWindow;
}

/**
 * The framed syslog messages of one read (or framing errors), in the order they came → events
 * stamped with the sender's member, or what goes to the dead letters. The parsed event is
 * admitted exactly as an HTTP one is (`readInboundEvent`: canonical shape, indexable fields,
 * contract), because parsers copy sender-chosen keys (CEF extensions and labels, structured
 * data) into it; a sender that cannot be answered 400 gets its message dead-lettered with the
 * reason instead. The member comes from the connection, never the payload. Each line goes
 * through `parseLogLine`, the same door as a raw line sent over HTTP, in the format, dataset and
 * zone the members file declares for the sender, and year-less timestamps are read in the order
 * of the read as the lines of an HTTP body are (`lineReferenceTimes`), so a forwarder relaying a
 * file gets the same events either way.
 */
export function readSyslogFrames(frames: readonly SyslogFrame[], sender: SyslogSender, context: SyslogReadContext): ReadMessage[] {
  const lines = frames.map((frame) => (frame.ok ? frame.message.toString('utf8') : undefined));
  const timeZone = sender.timeZone ?? context.timeZone;
  const references = lineReferenceTimes(lines, context.now, timeZone);
  return frames.map((frame, index) => {
    const line = lines[index];
    if (!frame.ok || line === undefined) return { ok: false, raw: '', reason: frame.ok ? 'empty frame' : frame.reason };
    const parsed = parseLogLine(line, { now: references[index], timeZone, format: sender.format, dataset: sender.dataset });
    if (!parsed.ok) return { ok: false, raw: line, reason: parsed.reason };
    const admitted = readInboundEvent(parsed.event, context.eventLimits);
    if (!admitted.ok) return { ok: false, raw: line, reason: `not indexable: ${describeProblems(admitted.problems)}` };
    return { ok: true, event: stampEvent(admitted.event, sender.memberId, context.ingested, context.eventTimeWindow) };
  });
}
