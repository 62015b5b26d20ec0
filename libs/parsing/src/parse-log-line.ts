import { parseAccessLogLine } from './access-log';
import { parseApacheErrorLogLine } from './apache-error-log';
import { extractAuditRecord } from './audit-record';
import { mergeEcsFields, type EcsObject } from './ecs-fields';
import { parseNginxErrorLogLine } from './nginx-error-log';
import { eventResult, parseFailure, type EventParseResult } from './parse-result';
import { extractProgramMessage } from './program-message';
import { parseSyslogLine, syslogMessageToEvent } from './parse-syslog-line';
import type { SyslogMessage } from './syslog-message';
import { defaultPriority } from './syslog-priority';
import { extractSshdMessage } from './sshd-message';
import { yearlessTimeAtLineStart } from './year-inference';

/** What a raw line is declared to be; `auto` recognises it. */
export const logLineFormats = ['auto', 'syslog', 'sshd', 'apache-access', 'nginx-access'] as const;
export type LogLineFormat = (typeof logLineFormats)[number];

export interface LogLineOptions {
  /**
   * Reference time: a year-less timestamp gets the latest year not more than a day after it
   * (`inferYear`). For the lines of one file, `lineReferenceTimes` gives each line its own.
   */
  now: Date;
  /** IANA zone of timestamps without an offset (default `UTC`). */
  timeZone?: string;
  format?: LogLineFormat;
  /**
   * What the sender declared it sends (`<module>.<dataset>`): the `event.dataset` of an event
   * whose parser named none or only the catch-all `linux.syslog`; a recognised program's
   * dataset (sshd, web servers, PAM) is kept.
   */
  dataset?: string;
}

// `sshd[123]: ` or `sshd: ` in front of a bare sshd message (a file line with the header cut off).
const sshdTagPattern = /^sshd(?:-session)?(?:\[\d{1,9}\])?: /;

/** A bare sshd message (no syslog header): the sshd extractor, the line kept as evidence. */
function parseBareSshdMessage(line: string, timeZone: string): EventParseResult {
  const tag = sshdTagPattern.exec(line);
  const message = tag === null ? line : line.slice(tag[0].length);
  const document: EcsObject = extractProgramMessage('sshd', message, { timeZone });
  const event = (document.event ??= {}) as EcsObject;
  event.original = line;
  document.process = { name: 'sshd' };
  document.message = message;
  return eventResult(document);
}

/** An audit record as auditd writes it to its own file (`type=USER_AUTH msg=audit(...): ...`). */
function parseAuditRecordLine(line: string): EventParseResult | undefined {
  const document = extractAuditRecord(line);
  if (document === undefined) return undefined;
  (document.event as EcsObject).original = line;
  return eventResult(document);
}

/**
 * `host program[pid]: message` without a timestamp: `journalctl -o short` output with the date cut
 * off, or a forwarder that drops the syslog timestamp. The pid is required, so that ordinary text
 * (`Note: ...`, a stack trace) is not taken for a header.
 */
const undatedHeaderPattern = /^([A-Za-z0-9_][A-Za-z0-9_.-]{0,252}) ([A-Za-z0-9_][A-Za-z0-9_.@-]{0,63})\[(\d{1,10})\]: /;
/** Tags an event placed at the reference time (`options.now`) because its line carried no time. */
export const timeFromReferenceTag = 'timestamp_from_reference_time';

/** The header is read as RFC 3164 reads it; a message with its own time (nginx, audit) keeps it. */
function parseUndatedSyslogLine(line: string, options: LogLineOptions, timeZone: string): EventParseResult | undefined {
  const header = undatedHeaderPattern.exec(line);
  if (header === null) return undefined;
  const message: SyslogMessage = {
    format: 'rfc3164',
    priority: defaultPriority,
    priorityAssumed: true,
    hostname: header[1],
    appName: header[2],
    procId: header[3],
    message: line.slice(header[0].length),
  };
  const parsed = syslogMessageToEvent(message, line, { now: options.now, timeZone });
  if (!parsed.ok) return parsed;
  const document = parsed.event as EcsObject;
  if (document['@timestamp'] === undefined) {
    document['@timestamp'] = options.now.toISOString();
    document.tags = [...(Array.isArray(document.tags) ? (document.tags as string[]) : []), timeFromReferenceTag];
  }
  return parsed;
}

/** A web server's own file line: access log, else Apache or nginx error log. */
function parseWebServerLine(line: string, server: 'apache' | 'nginx', timeZone: string): EventParseResult {
  const access = parseAccessLogLine(line, { server });
  if (access.ok) return access;
  const apacheError = parseApacheErrorLogLine(line, { timeZone });
  if (apacheError.ok) return apacheError;
  return parseNginxErrorLogLine(line, { timeZone });
}

/** A `<PRI>` or a BSD timestamp at the start: no web server's own line begins so. */
function hasSyslogHeader(line: string): boolean {
  return line.charCodeAt(0) === 0x3c /* < */ || yearlessTimeAtLineStart(line) !== undefined;
}

/**
 * A syslog line from a sender declared to send web-server logs: when its tag did not name the
 * web server (rsyslog's imfile, Vector and logger tag lines as configured), its message is read
 * as the server's own line, the syslog header kept beside it. Any other line stays as it is.
 */
function asWebServerMessage(parsed: EventParseResult & { ok: true }, line: string, server: 'apache' | 'nginx', timeZone: string): EventParseResult {
  const document = parsed.event as EcsObject;
  const dataset = (document.event as EcsObject | undefined)?.dataset;
  if (typeof dataset === 'string' && dataset.startsWith(`${server}.`)) return parsed;
  if (typeof document.message !== 'string') return parsed;
  const web = parseWebServerLine(document.message.trimStart(), server, timeZone);
  if (!web.ok) return parsed;
  mergeEcsFields(document, web.event as EcsObject);
  (document.event as EcsObject).original = line;
  return parsed;
}

/**
 * The front door for one raw log line, whatever transport it came by (a syslog frame, an HTTP
 * `text/plain` line, the `message` of a JSON record): with a syslog header (RFC 5424/3164, PRI
 * optional, as a file's line keeps it) it is parsed exactly as `parseSyslogLine` does; without one
 * (Vector or Filebeat reading a web server's file) by the web-server log parsers, then as a bare
 * sshd message, an audit record (auditd's file), or a `host program[pid]: ` line without a
 * timestamp (placed at `now`, tagged `timestamp_from_reference_time`). `format` narrows
 * what is tried. A line nothing recognises is `{ ok: false }`: the caller keeps and counts it.
 */
export function parseLogLine(line: string, options: LogLineOptions): EventParseResult {
  try {
    const parsed = parseInFormat(line, options);
    return parsed.ok && options.dataset !== undefined ? withDefaultDataset(parsed, options.dataset) : parsed;
  } catch (error) {
    // Defence in depth, as in parseSyslogLine: the fuzz test asserts this branch is never reached.
    return parseFailure(`internal parser error: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The dataset `extractProgramMessage` gives a program it does not know. */
const catchAllDataset = 'linux.syslog';

function withDefaultDataset(parsed: EventParseResult & { ok: true }, dataset: string): EventParseResult {
  const document = parsed.event as EcsObject;
  const event = (document.event ??= {}) as EcsObject;
  if (event.dataset === undefined || event.dataset === catchAllDataset) {
    event.dataset = dataset;
    event.module = dataset.split('.')[0];
  }
  return parsed;
}

function parseInFormat(line: string, options: LogLineOptions): EventParseResult {
  const format = options.format ?? 'auto';
  const timeZone = options.timeZone ?? 'UTC';
  const syslog = () => parseSyslogLine(line, { now: options.now, timeZone });
  const undated = () => parseUndatedSyslogLine(line.replace(/[\r\n\0]+$/, ''), options, timeZone);
  switch (format) {
    case 'syslog': {
      const parsed = syslog();
      return parsed.ok ? parsed : (undated() ?? parsed);
    }
    case 'sshd': {
      const parsed = syslog();
      return parsed.ok ? parsed : (undated() ?? parseBareSshdMessage(line.trimEnd(), timeZone));
    }
    case 'apache-access':
    case 'nginx-access': {
      const server = format === 'apache-access' ? 'apache' : 'nginx';
      // A line with a syslog header is read as syslog first, so that its header lands in
      // log.syslog and host (the access-log reader refuses such a line on its own).
      const wrapped = hasSyslogHeader(line) ? syslog() : undefined;
      if (wrapped?.ok) return asWebServerMessage(wrapped, line, server, timeZone);
      const web = parseWebServerLine(line, server, timeZone);
      if (web.ok) return web;
      const parsed = wrapped ?? syslog();
      return parsed.ok ? asWebServerMessage(parsed, line, server, timeZone) : parseFailure(`not a ${server} log line: ${web.reason}`);
    }
    case 'auto': {
      const parsed = syslog();
      if (parsed.ok) return parsed;
      const web = parseWebServerLine(line, 'apache', timeZone);
      if (web.ok) return web;
      // A bare sshd message (`sshd[1]: Failed password ...`, or without the tag): only when the
      // sshd extractor knows the message, so that any other text is not called sshd's.
      const bare = line.trimEnd();
      const tag = sshdTagPattern.exec(bare);
      if (extractSshdMessage(tag === null ? bare : bare.slice(tag[0].length)) !== undefined) return parseBareSshdMessage(bare, timeZone);
      const audit = parseAuditRecordLine(bare);
      if (audit !== undefined) return audit;
      const header = undated();
      if (header !== undefined) return header;
      return parseFailure(`no parser recognised the line (syslog: ${parsed.reason})`);
    }
  }
}
