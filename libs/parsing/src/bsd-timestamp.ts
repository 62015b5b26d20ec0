import { digitsAt, formatUtcTimestamp, isDigitCode, monthAt } from './calendar';
import { parseFailure, type ParseFailure } from './parse-result';
import { inferYear } from './year-inference';
import { zonedWallTimeToUtcMs } from './zoned-time';

export interface BsdTimestampAt {
  iso: string;
  end: number;
  /** True when the year was not in the text and was inferred from `now`. */
  yearInferred: boolean;
}

export interface BsdTimestampOptions {
  now: Date;
  timeZone: string;
}

const minimumExplicitYear = 1970;
const maximumExplicitYear = 2200;

function yearAt(text: string, position: number): number {
  const year = digitsAt(text, position, 4);
  const after = text.charCodeAt(position + 4);
  return year >= minimumExplicitYear && year <= maximumExplicitYear && (Number.isNaN(after) || after === 0x20) ? year : -1;
}

/**
 * Parses the BSD timestamp `Mmm dd hh:mm:ss` at `position`, with the deviations seen in the
 * field: any letter case, one or two spaces before the day, single-digit days, a Cisco leading
 * `*`/`.` (unsynchronised clock), milliseconds, a year before or after the time, a stray colon
 * after the time. Returns undefined when there is no month name here at all.
 */
export function parseBsdTimestampAt(text: string, position: number, options: BsdTimestampOptions): BsdTimestampAt | ParseFailure | undefined {
  let cursor = position;
  if (text[cursor] === '*' || text[cursor] === '.') cursor++;
  const month = monthAt(text, cursor);
  if (month === 0 || text[cursor + 3] !== ' ') return undefined;
  const invalid = (what: string): ParseFailure => parseFailure(`invalid BSD timestamp '${text.slice(position, position + 24)}': ${what}`);
  cursor += 4;
  if (text[cursor] === ' ') cursor++;
  let day: number;
  if (isDigitCode(text.charCodeAt(cursor)) && isDigitCode(text.charCodeAt(cursor + 1))) {
    day = digitsAt(text, cursor, 2);
    cursor += 2;
  } else if (isDigitCode(text.charCodeAt(cursor))) {
    day = digitsAt(text, cursor, 1);
    cursor += 1;
  } else {
    return invalid('expected the day of the month');
  }
  if (text[cursor] !== ' ') return invalid('expected a space after the day');
  cursor++;
  let year = yearAt(text, cursor);
  if (year !== -1) cursor += 5;
  const hour = digitsAt(text, cursor, 2);
  const minute = digitsAt(text, cursor + 3, 2);
  const second = digitsAt(text, cursor + 6, 2);
  if (hour < 0 || text[cursor + 2] !== ':' || minute < 0 || text[cursor + 5] !== ':' || second < 0) {
    return invalid('expected hh:mm:ss');
  }
  cursor += 8;
  let fraction: string | undefined;
  if (text[cursor] === '.' && isDigitCode(text.charCodeAt(cursor + 1))) {
    const fractionStart = cursor + 1;
    cursor = fractionStart;
    while (cursor < text.length && cursor - fractionStart < 9 && isDigitCode(text.charCodeAt(cursor))) cursor++;
    fraction = text.slice(fractionStart, cursor);
  }
  if (text[cursor] === ':') cursor++;
  if (year === -1 && text[cursor] === ' ') {
    // `Mmm dd hh:mm:ss yyyy` (some appliances put the year last).
    const trailingYear = yearAt(text, cursor + 1);
    if (trailingYear !== -1) {
      year = trailingYear;
      cursor += 5;
    }
  }
  if (cursor < text.length && text[cursor] !== ' ') return invalid('unexpected character after the time');
  if (year !== -1) {
    const epochMs = zonedWallTimeToUtcMs({ year, month, day, hour, minute, second }, options.timeZone);
    const iso = epochMs === undefined ? undefined : formatUtcTimestamp(epochMs, fraction);
    if (iso === undefined) return invalid('date or time out of range');
    return { iso, end: cursor, yearInferred: false };
  }
  const inferred = inferYear({ month, day, hour, minute, second }, options.now, options.timeZone);
  const iso = inferred === undefined ? undefined : formatUtcTimestamp(inferred.epochMs, fraction);
  if (iso === undefined) return invalid('date or time out of range');
  return { iso, end: cursor, yearInferred: true };
}
