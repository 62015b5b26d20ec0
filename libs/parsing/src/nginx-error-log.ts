import { digitsAt } from './calendar';
import type { WebErrorLogOptions } from './apache-error-log';
import type { EcsObject } from './ecs-fields';
import { describeEndpoint, normaliseIp } from './network-address';
import { eventResult, isParseFailure, parseFailure, type EventParseResult, type ParseFailure } from './parse-result';
import {
  applyWebErrorKind,
  httpAccessDenied,
  httpAuthenticationChallenge,
  httpAuthenticationFailure,
  tlsHandshakeFailure,
  webError,
  type WebErrorKind,
} from './web-error-categorisation';
import { zonedWallTimeToIso } from './zoned-time';

const headerPattern = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}) \[([a-z]+)\] (\d{1,9})#(\d{1,9}): (?:\*(\d+) )?/;

/** Where an nginx error line starts inside a syslog message (journald may repeat `host nginx: `). */
export function findNginxErrorStart(message: string): number {
  // The date's first slash is the first slash of the line: test the regex only there.
  const slash = message.indexOf('/');
  if (slash < 4 || slash > 120) return -1;
  return /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} \[/.test(message.slice(slash - 4, slash + 21)) ? slash - 4 : -1;
}

function categoriseNginxMessage(text: string): WebErrorKind {
  // Greedy: an injected user name may contain `" was not found in "` itself.
  let match = /^user "(.*)":? was not found in "/.exec(text);
  if (match !== null) return httpAuthenticationFailure(match[1]);
  match = /^user "(.*)": password mismatch$/.exec(text);
  if (match !== null) return httpAuthenticationFailure(match[1]);
  match = /^PAM: user '(.*)' - not authenticated: /.exec(text);
  if (match !== null) return httpAuthenticationFailure(match[1]);
  if (/^no user\/password was provided for basic authentication/.test(text)) return httpAuthenticationChallenge;
  // `SSL_do_handshake() failed (SSL: ...) while SSL handshaking`, and the first record after it
  // (`SSL_read() failed (SSL: ...) while waiting for request`): fail2ban's nginx-http-auth fallback.
  if (/^SSL_do_handshake\(\) failed |^SSL_read\(\) failed \(SSL: .*\) while waiting for request$/.test(text)) return tlsHandshakeFailure;
  if (/^access forbidden by rule|^directory index of .* is forbidden|^limiting (?:requests|connections)/.test(text)) {
    return httpAccessDenied();
  }
  return webError;
}

/**
 * nginx appends `, client: <addr>, server: ...` to the message; the user name and request before
 * it are client-controlled and may contain a fake `, client: `, so we take the last one that is
 * followed by a real address and `, server: ` or the end.
 */
function splitClient(text: string): { message: string; client?: string } {
  let search = text.length;
  while (search > 0) {
    const at = text.lastIndexOf(', client: ', search - 1);
    if (at === -1) break;
    const valueStart = at + 10;
    const comma = text.indexOf(',', valueStart);
    const client = text.slice(valueStart, comma === -1 ? text.length : comma);
    if (normaliseIp(client) !== undefined && (comma === -1 || text.startsWith(', server: ', comma))) {
      return { message: text.slice(0, at), client };
    }
    search = at;
  }
  return { message: text };
}

/** Fields of an nginx error-log line: `2015/01/21 10:56:10 [error] 2833#0: *16336 message, client: ...`. */
export function extractNginxErrorFields(line: string, options: WebErrorLogOptions = {}): EcsObject | ParseFailure {
  const header = headerPattern.exec(line);
  if (header === null) return parseFailure("not an nginx error log line: expected 'yyyy/mm/dd hh:mm:ss [level] pid#tid: '");
  const timeZone = options.timeZone ?? 'UTC';
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((index) => digitsAt(header[index], 0, header[index].length));
  const timestamp = zonedWallTimeToIso({ year, month, day, hour, minute, second }, timeZone);
  if (timestamp === undefined) return parseFailure(`nginx error log time '${line.slice(0, 19)}' is out of range`);
  const rest = line.slice(header[0].length);
  const { message, client } = splitClient(rest);
  const event: EcsObject = { module: 'nginx', dataset: 'nginx.error', timezone: timeZone };
  const document: EcsObject = { '@timestamp': timestamp, log: { level: header[7] }, process: { pid: Number(header[8]) } };
  if (client !== undefined) document.source = describeEndpoint(client);
  applyWebErrorKind(document, event, categoriseNginxMessage(message));
  document.event = event;
  document.message = rest;
  return document;
}

/** Parses one raw nginx error-log line (not wrapped in syslog). */
export function parseNginxErrorLogLine(line: string, options: WebErrorLogOptions = {}): EventParseResult {
  const text = line.replace(/[\r\n]+$/, '');
  const fields = extractNginxErrorFields(text, options);
  if (isParseFailure(fields)) return fields;
  (fields.event as EcsObject).original = text;
  return eventResult(fields);
}
