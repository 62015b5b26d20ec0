import { formatUtcTimestamp, wallTimeAsUtcMs } from './calendar';

/** The calendar arithmetic is written out by hand for speed; `Date` is the reference it must match. */

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

const random = seededRandom(20260105);
const integer = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));

describe(formatUtcTimestamp.name, () => {
  const earliest = new Date(0).setUTCFullYear(1, 0, 1);
  const latest = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
  const reference = (epochMs: number): string | undefined => {
    if (!Number.isFinite(epochMs) || epochMs < earliest || epochMs > latest) return undefined;
    const iso = new Date(epochMs).toISOString();
    return iso.length === 24 ? iso : undefined;
  };

  it('renders what Date#toISOString renders, leap days, epoch edges and range limits included', () => {
    const instants = [0, -1, 1, -0, 0.5, -0.5, 951_782_400_000, 4_107_542_399_999, earliest, earliest - 1, latest, latest + 1, Number.NaN, Infinity];
    for (let index = 0; index < 20_000; index++) instants.push(integer(earliest - 10_000, latest + 10_000), integer(-3e12, 6e12));
    for (const epochMs of instants) expect([epochMs, formatUtcTimestamp(epochMs)]).toEqual([epochMs, reference(epochMs)]);
  });

  it('covers the years 0001 to 9999 and nothing outside them', () => {
    expect(formatUtcTimestamp(new Date(0).setUTCFullYear(1, 0, 1))).toBe('0001-01-01T00:00:00.000Z');
    expect(formatUtcTimestamp(new Date(0).setUTCFullYear(1850, 5, 1))).toBe('1850-06-01T00:00:00.000Z');
    expect(formatUtcTimestamp(new Date(0).setUTCFullYear(1, 0, 1) - 1)).toBeUndefined();
    expect(formatUtcTimestamp(Date.UTC(9999, 11, 31, 23, 59, 59, 999))).toBe('9999-12-31T23:59:59.999Z');
  });

  it('keeps the fraction digit for digit, padded to milliseconds', () => {
    expect(formatUtcTimestamp(Date.UTC(2026, 0, 5, 8, 0, 1), '5')).toBe('2026-01-05T08:00:01.500Z');
    expect(formatUtcTimestamp(Date.UTC(2026, 0, 5, 8, 0, 1), '123456')).toBe('2026-01-05T08:00:01.123456Z');
    expect(formatUtcTimestamp(Date.UTC(2026, 0, 5, 8, 0, 1, 250), '')).toBe('2026-01-05T08:00:01.250Z');
  });
});

describe(wallTimeAsUtcMs.name, () => {
  it('computes what Date.UTC computes, out-of-range fields carrying over', () => {
    for (let index = 0; index < 20_000; index++) {
      const time = {
        year: integer(1, 10_000),
        month: integer(0, 13),
        day: integer(0, 40),
        hour: integer(0, 30),
        minute: integer(0, 70),
        second: integer(0, 70),
      };
      const expected =
        time.year >= 100
          ? Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second)
          : new Date(0).setUTCFullYear(time.year, time.month - 1, time.day) + ((time.hour * 60 + time.minute) * 60 + time.second) * 1000;
      expect([time, wallTimeAsUtcMs(time)]).toEqual([time, expected]);
    }
  });

  it('answers NaN where Date cannot hold the time', () => {
    expect(wallTimeAsUtcMs({ year: 9999, month: 12, day: 1e12, hour: 0, minute: 0, second: 0 })).toBeNaN();
  });
});
