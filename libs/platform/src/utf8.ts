import { isUtf8 } from 'node:buffer';

/**
 * The byte offset where `bytes` stop being well-formed UTF-8 (Unicode table 3-7: no overlong
 * forms, no surrogates, nothing above U+10FFFF, no truncated sequence), or undefined when all
 * of it is. Node's `isUtf8` answers the common case; the scan runs only to name the offset.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number | undefined {
  if (isUtf8(bytes)) return undefined;
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return undefined;
}

/** The length of the well-formed sequence starting at `i`, or 0 if none starts there. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  if (b0 <= 0x7f) return 1;
  const continuation = (offset: number, low = 0x80, high = 0xbf): boolean => {
    const b = bytes[i + offset];
    return b !== undefined && b >= low && b <= high;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return continuation(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    // E0 must not start an overlong form; ED must not encode a surrogate.
    const [low, high] = b0 === 0xe0 ? [0xa0, 0xbf] : b0 === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return continuation(1, low, high) && continuation(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    // F0 must not start an overlong form; F4 must stay at or below U+10FFFF.
    const [low, high] = b0 === 0xf0 ? [0x90, 0xbf] : b0 === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return continuation(1, low, high) && continuation(2) && continuation(3) ? 4 : 0;
  }
  return 0;
}

const byteOrderMark = [0xef, 0xbb, 0xbf];

/**
 * The text of a UTF-8 body: a leading byte-order mark is dropped (RFC 8259 §8.1 lets a parser
 * ignore it), anything that is not UTF-8 is refused with the offset of the first bad byte, so
 * nothing is silently replaced by U+FFFD.
 */
export function decodeUtf8Body(bytes: Buffer): { ok: true; text: string } | { ok: false; offset: number } {
  const offset = invalidUtf8Offset(bytes);
  if (offset !== undefined) return { ok: false, offset };
  const bom = byteOrderMark.every((b, i) => bytes[i] === b);
  return { ok: true, text: bytes.toString('utf8', bom ? byteOrderMark.length : 0) };
}
