import { parseCef } from './cef';
import { cefRecordToEcs } from './cef-to-ecs';
import { mergeEcsFields, mergeFreshEcsFields, type EcsObject } from './ecs-fields';
import { eventResult, parseFailure, type EventParseResult } from './parse-result';
import { extractProgramMessage } from './program-message';
import { parseRfc3164 } from './rfc3164';
import { looksLikeRfc5424, parseRfc5424 } from './rfc5424';
import { syslogMessageToEcs, type SyslogMessage } from './syslog-message';
import { isKnownTimeZone } from './zoned-time';

export interface SyslogLineOptions {
  /** Reference time: the year of year-less timestamps is chosen relative to it. */
  now: Date;
  /** IANA zone of timestamps without an offset (default `UTC`). */
  timeZone?: string;
}

const cefPrefix = 'CEF:';
// rsyslog/syslog-ng collapse duplicates into `message repeated N times: [ <message>]`.
const leadingSpaces = /^\s/;
const repeatedPattern = /^message repeated (\d{1,9}) times: \[ ?([\s\S]*)\]$/;

function trimLineEnd(line: string): string {
  let end = line.length;
  while (end > 0) {
    const code = line.charCodeAt(end - 1);
    if (code !== 0x0a && code !== 0x0d && code !== 0x00) break;
    end--;
  }
  return end === line.length ? line : line.slice(0, end);
}

function parseCefPayload(payload: string, options: { now: Date; timeZone: string }): EcsObject | string {
  const cef = parseCef(payload);
  if (!cef.ok) return cef.reason;
  return cefRecordToEcs(cef.record, options);
}

function parseLine(line: string, options: SyslogLineOptions): EventParseResult {
  if (line.length === 0) return parseFailure('empty line');
  if (!(options.now instanceof Date) || Number.isNaN(options.now.getTime())) return parseFailure('options.now must be a valid Date');
  const timeZone = options.timeZone ?? 'UTC';
  if (!isKnownTimeZone(timeZone)) return parseFailure(`unknown time zone '${timeZone}'`);
  const context = { now: options.now, timeZone };

  if (line.startsWith(cefPrefix)) {
    const cef = parseCefPayload(line, context);
    if (typeof cef === 'string') return parseFailure(cef);
    (cef.event as EcsObject).original = line;
    return eventResult(cef);
  }

  const parsed = looksLikeRfc5424(line) ? parseRfc5424(line) : parseRfc3164(line, context);
  if (!parsed.ok) return parsed;
  return syslogMessageToEvent(parsed.message, line, context);
}

/**
 * The second stage of every syslog line: the header's ECS fields, then CEF when the message is
 * CEF, else the program's message extractor. Also used for header-only lines built without a
 * timestamp (parse-log-line.ts).
 */
export function syslogMessageToEvent(message: SyslogMessage, line: string, context: { now: Date; timeZone: string }): EventParseResult {
  const { timeZone } = context;
  const document = syslogMessageToEcs(message, line);
  // rsyslog's stock RFC 5424 template keeps the space that followed `program[pid]:` as the first
  // character of MSG: no program writes messages that start with spaces, so extract without them.
  const payload = leadingSpaces.test(message.message) ? message.message.trimStart() : message.message;

  // CEF only where the syslog message starts: `CEF:` inside a message (an invalid user name, a
  // URL) cannot turn a line into CEF with attacker-chosen fields.
  if (payload.startsWith(cefPrefix)) {
    const cef = parseCefPayload(payload, context);
    if (typeof cef === 'string') return parseFailure(cef);
    return eventResult(mergeEcsFields(document, cef));
  }

  let programMessage = payload;
  const repeated = repeatedPattern.exec(payload);
  if (repeated !== null) {
    programMessage = repeated[2];
    mergeEcsFields(document, { log: { repeat_count: Number(repeated[1]) } });
  }
  const facility = message.priorityAssumed ? undefined : message.priority >> 3;
  mergeFreshEcsFields(document, extractProgramMessage(message.appName, programMessage, { timeZone, facility }));
  return eventResult(document);
}

/**
 * The collector's front door for one syslog message (already framed): RFC 5424 or RFC 3164,
 * then CEF when the message is CEF, else the program's message extractor (sshd, sudo, PAM,
 * Apache, nginx). Returns `{ ok: false, reason }` for input that cannot be parsed; never throws.
 */
export function parseSyslogLine(input: string | Buffer, options: SyslogLineOptions): EventParseResult {
  const line = trimLineEnd(typeof input === 'string' ? input : input.toString('utf8'));
  try {
    return parseLine(line, options);
  } catch (error) {
    // Defence in depth: the fuzz test asserts this branch is never reached.
    return parseFailure(`internal parser error: ${error instanceof Error ? error.message : String(error)}`);
  }
}
