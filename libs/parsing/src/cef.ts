import { assignField } from './ecs-fields';
import { parseFailure, type ParseFailure } from './parse-result';

/** One ArcSight CEF record: the seven header fields and the decoded extension. */
export interface CefRecord {
  version: number;
  deviceVendor: string;
  deviceProduct: string;
  deviceVersion: string;
  deviceEventClassId: string;
  name: string;
  severity: string;
  /** Extension key → decoded value. Keys as sent (short or full names); empty values dropped. */
  extensions: Record<string, string>;
}

export type CefParseResult = { readonly ok: true; readonly record: CefRecord } | ParseFailure;

const cefPrefix = 'CEF:';
const headerFieldCount = 7;
const backslash = 0x5c;
const pipe = 0x7c;
const equals = 0x3d;
const space = 0x20;

function isKeyCode(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x5f || // _
    code === 0x2e || // .
    code === 0x2d // -
  );
}

/** Splits the header on unescaped pipes; `\|` and `\\` are unescaped, other backslashes kept. */
function readHeader(text: string): { fields: string[]; extensionStart: number } | ParseFailure {
  const fields: string[] = [];
  let field = '';
  let chunkStart = cefPrefix.length;
  let cursor = chunkStart;
  while (cursor < text.length) {
    const code = text.charCodeAt(cursor);
    if (code === backslash) {
      const next = text.charCodeAt(cursor + 1);
      if (next === pipe || next === backslash) {
        field += text.slice(chunkStart, cursor);
        chunkStart = cursor + 1;
        cursor += 2;
        continue;
      }
    } else if (code === pipe) {
      fields.push(field + text.slice(chunkStart, cursor));
      field = '';
      chunkStart = cursor + 1;
      if (fields.length === headerFieldCount) return { fields, extensionStart: cursor + 1 };
    }
    cursor++;
  }
  return parseFailure(`CEF header has ${fields.length} of ${headerFieldCount} '|'-terminated fields`);
}

/** Extension values: `\\`, `\=`, `\n`, `\r` (and a stray `\|`) are unescaped. */
function unescapeExtensionValue(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let value = '';
  let chunkStart = 0;
  for (let cursor = 0; cursor < raw.length - 1; cursor++) {
    if (raw.charCodeAt(cursor) !== backslash) continue;
    const next = raw[cursor + 1];
    let replacement: string | undefined;
    if (next === '\\' || next === '=' || next === '|') replacement = next;
    else if (next === 'n') replacement = '\n';
    else if (next === 'r') replacement = '\r';
    if (replacement === undefined) continue;
    value += raw.slice(chunkStart, cursor) + replacement;
    chunkStart = cursor + 2;
    cursor++;
  }
  return value + raw.slice(chunkStart);
}

/**
 * Finds `key=` at `position` (a run of key characters followed by an unescaped `=`). Returns the
 * index of the `=` or -1. Scans stop at the first non-key character, so the whole extension is
 * read in linear time.
 */
function keyEndAt(text: string, position: number): number {
  let cursor = position;
  while (cursor < text.length && isKeyCode(text.charCodeAt(cursor))) cursor++;
  return cursor > position && text.charCodeAt(cursor) === equals ? cursor : -1;
}

/**
 * Reads `key=value key=value ...`. A value runs until the next ` key=`, so values may contain
 * spaces and unescaped `=` that is not preceded by ` key` (as real senders produce).
 */
export function parseCefExtension(text: string): Record<string, string> {
  const extensions: Record<string, string> = {};
  let key: string | undefined;
  let valueStart = 0;
  let cursor = 0;
  while (cursor < text.length) {
    if (text.charCodeAt(cursor) === space) {
      cursor++;
      continue;
    }
    const atWordStart = cursor === 0 || text.charCodeAt(cursor - 1) === space;
    if (atWordStart) {
      const keyEnd = keyEndAt(text, cursor);
      if (keyEnd !== -1) {
        if (key !== undefined) storeValue(extensions, key, text.slice(valueStart, cursor));
        key = text.slice(cursor, keyEnd);
        valueStart = keyEnd + 1;
        cursor = valueStart;
        continue;
      }
    }
    const nextSpace = text.indexOf(' ', cursor);
    cursor = nextSpace === -1 ? text.length : nextSpace;
  }
  if (key !== undefined) storeValue(extensions, key, text.slice(valueStart));
  return extensions;
}

function storeValue(extensions: Record<string, string>, key: string, raw: string): void {
  const value = unescapeExtensionValue(raw.trim());
  if (value.length > 0) assignField(extensions, key, value);
  else delete extensions[key];
}

/** Parses `CEF:Version|Vendor|Product|Version|Class ID|Name|Severity|Extension`. */
export function parseCef(text: string): CefParseResult {
  if (!text.startsWith(cefPrefix)) return parseFailure("CEF message must start with 'CEF:'");
  const header = readHeader(text);
  if ('ok' in header) return header;
  const [versionText, deviceVendor, deviceProduct, deviceVersion, deviceEventClassId, name, severity] = header.fields;
  const versionTrimmed = versionText.trim();
  if (!/^\d{1,3}$/.test(versionTrimmed)) return parseFailure(`CEF version '${versionText.slice(0, 20)}' is not a number`);
  return {
    ok: true,
    record: {
      version: Number(versionTrimmed),
      deviceVendor,
      deviceProduct,
      deviceVersion,
      deviceEventClassId,
      name,
      severity: severity.trim(),
      extensions: parseCefExtension(text.slice(header.extensionStart)),
    },
  };
}
