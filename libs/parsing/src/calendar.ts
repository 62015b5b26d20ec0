/** Calendar arithmetic shared by the timestamp parsers (days-from-civil and the digit reader live in libs/contracts, shared with `eventTimeMs`). */
import { daysFromCivil, digitsAt } from '@soc/contracts';

export { digitsAt };

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

/**
 * Integer fields, a year 100..9999 and a month 1..12: what `Date.UTC` computes for such a time is
 * plain arithmetic (days, hours, minutes and seconds out of range simply carry over).
 */
function isPlainCalendarTime(time: WallTime): boolean {
  return (
    Number.isInteger(time.year) &&
    time.year >= 100 &&
    time.year <= 9999 &&
    Number.isInteger(time.month) &&
    time.month >= 1 &&
    time.month <= 12 &&
    Number.isInteger(time.day) &&
    Number.isInteger(time.hour) &&
    Number.isInteger(time.minute) &&
    Number.isInteger(time.second)
  );
}

/** Milliseconds since the epoch of a wall time read as UTC (years below 100 are not shifted). */
export function wallTimeAsUtcMs(time: WallTime): number {
  if (isPlainCalendarTime(time)) {
    const days = daysFromCivil(time.year, time.month, time.day);
    const epochMs = ((days * 24 + time.hour) * 60 + time.minute) * 60_000 + time.second * 1000;
    // `Date` holds at most ±8.64e15 ms (ECMAScript TimeClip).
    return Math.abs(epochMs) <= 8.64e15 ? epochMs : Number.NaN;
  }
  if (time.year >= 100) return Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
  const date = new Date(0);
  date.setUTCFullYear(time.year, time.month - 1, time.day);
  date.setUTCHours(time.hour, time.minute, time.second, 0);
  return date.getTime();
}

/** 0001-01-01T00:00:00Z (`Date.UTC` reads years 0–99 as 1900–1999, so it cannot say this). */
const earliestTimestampMs = new Date(0).setUTCFullYear(1, 0, 1);
const latestTimestampMs = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const millisecondsPerDay = 86_400_000;
const twoDigits = Array.from({ length: 100 }, (_, value) => (value < 10 ? `0${value}` : String(value)));

function fourDigits(value: number): string {
  return twoDigits[Math.floor(value / 100)] + twoDigits[value % 100];
}

function threeDigits(value: number): string {
  return String(Math.floor(value / 100)) + twoDigits[value % 100];
}

/** `YYYY-MM-DDT` of a day counted from 1970-01-01 (Howard Hinnant's days-to-civil algorithm). */
function datePrefix(daysSinceEpoch: number): string {
  const shifted = daysSinceEpoch + 719_468; // days since 0000-03-01
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const marchBasedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * marchBasedMonth + 2) / 5) + 1;
  const month = marchBasedMonth < 10 ? marchBasedMonth + 3 : marchBasedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${fourDigits(year)}-${twoDigits[month]}-${twoDigits[day]}T`;
}

/**
 * ISO-8601 UTC rendering of a whole-second instant. The fraction, when the source had one, is
 * kept digit for digit (RFC 5424 allows microseconds, `Date` only holds milliseconds). Returns
 * undefined outside years 0001..9999, which ECS timestamps cannot express. Written out by hand
 * rather than with `Date#toISOString` (the same text, at a fraction of the cost per line).
 */
export function formatUtcTimestamp(epochMs: number, fractionDigits?: string): string | undefined {
  if (!Number.isFinite(epochMs) || epochMs < earliestTimestampMs || epochMs > latestTimestampMs) return undefined;
  // Lines come in bursts within one second: the events of a burst share one string. Built by
  // concatenation, it is flattened once by its first reader, not once per event.
  if (epochMs === lastFormatted.epochMs && (fractionDigits === undefined || fractionDigits.length === 0)) return lastFormatted.text;
  const text = formatTimestamp(epochMs, fractionDigits);
  if (fractionDigits === undefined || fractionDigits.length === 0) {
    lastFormatted.epochMs = epochMs;
    lastFormatted.text = text;
  }
  return text;
}

/** The last timestamp formatted without a fraction of its own (see `formatUtcTimestamp`). */
const lastFormatted = { epochMs: Number.NaN, text: '' };

function formatTimestamp(epochMs: number, fractionDigits: string | undefined): string {
  // `Date` truncates a fractional time value towards zero.
  const wholeMs = Math.trunc(epochMs);
  const days = Math.floor(wholeMs / millisecondsPerDay);
  const msOfDay = wholeMs - days * millisecondsPerDay;
  const hour = Math.floor(msOfDay / 3_600_000);
  const minute = Math.floor(msOfDay / 60_000) % 60;
  const second = Math.floor(msOfDay / 1000) % 60;
  const dateAndTime = `${datePrefix(days)}${twoDigits[hour]}:${twoDigits[minute]}:${twoDigits[second]}`;
  if (fractionDigits === undefined || fractionDigits.length === 0) return `${dateAndTime}.${threeDigits(msOfDay % 1000)}Z`;
  const fraction = fractionDigits.length < 3 ? fractionDigits.padEnd(3, '0') : fractionDigits;
  return `${dateAndTime}.${fraction}Z`;
}

export function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}
