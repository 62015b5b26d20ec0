/** Calendar arithmetic shared by the timestamp parsers. */

const monthAbbreviations = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Month number 1..12 for a case-insensitive English abbreviation at `position`, else 0. */
export function monthAt(text: string, position: number): number {
  if (position + 3 > text.length) return 0;
  const abbreviation = text.slice(position, position + 3).toLowerCase();
  return monthAbbreviations.indexOf(abbreviation) + 1;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A wall-clock date and time; validated before any conversion. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function isValidWallTime(time: WallTime): boolean {
  return (
    time.year >= 1 &&
    time.year <= 9999 &&
    time.month >= 1 &&
    time.month <= 12 &&
    time.day >= 1 &&
    time.day <= daysInMonth(time.year, time.month) &&
    time.hour <= 23 &&
    time.minute <= 59 &&
    time.second <= 59
  );
}

/** Milliseconds since the epoch of a wall time read as UTC (years below 100 are not shifted). */
export function wallTimeAsUtcMs(time: WallTime): number {
  if (time.year >= 100) return Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
  const date = new Date(0);
  date.setUTCFullYear(time.year, time.month - 1, time.day);
  date.setUTCHours(time.hour, time.minute, time.second, 0);
  return date.getTime();
}

const earliestTimestampMs = Date.UTC(1, 0, 1) - 366 * 86_400_000;
const latestTimestampMs = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * ISO-8601 UTC rendering of a whole-second instant. The fraction, when the source had one, is
 * kept digit for digit (RFC 5424 allows microseconds, `Date` only holds milliseconds). Returns
 * undefined outside years 0001..9999, which ECS timestamps cannot express.
 */
export function formatUtcTimestamp(epochMs: number, fractionDigits?: string): string | undefined {
  if (!Number.isFinite(epochMs) || epochMs < earliestTimestampMs || epochMs > latestTimestampMs) return undefined;
  const iso = new Date(epochMs).toISOString();
  if (iso.length !== 24) return undefined;
  if (fractionDigits === undefined || fractionDigits.length === 0) return iso;
  const fraction = fractionDigits.length < 3 ? fractionDigits.padEnd(3, '0') : fractionDigits;
  return `${iso.slice(0, 19)}.${fraction}Z`;
}

/** Reads exactly `count` ASCII digits at `position`; -1 when any of them is not a digit. */
export function digitsAt(text: string, position: number, count: number): number {
  if (position + count > text.length) return -1;
  let value = 0;
  for (let index = position; index < position + count; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

export function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}
