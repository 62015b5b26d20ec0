import { isDigitCode } from './calendar';
import { parseBsdTimestampAt } from './bsd-timestamp';
import { parseFailure } from './parse-result';
import { parseRfc3339At } from './rfc3339-timestamp';
import type { SyslogParseResult } from './rfc5424';
import type { SyslogMessage } from './syslog-message';
import { defaultPriority, parsePri } from './syslog-priority';

export interface Rfc3164Options {
  /** Reference time for year-less timestamps. */
  now: Date;
  /** IANA zone of timestamps that carry no offset. */
  timeZone: string;
}

const cefPrefix = 'CEF:';
const maxPidLength = 32;

/** `123: ` (Cisco `service sequence-numbers`) right after PRI; returns the number and the next index. */
function readSequenceNumber(line: string, position: number): { sequence: number; end: number } | undefined {
  let cursor = position;
  while (cursor < line.length && cursor - position < 10 && isDigitCode(line.charCodeAt(cursor))) cursor++;
  if (cursor === position || line[cursor] !== ':' || line[cursor + 1] !== ' ') return undefined;
  return { sequence: Number(line.slice(position, cursor)), end: cursor + 2 };
}

function isIsoDateStart(line: string, position: number): boolean {
  return isDigitCode(line.charCodeAt(position)) && isDigitCode(line.charCodeAt(position + 3)) && line[position + 4] === '-';
}

/** A first header token that is really the TAG: the HOSTNAME was left out. */
function isTagToken(token: string): boolean {
  return token.endsWith(':') || token.includes('[') || token.startsWith(cefPrefix);
}

/**
 * Reads `TAG[pid]:` (or `[TAG]:`, `TAG:`, `TAG`) and returns the rest as the message. Any first
 * word counts as the tag, as in rsyslog; a colon directly followed by `CEF:` ends the tag
 * (`ASM:CEF:0|...`).
 */
function readTag(line: string, position: number, message: SyslogMessage): void {
  if (line.startsWith(cefPrefix, position)) {
    message.message = line.slice(position);
    return;
  }
  let cursor = position;
  if (line[cursor] === '[') {
    // `[sshd]: msg` — the whole tag is bracketed.
    const close = line.indexOf(']', cursor);
    const space = line.indexOf(' ', cursor);
    if (close !== -1 && (space === -1 || close < space)) {
      message.appName = line.slice(cursor + 1, close);
      cursor = close + 1;
      if (line[cursor] === ':') cursor++;
      if (line[cursor] === ' ') cursor++;
      message.message = line.slice(cursor);
      return;
    }
  }
  while (cursor < line.length) {
    const code = line.charCodeAt(cursor);
    if (code === 0x20 || code === 0x3a /* : */ || code === 0x5b /* [ */) break;
    cursor++;
  }
  let tagEnd = cursor;
  if (line[cursor] === '[') {
    const close = line.indexOf(']', cursor);
    const pid = close === -1 ? '' : line.slice(cursor + 1, close);
    if (pid.length > 0 && pid.length <= maxPidLength && !pid.includes(' ')) {
      message.procId = pid;
      cursor = close + 1;
    } else {
      // Not a pid: the bracket is part of the tag text.
      while (cursor < line.length && line.charCodeAt(cursor) !== 0x20 && line.charCodeAt(cursor) !== 0x3a) cursor++;
      tagEnd = cursor;
    }
  }
  if (tagEnd > position) message.appName = line.slice(position, tagEnd);
  if (line[cursor] === ':') cursor++;
  if (line[cursor] === ' ') cursor++;
  message.message = line.slice(cursor);
}

/**
 * Parses a BSD syslog line (RFC 3164) with the real-world deviations: missing PRI (user.notice
 * assumed), missing HOSTNAME, ISO-8601 timestamps, year-less timestamps (year from `now`), Cisco
 * sequence numbers. RFC 3164 accepts nearly anything; we refuse only a line that has neither a
 * PRI nor a recognisable timestamp (it is not syslog), a malformed PRI, and a malformed date.
 */
export function parseRfc3164(line: string, options: Rfc3164Options): SyslogParseResult {
  const pri = parsePri(line);
  if (pri !== undefined && 'ok' in pri) return pri;
  const message: SyslogMessage = {
    format: 'rfc3164',
    priority: pri === undefined ? defaultPriority : pri.value,
    priorityAssumed: pri === undefined,
    message: '',
  };
  let cursor = pri === undefined ? 0 : pri.end;
  const sequence = readSequenceNumber(line, cursor);
  if (sequence !== undefined) {
    message.sequence = sequence.sequence;
    cursor = sequence.end;
  }
  while (line[cursor] === ' ') cursor++;

  let timestampFound = false;
  const bsd = parseBsdTimestampAt(line, cursor, options);
  if (bsd !== undefined) {
    if ('ok' in bsd) return bsd;
    message.timestamp = bsd.iso;
    message.assumedTimeZone = options.timeZone;
    cursor = bsd.end;
    timestampFound = true;
  } else if (isIsoDateStart(line, cursor)) {
    const iso = parseRfc3339At(line, cursor, { strict: false, timeZone: options.timeZone });
    if ('ok' in iso) return iso;
    message.timestamp = iso.iso;
    if (iso.zoneAssumed) message.assumedTimeZone = options.timeZone;
    cursor = iso.end;
    timestampFound = true;
  }
  if (!timestampFound && pri === undefined) {
    return parseFailure('not syslog: no PRI and no recognisable timestamp');
  }
  while (line[cursor] === ' ') cursor++;
  if (cursor >= line.length) return { ok: true, message };

  if (timestampFound) {
    const space = line.indexOf(' ', cursor);
    const token = line.slice(cursor, space === -1 ? line.length : space);
    if (!isTagToken(token)) {
      message.hostname = token;
      cursor = space === -1 ? line.length : space + 1;
      while (line[cursor] === ' ') cursor++;
    }
  }
  if (cursor < line.length) readTag(line, cursor, message);
  return { ok: true, message };
}
