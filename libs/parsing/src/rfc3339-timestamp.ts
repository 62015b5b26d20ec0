import { digitsAt, formatUtcTimestamp, isDigitCode, isValidWallTime, wallTimeAsUtcMs, type WallTime } from './calendar';
import { parseFailure, type ParseFailure } from './parse-result';
import { zonedWallTimeToUtcMs } from './zoned-time';

export interface TimestampAt {
  /** UTC ISO-8601 rendering, fraction kept digit for digit. */
  iso: string;
  /** Index just after the timestamp. */
  end: number;
  /** True when the text had no offset and `timeZone` was assumed. */
  zoneAssumed: boolean;
}

export interface Rfc3339Options {
  /** RFC 5424: offset mandatory, `T`/`Z` upper case, `±hh:mm` only. Otherwise lenient. */
  strict: boolean;
  /** Zone for timestamps without an offset (lenient mode only). */
  timeZone: string;
  /** Also accept a space between date and time (Windows `2020-10-22 08:29:52`; lenient mode only). */
  spaceSeparator?: boolean;
}

const maxFractionDigits = 9;

function tokenAt(text: string, position: number): string {
  const space = text.indexOf(' ', position);
  return text.slice(position, space === -1 ? Math.min(text.length, position + 40) : Math.min(space, position + 40));
}

/** Parses `YYYY-MM-DDThh:mm:ss[.frac](Z|±hh:mm)` at `position`. */
export function parseRfc3339At(text: string, position: number, options: Rfc3339Options): TimestampAt | ParseFailure {
  const invalid = (what: string): ParseFailure => parseFailure(`invalid RFC 3339 timestamp '${tokenAt(text, position)}': ${what}`);
  const year = digitsAt(text, position, 4);
  const month = digitsAt(text, position + 5, 2);
  const day = digitsAt(text, position + 8, 2);
  if (year < 0 || text[position + 4] !== '-' || month < 0 || text[position + 7] !== '-' || day < 0) {
    return invalid('expected YYYY-MM-DD');
  }
  const separator = text[position + 10];
  const lenientSeparator = separator === 't' || (separator === ' ' && options.spaceSeparator === true);
  if (separator !== 'T' && (options.strict || !lenientSeparator)) return invalid("expected 'T' between date and time");
  const hour = digitsAt(text, position + 11, 2);
  const minute = digitsAt(text, position + 14, 2);
  const second = digitsAt(text, position + 17, 2);
  if (hour < 0 || text[position + 13] !== ':' || minute < 0 || text[position + 16] !== ':' || second < 0) {
    return invalid('expected hh:mm:ss');
  }
  const wall: WallTime = { year, month, day, hour, minute, second };
  if (!isValidWallTime(wall)) return invalid('date or time out of range');
  let cursor = position + 19;
  let fraction: string | undefined;
  if (text[cursor] === '.') {
    const fractionStart = cursor + 1;
    cursor = fractionStart;
    while (cursor < text.length && isDigitCode(text.charCodeAt(cursor))) cursor++;
    const digits = cursor - fractionStart;
    if (digits === 0) return invalid("no digits after '.'");
    if (digits > maxFractionDigits) return invalid(`more than ${maxFractionDigits} fraction digits`);
    fraction = text.slice(fractionStart, cursor);
  }
  const zoneChar = text[cursor];
  let offsetMinutes: number | undefined;
  if (zoneChar === 'Z' || (!options.strict && zoneChar === 'z')) {
    offsetMinutes = 0;
    cursor += 1;
  } else if (zoneChar === '+' || zoneChar === '-') {
    const offsetHours = digitsAt(text, cursor + 1, 2);
    let offsetMins: number;
    if (text[cursor + 3] === ':') {
      offsetMins = digitsAt(text, cursor + 4, 2);
      cursor += 6;
    } else if (!options.strict) {
      offsetMins = digitsAt(text, cursor + 3, 2);
      cursor += 5;
    } else {
      return invalid('offset must be ±hh:mm');
    }
    if (offsetHours < 0 || offsetMins < 0 || offsetHours > 23 || offsetMins > 59) return invalid('invalid offset');
    offsetMinutes = (zoneChar === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  } else if (options.strict) {
    return invalid('missing offset (Z or ±hh:mm)');
  }
  if (cursor < text.length && text[cursor] !== ' ') return invalid('unexpected character after the timestamp');
  const epochMs = offsetMinutes === undefined ? zonedWallTimeToUtcMs(wall, options.timeZone) : wallTimeAsUtcMs(wall) - offsetMinutes * 60_000;
  const iso = epochMs === undefined ? undefined : formatUtcTimestamp(epochMs, fraction);
  if (iso === undefined) return invalid('outside the years 0001..9999');
  return { iso, end: cursor, zoneAssumed: offsetMinutes === undefined };
}
