import { assignField } from './ecs-fields';
import { parseFailure, type ParseFailure } from './parse-result';
import { parseRfc3339At } from './rfc3339-timestamp';
import { addStructuredDataParam, type StructuredData, type SyslogMessage } from './syslog-message';
import { parsePri } from './syslog-priority';

export type SyslogParseResult = { readonly ok: true; readonly message: SyslogMessage } | ParseFailure;

const nilValue = '-';
const byteOrderMark = '\uFEFF';

/** RFC 5424 §6: HEADER = PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID. */
const headerFields = [
  { name: 'HOSTNAME', maxLength: 255 },
  { name: 'APP-NAME', maxLength: 48 },
  { name: 'PROCID', maxLength: 128 },
  { name: 'MSGID', maxLength: 32 },
] as const;

const sdNameMaxLength = 32;

/** True when the line starts `<PRI>VERSION SP`, i.e. it claims to be RFC 5424. */
export function looksLikeRfc5424(line: string): boolean {
  const close = line.indexOf('>');
  if (line.charCodeAt(0) !== 0x3c || close < 2 || close > 4) return false;
  let cursor = close + 1;
  const first = line.charCodeAt(cursor);
  if (first < 0x31 || first > 0x39) return false;
  while (cursor < line.length && cursor - close <= 3 && line.charCodeAt(cursor) >= 0x30 && line.charCodeAt(cursor) <= 0x39) cursor++;
  return line.charCodeAt(cursor) === 0x20;
}

/**
 * Reads one header field (PRINTUSASCII, bounded length, or NILVALUE) ending with SP. Any space
 * inside a field shifts every later field, so strictness here is what catches mangled headers.
 */
function readHeaderField(line: string, position: number, name: string, maxLength: number): { value: string | undefined; end: number } | ParseFailure {
  const space = line.indexOf(' ', position);
  if (space === -1) return parseFailure(`message ends inside the ${name} field`);
  if (space === position) return parseFailure(`${name} is empty (two consecutive spaces at offset ${position})`);
  if (space - position > maxLength) return parseFailure(`${name} is longer than ${maxLength} characters`);
  for (let index = position; index < space; index++) {
    const code = line.charCodeAt(index);
    if (code < 33 || code > 126) {
      return parseFailure(`${name} contains a character outside printable US-ASCII at offset ${index}`);
    }
  }
  const value = line.slice(position, space);
  return { value: value === nilValue ? undefined : value, end: space + 1 };
}

function isSdNameCode(code: number): boolean {
  // PRINTUSASCII except '=', SP, ']' and '"'.
  return code >= 33 && code <= 126 && code !== 0x3d && code !== 0x5d && code !== 0x22;
}

function readSdName(line: string, position: number, what: string): { name: string; end: number } | ParseFailure {
  let cursor = position;
  while (cursor < line.length && isSdNameCode(line.charCodeAt(cursor))) cursor++;
  if (cursor === position) return parseFailure(`${what} is empty at offset ${position}`);
  if (cursor - position > sdNameMaxLength) return parseFailure(`${what} is longer than ${sdNameMaxLength} characters`);
  return { name: line.slice(position, cursor), end: cursor };
}

/** Reads a quoted PARAM-VALUE; `\"`, `\\` and `\]` are unescaped, other backslashes kept. */
function readParamValue(line: string, position: number): { value: string; end: number } | ParseFailure {
  let cursor = position;
  let chunkStart = position;
  let value = '';
  while (cursor < line.length) {
    const code = line.charCodeAt(cursor);
    if (code === 0x5c /* \ */) {
      const next = line.charCodeAt(cursor + 1);
      if (next === 0x22 || next === 0x5c || next === 0x5d) {
        value += line.slice(chunkStart, cursor);
        chunkStart = cursor + 1;
        cursor += 2;
        continue;
      }
    } else if (code === 0x22 /* " */) {
      return { value: value + line.slice(chunkStart, cursor), end: cursor + 1 };
    }
    cursor++;
  }
  return parseFailure(`unterminated PARAM-VALUE starting at offset ${position - 1}`);
}

/** STRUCTURED-DATA = NILVALUE / 1*SD-ELEMENT. */
export function parseStructuredData(line: string, position: number): { data: StructuredData | undefined; end: number } | ParseFailure {
  if (line[position] === nilValue) return { data: undefined, end: position + 1 };
  if (line[position] !== '[') {
    return parseFailure(`STRUCTURED-DATA must be '-' or start with '[' (found '${line.slice(position, position + 20)}')`);
  }
  const data: StructuredData = {};
  let cursor = position;
  while (line[cursor] === '[') {
    const id = readSdName(line, cursor + 1, 'SD-ID');
    if ('ok' in id) return id;
    const element = Object.prototype.hasOwnProperty.call(data, id.name) ? data[id.name] : {};
    assignField(data, id.name, element);
    cursor = id.end;
    while (line[cursor] === ' ') {
      const name = readSdName(line, cursor + 1, 'PARAM-NAME');
      if ('ok' in name) return name;
      cursor = name.end;
      if (line[cursor] !== '=') return parseFailure(`expected '=' after PARAM-NAME '${name.name}'`);
      cursor++;
      // Lenient: rsyslog accepts `name= "value"` (seen in the RFC's own wrapped example).
      while (line[cursor] === ' ') cursor++;
      if (line[cursor] !== '"') return parseFailure(`expected '"' to open the value of PARAM-NAME '${name.name}'`);
      const value = readParamValue(line, cursor + 1);
      if ('ok' in value) return value;
      addStructuredDataParam(element, name.name, value.value);
      cursor = value.end;
    }
    if (line[cursor] !== ']') {
      return parseFailure(`expected ']' or SP in SD-ELEMENT '${id.name}' at offset ${cursor}`);
    }
    cursor++;
  }
  return { data, end: cursor };
}

/** Parses one RFC 5424 message (without framing or trailing newline). */
export function parseRfc5424(line: string): SyslogParseResult {
  const pri = parsePri(line);
  if (pri === undefined) return parseFailure("RFC 5424 message must start with '<PRI>'");
  if ('ok' in pri) return pri;
  let cursor = pri.end;
  const versionStart = cursor;
  while (cursor < line.length && cursor - versionStart < 3 && line.charCodeAt(cursor) >= 0x30 && line.charCodeAt(cursor) <= 0x39) cursor++;
  if (cursor === versionStart || line[cursor] !== ' ') return parseFailure('RFC 5424 VERSION must be 1 to 3 digits followed by SP');
  const version = Number(line.slice(versionStart, cursor));
  if (version !== 1) return parseFailure(`unsupported syslog VERSION ${version}`);
  cursor++;

  const message: SyslogMessage = { format: 'rfc5424', priority: pri.value, priorityAssumed: false, version, message: '' };
  if (line[cursor] === nilValue && line[cursor + 1] === ' ') {
    cursor += 2;
  } else {
    const timestamp = parseRfc3339At(line, cursor, { strict: true, timeZone: 'UTC' });
    if ('ok' in timestamp) return timestamp;
    if (line[timestamp.end] !== ' ') return parseFailure('message ends after TIMESTAMP');
    message.timestamp = timestamp.iso;
    cursor = timestamp.end + 1;
  }

  const values: (string | undefined)[] = [];
  for (const field of headerFields) {
    const read = readHeaderField(line, cursor, field.name, field.maxLength);
    if ('ok' in read) return read;
    values.push(read.value);
    cursor = read.end;
  }
  [message.hostname, message.appName, message.procId, message.msgId] = values;

  const structuredData = parseStructuredData(line, cursor);
  if ('ok' in structuredData) return structuredData;
  if (structuredData.data !== undefined) message.structuredData = structuredData.data;
  cursor = structuredData.end;
  if (cursor < line.length) {
    if (line[cursor] !== ' ') return parseFailure(`expected SP after STRUCTURED-DATA at offset ${cursor}`);
    let text = line.slice(cursor + 1);
    if (text.startsWith(byteOrderMark)) text = text.slice(1);
    message.message = text;
  }
  return { ok: true, message };
}
