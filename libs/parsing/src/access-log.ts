import { digitsAt, monthAt, wallTimeAsUtcMs, isValidWallTime, formatUtcTimestamp } from './calendar';
import type { EcsObject } from './ecs-fields';
import { describeEndpoint, isHostname, normaliseIp } from './network-address';
import { eventResult, isParseFailure, parseFailure, type EventParseResult, type ParseFailure } from './parse-result';
import { urlFieldsFromTarget } from './url-fields';

export type WebServer = 'apache' | 'nginx';

export interface AccessLogOptions {
  /** Which server wrote the line; sets `event.module` (default `apache`). */
  server?: WebServer;
}

/** `17/May/2015:10:05:03 +0000` → ISO, or undefined. */
function parseAccessLogTime(text: string): string | undefined {
  const day = digitsAt(text, 0, 2);
  const month = monthAt(text, 3);
  const year = digitsAt(text, 7, 4);
  const hour = digitsAt(text, 12, 2);
  const minute = digitsAt(text, 15, 2);
  const second = digitsAt(text, 18, 2);
  if (text.length !== 26 || text[2] !== '/' || text[6] !== '/' || text[11] !== ':' || text[14] !== ':' || text[17] !== ':') return undefined;
  if (day < 0 || month === 0 || year < 0 || hour < 0 || minute < 0 || second < 0 || text[20] !== ' ') return undefined;
  const sign = text[21];
  const offsetHours = digitsAt(text, 22, 2);
  const offsetMinutes = digitsAt(text, 24, 2);
  if ((sign !== '+' && sign !== '-') || offsetHours < 0 || offsetMinutes < 0 || offsetMinutes > 59) return undefined;
  const wall = { year, month, day, hour, minute, second };
  if (!isValidWallTime(wall)) return undefined;
  const offset = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  return formatUtcTimestamp(wallTimeAsUtcMs(wall) - offset * 60_000);
}

/**
 * Reads a `"..."` field starting at `position`; `\"` and `\\` are unescaped. A truncated line may
 * leave the last field unterminated: with `toEndOfLine` it then runs to the end of the line.
 */
function readQuoted(line: string, position: number, toEndOfLine = false): { value: string; end: number } | undefined {
  if (line[position] !== '"') return undefined;
  let value = '';
  let chunkStart = position + 1;
  for (let cursor = position + 1; cursor < line.length; cursor++) {
    const code = line.charCodeAt(cursor);
    if (code === 0x5c /* \ */) {
      const next = line[cursor + 1];
      if (next === '"' || next === '\\') {
        value += line.slice(chunkStart, cursor) + next;
        chunkStart = cursor + 2;
      }
      cursor++;
    } else if (code === 0x22 /* " */) {
      return { value: value + line.slice(chunkStart, cursor), end: cursor + 1 };
    }
  }
  return toEndOfLine ? { value: value + line.slice(chunkStart), end: line.length } : undefined;
}

function readToken(line: string, position: number): { value: string; end: number } {
  const space = line.indexOf(' ', position);
  const end = space === -1 ? line.length : space;
  return { value: line.slice(position, end), end };
}

/** `%v` or `%v:%p` of Apache's vhost_combined format: a host name, optionally with a port. */
function isVirtualHost(token: string): boolean {
  const colon = token.lastIndexOf(':');
  const host = colon === -1 ? token : token.slice(0, colon);
  return isHostname(host) && (colon === -1 || /^\d{1,5}$/.test(token.slice(colon + 1)));
}

const methodPattern = /^[A-Za-z_-]{1,24}$/;

/** `GET /path?q HTTP/1.1` → method, target, version; garbage requests stay unparsed. */
function requestFields(request: string, document: EcsObject, http: EcsObject): void {
  const parts = request.split(' ');
  if (parts.length < 2 || !methodPattern.test(parts[0])) return;
  let target: string;
  const last = parts[parts.length - 1];
  if (parts.length >= 3 && last.startsWith('HTTP/')) {
    target = parts.slice(1, -1).join(' ');
    http.version = last.slice(5);
  } else if (parts.length === 2) {
    target = parts[1];
  } else {
    return;
  }
  (http.request as EcsObject).method = parts[0].toUpperCase();
  if (target.length > 0) document.url = urlFieldsFromTarget(target);
}

/**
 * Fields of an access-log line in the common or combined format (Apache `%h %l %u %t "%r" %>s
 * %b "%{Referer}i" "%{User-agent}i"`, nginx `combined`), with an optional leading virtual host
 * and trailing extra fields (nginx `$http_x_forwarded_for`).
 */
export function extractAccessLogFields(line: string): EcsObject | ParseFailure {
  const bracket = line.indexOf(' [');
  if (bracket === -1) return parseFailure("access log line has no ' [time]' field");
  let head = line.slice(0, bracket).split(' ');
  if (head.length < 3 || head.includes('')) return parseFailure('access log line must start with client, ident and user');
  let virtualHost: string | undefined;
  if (head.length === 4 && isVirtualHost(head[0]) && normaliseIp(head[1]) !== undefined) {
    virtualHost = head[0];
    head = head.slice(1);
  }
  // `%h %l %u`: one token each. A user name with spaces, or a syslog header in front
  // (`<14>Jun 15 07:58:00 host tag: 1.2.3.4 - -`), is not an access-log line.
  if (head.length !== 3) return parseFailure(`access log line must start with client, ident and user (one word each), found ${head.length} words`);
  const client = head[0];
  if (normaliseIp(client) === undefined && !isHostname(client)) {
    return parseFailure(`access log client '${client.slice(0, 40)}' is not an IP address or host name`);
  }
  const userName = head[2];
  const close = line.indexOf(']', bracket + 2);
  if (close === -1) return parseFailure("access log time is not closed by ']'");
  const timeText = line.slice(bracket + 2, close);
  const timestamp = parseAccessLogTime(timeText);
  if (timestamp === undefined) return parseFailure(`access log time '${timeText.slice(0, 40)}' is not dd/Mon/yyyy:hh:mm:ss ±hhmm`);
  if (line[close + 1] !== ' ') return parseFailure('access log line ends after the time');
  const request = readQuoted(line, close + 2);
  if (request === undefined) return parseFailure('access log request is not a quoted string');
  const status = readToken(line, request.end + 1);
  if (line[request.end] !== ' ' || !/^\d{3}$/.test(status.value)) {
    return parseFailure(`access log status '${status.value.slice(0, 20)}' is not a 3-digit number`);
  }
  const bytes = readToken(line, status.end + 1);
  if (line[status.end] !== ' ' || !/^(?:\d{1,15}|-)$/.test(bytes.value)) {
    return parseFailure(`access log size '${bytes.value.slice(0, 20)}' is not a number or '-'`);
  }
  const referrer = line[bytes.end] === ' ' ? readQuoted(line, bytes.end + 1, true) : undefined;
  const userAgent = referrer !== undefined && line[referrer.end] === ' ' ? readQuoted(line, referrer.end + 1, true) : undefined;

  const statusCode = Number(status.value);
  const response: EcsObject = { status_code: statusCode };
  if (bytes.value !== '-') response.body = { bytes: Number(bytes.value) };
  const http: EcsObject = { request: {}, response };
  const document: EcsObject = {
    '@timestamp': timestamp,
    source: describeEndpoint(client),
  };
  requestFields(request.value, document, http);
  if (referrer !== undefined && referrer.value !== '-' && referrer.value.length > 0) {
    (http.request as EcsObject).referrer = referrer.value;
  }
  if (Object.keys(http.request as EcsObject).length === 0) delete http.request;
  document.http = http;
  if (userAgent !== undefined && userAgent.value !== '-' && userAgent.value.length > 0) {
    document.user_agent = { original: userAgent.value };
  }
  if (userName !== '-') document.user = { name: userName };
  if (virtualHost !== undefined) {
    const domain = virtualHost.split(':')[0];
    document.destination = { domain, address: virtualHost };
    if (document.url !== undefined && (document.url as EcsObject).domain === undefined) (document.url as EcsObject).domain = domain;
  }
  document.event = {
    category: ['web'],
    type: ['access'],
    outcome: statusCode >= 400 ? 'failure' : 'success',
  };
  return document;
}

/** Parses one raw access-log line (not wrapped in syslog). */
export function parseAccessLogLine(line: string, options: AccessLogOptions = {}): EventParseResult {
  const text = line.replace(/[\r\n]+$/, '');
  const fields = extractAccessLogFields(text);
  if (isParseFailure(fields)) return fields;
  const server = options.server ?? 'apache';
  const event = fields.event as EcsObject;
  event.module = server;
  event.dataset = `${server}.access`;
  event.original = text;
  fields.message = text;
  return eventResult(fields);
}
