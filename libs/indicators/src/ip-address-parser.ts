/**
 * Allocation-free IP address parsing for the lookup hot path. ipaddr.js builds objects and runs
 * regular expressions per call; here an address becomes big-endian 32-bit words written into a
 * caller-owned buffer (one word for IPv4, four for IPv6).
 *
 * It accepts what normaliseIp accepts (strict dotted decimal, any valid IPv6 text form with an
 * optional zone id) and nothing more, so a value that normalises also parses here; the spec
 * cross-checks this against ipaddr.js.
 */

export const NOT_AN_IP = 0;
export type IpFamily = 0 | 4 | 6;

const groups = new Uint16Array(8); // scratch: JS runs one parse at a time per isolate

/**
 * Parses `text[start, end)` as an IP address into `words`. IPv4-mapped IPv6 comes back as
 * family 4 so both spellings of an IPv4 peer hit the same entries.
 */
export function parseIpAddress(text: string, words: Uint32Array, start = 0, end = text.length): IpFamily {
  // IPv4 first: it is the common case, and an IPv6 text fails within its first few characters.
  const value = parseIpv4(text, start, end);
  if (value >= 0) {
    words[0] = value;
    return 4;
  }
  if (!parseIpv6(text, start, end, words)) return NOT_AN_IP;
  if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff) {
    words[0] = words[3]!;
    return 4;
  }
  return 6;
}

/** Dotted decimal `a.b.c.d` as an unsigned 32-bit number, or -1. Leading zeros are refused. */
export function parseIpv4(text: string, start: number, end: number): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      if (digits > 0 && octet === 0) return -1;
      octet = octet * 10 + (code - 48);
      if (octet > 255) return -1;
      digits++;
    } else if (code === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      dots++;
      octet = 0;
      digits = 0;
    } else {
      return -1;
    }
  }
  if (digits === 0 || dots !== 3) return -1;
  return value * 256 + octet;
}

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

function parseIpv6(text: string, start: number, end: number, words: Uint32Array): boolean {
  const zone = text.indexOf('%', start);
  if (zone >= 0 && zone < end) {
    if (zone === end - 1) return false;
    end = zone;
  }
  let count = 0;
  let gapAt = -1;
  let i = start;
  if (text.charCodeAt(i) === 58) {
    if (text.charCodeAt(i + 1) !== 58) return false;
    gapAt = 0;
    i += 2;
  }
  while (i < end) {
    let value = 0;
    let digits = 0;
    let j = i;
    for (; j < end; j++) {
      const digit = hexDigit(text.charCodeAt(j));
      if (digit < 0) break;
      if (++digits > 4) return false;
      value = value * 16 + digit;
    }
    if (j < end && text.charCodeAt(j) === 46) {
      // Embedded IPv4 fills the last 32 bits and must end the address.
      if (count > 6) return false;
      const v4 = parseIpv4(text, i, end);
      if (v4 < 0) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      break;
    }
    if (digits === 0 || count === 8) return false;
    groups[count++] = value;
    if (j === end) break;
    if (text.charCodeAt(j) !== 58) return false;
    if (text.charCodeAt(j + 1) === 58 && j + 1 < end) {
      if (gapAt >= 0) return false;
      gapAt = count;
      i = j + 2;
    } else {
      i = j + 1;
      if (i === end) return false;
    }
  }
  if (gapAt < 0) {
    if (count !== 8) return false;
  } else {
    if (count > 7) return false;
    // Slide the groups after `::` to the end and zero the gap.
    const tail = count - gapAt;
    for (let k = 0; k < tail; k++) groups[7 - k] = groups[count - 1 - k]!;
    for (let k = gapAt; k < 8 - tail; k++) groups[k] = 0;
  }
  for (let w = 0; w < 4; w++) words[w] = ((groups[2 * w]! << 16) | groups[2 * w + 1]!) >>> 0;
  return true;
}

/**
 * Parses a canonical CIDR `address/length` (or a bare address as a full-length prefix) into
 * `words` and returns `family * 256 + length`, or 0 when it does not parse. Used when indexing,
 * not on the lookup path.
 */
export function parseIpPrefix(text: string, words: Uint32Array): number {
  const slash = text.indexOf('/');
  const family = parseIpAddress(text, words, 0, slash < 0 ? text.length : slash);
  if (family === NOT_AN_IP) return 0;
  const maxLength = family === 4 ? 32 : 128;
  if (slash < 0) return family * 256 + maxLength;
  const lengthText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lengthText)) return 0;
  let length = Number(lengthText);
  // A mapped IPv6 prefix folds into IPv4 with the first 96 bits removed.
  if (family === 4 && text.lastIndexOf(':', slash) >= 0) length -= 96;
  if (length < 0 || length > maxLength) return 0;
  return family * 256 + length;
}
