/**
 * The two pieces of calendar arithmetic that reading and writing ISO timestamps share: the parsers
 * (libs/parsing) write `@timestamp`, the engine reads it back (`eventTimeMs`).
 */

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days-from-civil); day 31 of a 30-day month rolls over, as in `Date`. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const marchBasedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(marchBasedYear / 400);
  const yearOfEra = marchBasedYear - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
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
