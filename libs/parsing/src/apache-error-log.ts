import { digitsAt, isDigitCode, monthAt } from './calendar';
import type { EcsObject } from './ecs-fields';
import { describeEndpoint, parsePort } from './network-address';
import { eventResult, isParseFailure, parseFailure, type EventParseResult, type ParseFailure } from './parse-result';
import { applyWebErrorKind, httpAccessDenied, httpAuthenticationFailure, webError, type WebErrorKind } from './web-error-categorisation';
import { zonedWallTimeToIso } from './zoned-time';

export interface WebErrorLogOptions {
  /** Zone of the log's local timestamps (default UTC). */
  timeZone?: string;
}

const levels = new Set(['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug']);

/** `Sat Jul 20 21:34:49.453232 2013` → ISO in `timeZone`, or undefined. */
function parseApacheTime(text: string, timeZone: string): string | undefined {
  const month = monthAt(text, 4);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (month === 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  let cursor = 19;
  let fraction: string | undefined;
  if (text[cursor] === '.') {
    const start = cursor + 1;
    cursor = start;
    while (cursor < text.length && isDigitCode(text.charCodeAt(cursor))) cursor++;
    fraction = text.slice(start, cursor);
  }
  const year = digitsAt(text, cursor + 1, 4);
  if (text[cursor] !== ' ' || year < 0 || cursor + 5 !== text.length) return undefined;
  return zonedWallTimeToIso({ year, month, day, hour, minute, second }, timeZone, fraction);
}

/** `client 1.2.3.4:5678`, `client [2001:db8::1]:5678`, `client 2001:db8::1` (no port). */
function readClient(line: string, position: number): { host: string; port?: number; end: number } | undefined {
  if (line[position] === '[') {
    const close = line.indexOf(']', position);
    if (close === -1) return undefined;
    const host = line.slice(position + 1, close);
    let cursor = close + 1;
    let port: number | undefined;
    if (line[cursor] === ':') {
      const end = line.indexOf(']', cursor);
      if (end === -1) return undefined;
      port = parsePort(line.slice(cursor + 1, end));
      cursor = end;
    }
    return line[cursor] === ']' ? { host, port, end: cursor + 1 } : undefined;
  }
  const close = line.indexOf(']', position);
  if (close === -1) return undefined;
  const address = line.slice(position, close);
  const colon = address.indexOf(':');
  if (colon !== -1 && colon === address.lastIndexOf(':')) {
    return { host: address.slice(0, colon), port: parsePort(address.slice(colon + 1)), end: close + 1 };
  }
  return { host: address, end: close + 1 };
}

const errorCodePattern = /^(AH\d{5}): /;

/** What an Apache error message (after its `AHnnnnn:` code) says happened. */
function categoriseApacheMessage(text: string): WebErrorKind {
  let match = /^user (.*?) not found(?::|$)/.exec(text);
  if (match !== null) return httpAuthenticationFailure(match[1]);
  match = /^(?:Digest: )?user (.*?): (?:authentication failure for "|password mismatch)/.exec(text);
  if (match !== null) return httpAuthenticationFailure(match[1]);
  match = /^(?:Digest: )?user `(.*?)' in realm `/.exec(text);
  if (match !== null) return httpAuthenticationFailure(match[1]);
  if (text.startsWith('client used wrong authentication scheme')) return httpAuthenticationFailure(undefined);
  match = /^Authorization of user (\S+) to access /.exec(text);
  if (match !== null) return httpAccessDenied(match[1]);
  match = /^user (.*?): authorization failure for "/.exec(text);
  if (match !== null) return httpAccessDenied(match[1]);
  if (text.startsWith('client denied by server configuration')) return httpAccessDenied();
  return webError;
}

/**
 * Fields of an Apache error-log line: `[time] [module:level] [pid N:tid M] [client ip:port]
 * message` (2.4) or `[time] [level] [client ip] message` (2.2). The time is absent when Apache
 * logs to syslog (`ErrorLog syslog`).
 */
export function extractApacheErrorFields(line: string, options: WebErrorLogOptions = {}): EcsObject | ParseFailure {
  const timeZone = options.timeZone ?? 'UTC';
  const document: EcsObject = {};
  const event: EcsObject = { module: 'apache', dataset: 'apache.error' };
  const log: EcsObject = {};
  let cursor = 0;
  let groups = 0;
  while (line[cursor] === '[') {
    if (line.startsWith('[client ', cursor) || line.startsWith('[remote ', cursor)) {
      const client = readClient(line, cursor + 8);
      if (client === undefined) return parseFailure("Apache error log client field is not closed by ']'");
      document.source = describeEndpoint(client.host, client.port);
      cursor = client.end;
    } else {
      const close = line.indexOf(']', cursor);
      if (close === -1) return parseFailure("Apache error log field is not closed by ']'");
      const content = line.slice(cursor + 1, close);
      const colon = content.lastIndexOf(':');
      const level = colon === -1 ? content : content.slice(colon + 1);
      if (groups === 0 && document['@timestamp'] === undefined && monthAt(content, 4) !== 0) {
        const timestamp = parseApacheTime(content, timeZone);
        if (timestamp === undefined) return parseFailure(`Apache error log time '${content.slice(0, 40)}' is not 'Www Mmm dd hh:mm:ss[.us] yyyy'`);
        document['@timestamp'] = timestamp;
        event.timezone = timeZone;
      } else if (content.startsWith('pid ')) {
        const pid = /^pid (\d{1,9})/.exec(content);
        if (pid !== null) document.process = { pid: Number(pid[1]) };
      } else if (levels.has(level) || /^trace[1-8]$/.test(level)) {
        log.level = level;
        if (colon > 0) log.logger = content.slice(0, colon);
      }
      cursor = close + 1;
    }
    groups++;
    if (line[cursor] === ' ') cursor++;
  }
  if (groups === 0 || log.level === undefined) return parseFailure('not an Apache error log line: expected [level] after [time]');
  const message = line.slice(cursor);
  const code = errorCodePattern.exec(message);
  if (code !== null) document.error = { code: code[1] };
  applyWebErrorKind(document, event, categoriseApacheMessage(code === null ? message : message.slice(code[0].length)));
  document.event = event;
  document.log = log;
  if (message.length > 0) document.message = message;
  return document;
}

/** Parses one raw Apache error-log line (not wrapped in syslog). */
export function parseApacheErrorLogLine(line: string, options: WebErrorLogOptions = {}): EventParseResult {
  const text = line.replace(/[\r\n]+$/, '');
  const fields = extractApacheErrorFields(text, options);
  if (isParseFailure(fields)) return fields;
  (fields.event as EcsObject).original = text;
  return eventResult(fields);
}
