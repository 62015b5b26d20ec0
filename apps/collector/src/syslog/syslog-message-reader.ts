import type { SocEvent } from '@soc/contracts';
import { stampEvent } from '@soc/ingest';
import { parseSyslogLine, type SyslogFrame } from '@soc/parsing';

export type ReadMessage = { ok: true; event: SocEvent } | { ok: false; raw: string; reason: string };

/**
 * One framed syslog message (or a framing error) → an event stamped with the sender's member,
 * or what goes to the dead letters. The member comes from the connection, never the payload.
 */
export function readSyslogFrame(
  frame: SyslogFrame,
  memberId: string,
  context: { now: Date; ingested: string; timeZone: string },
): ReadMessage {
  if (!frame.ok) return { ok: false, raw: '', reason: frame.reason };
  const parsed = parseSyslogLine(frame.message, { now: context.now, timeZone: context.timeZone });
  if (!parsed.ok) return { ok: false, raw: frame.message.toString('utf8'), reason: parsed.reason };
  return { ok: true, event: stampEvent(parsed.event, memberId, context.ingested) };
}
