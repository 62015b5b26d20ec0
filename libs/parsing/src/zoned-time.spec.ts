import { isKnownTimeZone, zonedWallTimeToUtcMs } from './zoned-time';

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());
const wall = { year: 2025, month: 7, day: 1, hour: 12, minute: 0, second: 0 };

describe(zonedWallTimeToUtcMs.name, () => {
  it('converts Danish summer and winter time', () => {
    expect(iso(zonedWallTimeToUtcMs(wall, 'Europe/Copenhagen'))).toBe('2025-07-01T10:00:00.000Z');
    expect(iso(zonedWallTimeToUtcMs({ ...wall, month: 1 }, 'Europe/Copenhagen'))).toBe('2025-01-01T11:00:00.000Z');
  });

  it('reads a time in the spring gap with the winter offset and takes the first of an autumn overlap', () => {
    expect(iso(zonedWallTimeToUtcMs({ ...wall, month: 3, day: 30, hour: 2, minute: 30 }, 'Europe/Copenhagen'))).toBe('2025-03-30T01:30:00.000Z');
    expect(iso(zonedWallTimeToUtcMs({ ...wall, month: 10, day: 26, hour: 2, minute: 30 }, 'Europe/Copenhagen'))).toBe('2025-10-26T00:30:00.000Z');
  });

  it('rejects invalid dates and unknown zones', () => {
    expect(zonedWallTimeToUtcMs({ ...wall, month: 2, day: 29 }, 'UTC')).toBeUndefined();
    expect(zonedWallTimeToUtcMs(wall, 'Mars/Olympus_Mons')).toBeUndefined();
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isKnownTimeZone('Europe/Copenhagen')).toBe(true);
  });
});
