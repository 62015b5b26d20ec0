import { formatUtcTimestamp, isValidWallTime, wallTimeAsUtcMs, type WallTime } from './calendar';

/**
 * Converts wall-clock times that carry no offset (BSD syslog, Apache error logs, Windows
 * `EventTime`) into instants, in an IANA time zone chosen per member (Danish forwarders often
 * log local time). Offsets are cached per zone and quarter hour because `Intl` is slow and every
 * line of a stream falls into the same few buckets.
 */

const formatters = new Map<string, Intl.DateTimeFormat | null>();
const offsetCache = new Map<string, number>();
const offsetCacheLimit = 4096;
const quarterHourMs = 15 * 60_000;

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch {
      formatter = null;
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when the runtime knows `timeZone` (an IANA name such as `Europe/Copenhagen`, or `UTC`). */
export function isKnownTimeZone(timeZone: string): boolean {
  return timeZone === 'UTC' || formatterFor(timeZone) !== null;
}

/** Offset of `timeZone` from UTC, in minutes, at the given instant. */
function offsetMinutesAt(instantMs: number, timeZone: string, formatter: Intl.DateTimeFormat): number {
  const bucket = Math.floor(instantMs / quarterHourMs);
  const cacheKey = `${timeZone}\u0000${bucket}`;
  const cached = offsetCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(new Date(bucket * quarterHourMs))) parts[part.type] = part.value;
  let year = Number(parts.year);
  if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
  const wall = Date.UTC(year, Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  const offset = Math.round((wall - bucket * quarterHourMs) / 60_000);
  if (offsetCache.size >= offsetCacheLimit) offsetCache.clear();
  offsetCache.set(cacheKey, offset);
  return offset;
}

/** Instants of wall-clock minutes already converted, per zone: a stream repeats the same few. */
const minuteCache = new Map<string, Map<number, number>>();
const minuteCacheLimit = 10_000;

function minuteKey(time: WallTime): number {
  return (((time.year * 12 + time.month - 1) * 31 + time.day - 1) * 24 + time.hour) * 60 + time.minute;
}

/**
 * The instant at which the wall clock of `timeZone` showed `time`. A time that happened twice
 * (autumn overlap) resolves to the first occurrence; a time that never happened (spring gap) is
 * read with the offset before the change, i.e. as a clock that did not jump would show it.
 * Undefined for an invalid time or zone.
 */
export function zonedWallTimeToUtcMs(time: WallTime, timeZone: string): number | undefined {
  if (!isValidWallTime(time)) return undefined;
  if (timeZone === 'UTC') return wallTimeAsUtcMs(time);
  let cache = minuteCache.get(timeZone);
  if (cache === undefined) {
    cache = new Map();
    minuteCache.set(timeZone, cache);
  }
  const key = minuteKey(time);
  let minuteStart = cache.get(key);
  if (minuteStart === undefined) {
    // Offsets change on minute boundaries, so one conversion per minute serves all its seconds.
    minuteStart = convertMinute({ ...time, second: 0 }, timeZone);
    if (minuteStart === undefined) return undefined;
    if (cache.size >= minuteCacheLimit) cache.clear();
    cache.set(key, minuteStart);
  }
  return minuteStart + time.second * 1000;
}

function convertMinute(time: WallTime, timeZone: string): number | undefined {
  const formatter = formatterFor(timeZone);
  if (formatter === null) return undefined;
  const asUtc = wallTimeAsUtcMs(time);
  // Zones change offset at most once within a day, so the offsets a day before and after are
  // the only candidates.
  const offsetBefore = offsetMinutesAt(asUtc - 86_400_000, timeZone, formatter);
  const offsetAfter = offsetMinutesAt(asUtc + 86_400_000, timeZone, formatter);
  const candidates = [asUtc - offsetBefore * 60_000, asUtc - offsetAfter * 60_000].filter(
    (instant) => instant + offsetMinutesAt(instant, timeZone, formatter) * 60_000 === asUtc,
  );
  return candidates.length === 0 ? asUtc - offsetBefore * 60_000 : Math.min(...candidates);
}

/** ISO rendering of a zone-less wall time; undefined when invalid. */
export function zonedWallTimeToIso(time: WallTime, timeZone: string, fractionDigits?: string): string | undefined {
  const epochMs = zonedWallTimeToUtcMs(time, timeZone);
  return epochMs === undefined ? undefined : formatUtcTimestamp(epochMs, fractionDigits);
}
