import type { SocEvent } from '@soc/contracts';
import { defaultEventLimits, parseEventBody, stampEvent, unparsedTag, type LogFormat } from '@soc/ingest';
import { normaliseJsonRecord, parseLogLine, type LogLineFormat } from '@soc/parsing';

/** What became of one line sent to the collector. */
export type DoorOutcome =
  | { kind: 'parsed'; event: SocEvent }
  /** Kept and counted `unparsed` by the collector (tagged, no dataset): the reason is the parser's. */
  | { kind: 'unparsed'; event: SocEvent; reason: string }
  /** Refused with 400 (HTTP) or dead-lettered (syslog): the problems the collector names. */
  | { kind: 'refused'; reason: string };

export interface DoorOptions {
  memberId: string;
  /** IANA zone of offset-less timestamps (the collector's `SYSLOG_TIME_ZONE`). */
  timeZone: string;
}

/**
 * The collector's ingest path without its transport: `parseEventBody` with the arguments the ingest
 * controller passes (declared format, arrival time, zone; `text/plain` for raw lines, NDJSON for
 * JSON records), then `stampEvent`. One line is one request, so a refused line is that line alone.
 *
 * Event time: `stampEvent` is called WITHOUT an event-time window, so every event keeps the
 * `@timestamp` its parser read from the line. The collector's window (30 days back) would re-time
 * these years-old corpora to their arrival time, and the replay would measure nothing.
 */
export class CollectorDoor {
  constructor(private readonly options: DoorOptions) {}

  /** A raw log line (`text/plain`), as a forwarder reading a file sends it. `now`: the forwarder's clock. */
  rawLine(line: string, format: LogFormat, now: Date): DoorOutcome {
    const parsed = parseEventBody(line, defaultEventLimits, { format, now, timeZone: this.options.timeZone, plainText: true });
    if (!parsed.ok) return { kind: 'refused', reason: parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ') };
    const event = this.stamp(parsed.events[0], now);
    if (!isUnparsed(event)) return { kind: 'parsed', event };
    const lineFormat: LogLineFormat = format === 'ecs' || format === 'windows-json' ? 'auto' : format;
    const again = parseLogLine(line, { now, timeZone: this.options.timeZone, format: lineFormat });
    return { kind: 'unparsed', event, reason: again.ok ? '(parsed on its own, not through the body)' : again.reason };
  }

  /** One JSON record (an NDJSON line), as NXLog or Winlogbeat sends it. */
  jsonRecord(line: string, format: LogFormat, now: Date): DoorOutcome {
    const parsed = parseEventBody(line, defaultEventLimits, { format, now, timeZone: this.options.timeZone, plainText: false });
    if (!parsed.ok) return { kind: 'refused', reason: parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ') };
    const event = this.stamp(parsed.events[0], now);
    if (!isUnparsed(event)) return { kind: 'parsed', event };
    const again = normaliseJsonRecord(JSON.parse(line) as unknown, { timeZone: this.options.timeZone });
    return { kind: 'unparsed', event, reason: again.ok ? '(not a Windows record)' : again.reason };
  }

  private stamp(event: Parameters<typeof stampEvent>[0], now: Date): SocEvent {
    // No window: the parser's @timestamp stands (see the class comment).
    return stampEvent(event, this.options.memberId, now.toISOString(), undefined);
  }
}

function isUnparsed(event: SocEvent): boolean {
  return event.tags?.includes(unparsedTag) ?? false;
}
