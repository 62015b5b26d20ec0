import { isDigitCode, isValidWallTime, monthAt, wallTimeAsUtcMs, type WallTime } from './calendar';
import { zonedWallTimeToUtcMs } from './zoned-time';

/**
 * The year of a timestamp that has none (RFC 3164 `Mmm dd hh:mm:ss`, auth.log, CEF `rt`).
 * A log line is written before it is read, so its year is the latest one in which its date
 * exists and its instant is not after a bound: the reference clock (the forwarder's when it says
 * so, else the collector's) plus a day of clock skew. Within one file the lines are in time
 * order, so walking it backwards each line is bounded by the line after it instead: a December
 * line before a January line falls into the year before, whatever the reference says.
 */

/** A wall-clock time whose text named no year. */
export type YearlessTime = Omit<WallTime, 'year'>;

/** How far a sender's clock (or zone setting) may run ahead of the reference. */
export const clockSkewToleranceMs = 86_400_000;

/**
 * How far a line may lie before the line that precedes it in its file (several hosts relayed
 * through one file, a scanner's requests logged slightly out of order) and still be read as the
 * same year; a line further back than this is read as the next year's.
 */
export const fileDisorderToleranceMs = 86_400_000;

/** The largest offset of any zone from UTC (Kiribati, UTC+14). */
const maxZoneOffsetMs = 14 * 3_600_000;

/** Feb 29 exists at most 8 years apart (2096 → 2104); nothing in between needs looking at. */
const maxYearsBack = 8;

/** The latest year in which `time` exists in `timeZone` at an instant not after `boundMs`. */
export function latestYearNotAfter(time: YearlessTime, boundMs: number, timeZone: string): { year: number; epochMs: number } | undefined {
  if (!Number.isFinite(boundMs)) return undefined;
  // A zone is at most 14 hours from UTC: the bound's UTC year + 1 is always late enough to start,
  // and a year whose wall time read as UTC lies more than 14 hours after the bound cannot be it
  // in any zone (skipped without the costly zone conversion: most lines are this year's).
  const start = new Date(boundMs).getUTCFullYear() + 1;
  for (let year = start; year >= start - 1 - maxYearsBack && year >= 1; year--) {
    const wall = { year, ...time };
    if (!isValidWallTime(wall) || wallTimeAsUtcMs(wall) - maxZoneOffsetMs > boundMs) continue;
    const epochMs = zonedWallTimeToUtcMs(wall, timeZone);
    if (epochMs !== undefined && epochMs <= boundMs) return { year, epochMs };
  }
  return undefined;
}

/** One line alone: the latest year not more than `clockSkewToleranceMs` after `reference`. */
export function inferYear(time: YearlessTime, reference: Date, timeZone: string): { year: number; epochMs: number } | undefined {
  return latestYearNotAfter(time, reference.getTime() + clockSkewToleranceMs, timeZone);
}

/**
 * The instant of each year-less time of one file, in file order (`undefined` where a line has
 * none; such lines do not move the bound). The last one is bounded by the reference plus skew,
 * each earlier one by the instant of the next one plus `fileDisorderToleranceMs` (and by the
 * reference): a line goes back a year exactly where its date lies further after the next line's
 * than the disorder allows, as December does before January.
 */
export function inferInstantsInFileOrder(times: ReadonlyArray<YearlessTime | undefined>, reference: Date, timeZone: string): Array<number | undefined> {
  const instants = new Array<number | undefined>(times.length).fill(undefined);
  const referenceBound = reference.getTime() + clockSkewToleranceMs;
  let bound = referenceBound;
  for (let index = times.length - 1; index >= 0; index--) {
    const time = times[index];
    if (time === undefined) continue;
    const found = latestYearNotAfter(time, bound, timeZone);
    if (found === undefined) continue;
    instants[index] = found.epochMs;
    bound = Math.min(referenceBound, found.epochMs + fileDisorderToleranceMs);
  }
  return instants;
}

/**
 * The year-less time a raw line starts with, where the RFC 3164 reader finds it: after an
 * optional `<PRI>` and Cisco sequence number (`123: `), an optional unsynchronised-clock mark
 * (`*`, `.`), `Mmm dd hh:mm:ss` with no year before or after the time. Undefined for any other
 * line (RFC 5424, a bare access-log line, a time with a year): those need no inference.
 */
export function yearlessTimeAtLineStart(line: string): YearlessTime | undefined {
  let cursor = 0;
  if (line.charCodeAt(0) === 0x3c /* < */) {
    const close = line.indexOf('>');
    if (close < 2 || close > 4) return undefined;
    cursor = close + 1;
  }
  const sequenceStart = cursor;
  while (cursor < line.length && cursor - sequenceStart < 10 && isDigitCode(line.charCodeAt(cursor))) cursor++;
  if (cursor > sequenceStart) {
    if (line[cursor] !== ':' || line[cursor + 1] !== ' ') return undefined;
    cursor += 2;
  }
  while (line[cursor] === ' ') cursor++;
  if (line[cursor] === '*' || line[cursor] === '.') cursor++;
  const match = bsdTimestampPattern.exec(line.slice(cursor, cursor + 40));
  if (match === null) return undefined;
  const month = monthAt(match[1], 0);
  if (month === 0) return undefined;
  return { month, day: Number(match[2]), hour: Number(match[3]), minute: Number(match[4]), second: Number(match[5]) };
}

// `Mmm dd hh:mm:ss` (one or two spaces before the day), a fraction and a stray colon allowed,
// then the end or a space not followed by a year (`Mmm dd hh:mm:ss yyyy` names its year).
const bsdTimestampPattern = /^([A-Za-z]{3})  ?(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.\d{1,9})?:?(?:$| (?!(?:19[7-9]\d|2[01]\d\d|2200)(?: |$)))/;

/**
 * The reference time to parse each line of one file with (`now` of `parseLogLine`): for a line
 * that starts with a year-less timestamp, the instant its place in the file gives it (the parser
 * then reads that same year), else `reference`. `undefined` stands for a record that is no line.
 */
export function lineReferenceTimes(lines: ReadonlyArray<string | undefined>, reference: Date, timeZone: string): Date[] {
  const instants = inferInstantsInFileOrder(
    lines.map((line) => (line === undefined ? undefined : yearlessTimeAtLineStart(line))),
    reference,
    timeZone,
  );
  return instants.map((instant) => (instant === undefined ? reference : new Date(instant)));
}
