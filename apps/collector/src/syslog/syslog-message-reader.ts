import type { EventTimeWindow, SocEvent } from '@soc/contracts';
import { describeProblems, readInboundEvent, stampEvent, type EventLimits } from '@soc/ingest';
import { parseLogLine, type SyslogFrame } from '@soc/parsing';

export type ReadMessage = { ok: true; event: SocEvent } | { ok: false; raw: string; reason: string };

export interface SyslogReadContext {
  now: Date;
  ingested: string;
  timeZone: string;
  eventLimits: EventLimits;
  eventTimeWindow: EventTimeWindow;
}

/**
 * One framed syslog message (or a framing error) → an event stamped with the sender's member,
 * or what goes to the dead letters. The parsed event is admitted exactly as an HTTP one is
 * (`readInboundEvent`: canonical shape, indexable fields, contract), because parsers copy
 * sender-chosen keys (CEF extensions and labels, structured data) into it; a sender that cannot
 * be answered 400 gets its message dead-lettered with the reason instead. The member comes from
 * the connection, never the payload. The line goes through `parseLogLine`, the same door as a
 * raw line sent over HTTP, so a forwarder relaying a file without a syslog header (a bare access
 * or sshd line) gets the same event either way.
 */
export function readSyslogFrame(frame: SyslogFrame, memberId: string, context: SyslogReadContext): ReadMessage {
  if (!frame.ok) return { ok: false, raw: '', reason: frame.reason };
  const line = frame.message.toString('utf8');
  const parsed = parseLogLine(line, { now: context.now, timeZone: context.timeZone });
  if (!parsed.ok) return { ok: false, raw: line, reason: parsed.reason };
  const admitted = readInboundEvent(parsed.event, context.eventLimits);
  if (!admitted.ok) return { ok: false, raw: line, reason: `not indexable: ${describeProblems(admitted.problems)}` };
  return { ok: true, event: stampEvent(admitted.event, memberId, context.ingested, context.eventTimeWindow) };
}
