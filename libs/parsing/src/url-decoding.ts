/**
 * Percent-decoding for matching, not for routing: what a web application may end up seeing after its
 * server and framework decoded the request target, so that web-attack rules can look for `../`,
 * `' or 1=1` and `<script` once instead of in every encoding a scanner uses.
 *
 * - `%XX` escapes become bytes and the bytes are read as UTF-8. Overlong UTF-8 forms (`%c0%af`,
 *   `%e0%80%af` for `/`) decode to the character they spell, as old IIS and Tomcat did: that is why
 *   scanners send them. A byte that is not part of UTF-8 reads as its Latin-1 character (`%ff` → ÿ).
 * - `%uXXXX` (IIS's non-standard escape, still sent by scanners) becomes that UTF-16 code unit.
 * - `+` becomes a space in the query (after the first `?`), as form decoding does; in the path it stays.
 * - Invalid escapes (`%zz`, `%4`, a trailing `%`) are kept as written.
 * - Decoding repeats while the text still changes, at most `maxDecodingRounds` times, so a
 *   double-encoded `%252e%252e%252f` reads `../`.
 * - Fullwidth and small-form characters and the dot leaders (`／`, `＜`, `﹨`, `‥`) become the ASCII
 *   they stand for (their Unicode compatibility form, NFKC), as servers and frameworks with
 *   "best-fit" mappings read them. Only these: NFKC of all text would also turn an ellipsis `…`
 *   into `...`.
 */
export const maxDecodingRounds = 3;

/** One and two dot leaders, small form variants, fullwidth ASCII. */
const lookAlikes = /[\u2024\u2025\ufe50-\ufe6b\uff01-\uff5e]/g;

export function decodeUrlForMatching(text: string): string {
  let current = text;
  for (let round = 0; round < maxDecodingRounds; round++) {
    if (!needsDecoding(current)) break;
    const next = decodeOnce(current);
    if (next === current) break;
    current = next;
  }
  return lookAlikes.test(current) ? current.replace(lookAlikes, (character) => character.normalize('NFKC')) : current;
}

function needsDecoding(text: string): boolean {
  if (text.includes('%')) return true;
  const question = text.indexOf('?');
  return question !== -1 && text.indexOf('+', question) !== -1;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** The value of `length` hex digits at `position`, or -1. */
function hexAt(text: string, position: number, length: number): number {
  if (position + length > text.length) return -1;
  let value = 0;
  for (let i = 0; i < length; i++) {
    const digit = hexValue(text.charCodeAt(position + i));
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** One round: escapes to bytes (other characters stay characters), bytes read as lenient UTF-8. */
function decodeOnce(text: string): string {
  let output = '';
  const bytes: number[] = [];
  let inQuery = false;
  const flush = (): void => {
    if (bytes.length > 0) {
      output += readLenientUtf8(bytes);
      bytes.length = 0;
    }
  };
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x25 /* % */) {
      const byte = hexAt(text, i + 1, 2);
      if (byte >= 0) {
        bytes.push(byte);
        i += 2;
        continue;
      }
      if ((text.charCodeAt(i + 1) | 0x20) === 0x75 /* u */) {
        const unit = hexAt(text, i + 2, 4);
        if (unit >= 0) {
          flush();
          output += String.fromCharCode(unit);
          i += 5;
          continue;
        }
      }
    }
    flush();
    if (code === 0x3f /* ? */) inQuery = true;
    output += code === 0x2b /* + */ && inQuery ? ' ' : text[i];
  }
  flush();
  return output;
}

/** UTF-8 that also accepts overlong forms; a byte that starts no valid sequence is Latin-1. */
function readLenientUtf8(bytes: readonly number[]): string {
  let output = '';
  for (let i = 0; i < bytes.length; i++) {
    const lead = bytes[i];
    const length = lead >= 0xc0 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf7 ? 4 : 1;
    let codePoint = length === 2 ? lead & 0x1f : length === 3 ? lead & 0x0f : lead & 0x07;
    let valid = length > 1 && i + length <= bytes.length;
    for (let k = 1; valid && k < length; k++) {
      const continuation = bytes[i + k];
      if ((continuation & 0xc0) !== 0x80) valid = false;
      else codePoint = (codePoint << 6) | (continuation & 0x3f);
    }
    if (valid && codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff)) {
      output += String.fromCodePoint(codePoint);
      i += length - 1;
    } else {
      output += String.fromCharCode(lead);
    }
  }
  return output;
}
