import { inferInstantsInFileOrder, inferYear, latestYearNotAfter, yearlessTimeAtLineStart, type YearlessTime } from './year-inference';

const at = (month: number, day: number, hour = 12, minute = 0, second = 0): YearlessTime => ({ month, day, hour, minute, second });
const isoOf = (instants: Array<number | undefined>): Array<string | undefined> =>
  instants.map((ms) => (ms === undefined ? undefined : new Date(ms).toISOString()));

/** The year-less times of auth.log-style lines, in file order. */
const timesOf = (lines: string[]): Array<YearlessTime | undefined> => lines.map(yearlessTimeAtLineStart);

describe(inferYear.name, () => {
  const time = at(12, 31, 23);

  it('chooses last year for a December line read in January', () => {
    expect(inferYear(time, new Date('2026-01-02T00:00:00Z'), 'UTC')?.year).toBe(2025);
  });

  it('chooses this year when the line is at most a day ahead of the reference, last year beyond', () => {
    expect(inferYear(time, new Date('2025-12-31T00:00:00Z'), 'UTC')?.year).toBe(2025);
    expect(inferYear(time, new Date('2025-12-30T22:00:00Z'), 'UTC')?.year).toBe(2024);
  });

  it('chooses the latest year in which Feb 29 exists, however far back', () => {
    expect(inferYear(at(2, 29), new Date('2027-06-01T00:00:00Z'), 'UTC')?.year).toBe(2024);
    expect(inferYear(at(2, 29), new Date('2028-02-28T00:00:00Z'), 'UTC')?.year).toBe(2024);
    expect(inferYear(at(2, 29), new Date('2028-03-01T00:00:00Z'), 'UTC')?.year).toBe(2028);
    // 2100 is no leap year: eight years back to 2096.
    expect(inferYear(at(2, 29), new Date('2103-06-01T00:00:00Z'), 'UTC')?.year).toBe(2096);
  });

  it("compares in the line's zone: New York's 20:00 on Dec 31 is already next year in UTC", () => {
    const reference = new Date('2025-01-01T02:00:00Z');
    expect(inferYear(at(12, 31, 20), reference, 'America/New_York')).toEqual({ year: 2024, epochMs: Date.parse('2025-01-01T01:00:00Z') });
  });

  it('returns nothing for an invalid reference time or an impossible date', () => {
    expect(inferYear(time, new Date(Number.NaN), 'UTC')).toBeUndefined();
    expect(inferYear(at(2, 30), new Date('2026-01-01T00:00:00Z'), 'UTC')).toBeUndefined();
    expect(latestYearNotAfter(at(4, 31), Date.parse('2026-01-01T00:00:00Z'), 'UTC')).toBeUndefined();
  });
});

describe(inferInstantsInFileOrder.name, () => {
  it('gives the last line the latest year not after the reference and steps back a year across New Year', () => {
    const lines = ['Dec 30 23:59:58 h sshd[1]: a', 'Dec 31 23:59:59 h sshd[1]: b', 'Jan  1 00:00:01 h sshd[1]: c', 'Jan  2 08:00:00 h sshd[1]: d'];
    expect(isoOf(inferInstantsInFileOrder(timesOf(lines), new Date('2005-06-01T00:00:00Z'), 'UTC'))).toEqual([
      '2004-12-30T23:59:58.000Z',
      '2004-12-31T23:59:59.000Z',
      '2005-01-01T00:00:01.000Z',
      '2005-01-02T08:00:00.000Z',
    ]);
  });

  it('reads a file spanning more than the months before the reference in consecutive years', () => {
    // June to March replayed in August: per line June would be this year; in file order it is last year.
    const times = [at(6, 1), at(9, 1), at(12, 1), at(3, 1)];
    expect(isoOf(inferInstantsInFileOrder(times, new Date('2026-08-15T00:00:00Z'), 'UTC'))).toEqual([
      '2025-06-01T12:00:00.000Z',
      '2025-09-01T12:00:00.000Z',
      '2025-12-01T12:00:00.000Z',
      '2026-03-01T12:00:00.000Z',
    ]);
  });

  it('keeps lines out of order by seconds in one year, also across New Year', () => {
    const times = [at(12, 31, 23, 59, 50), at(1, 1, 0, 0, 2), at(12, 31, 23, 59, 58), at(1, 1, 0, 0, 5)];
    expect(isoOf(inferInstantsInFileOrder(times, new Date('2026-03-01T00:00:00Z'), 'UTC'))).toEqual([
      '2025-12-31T23:59:50.000Z',
      '2026-01-01T00:00:02.000Z',
      '2025-12-31T23:59:58.000Z',
      '2026-01-01T00:00:05.000Z',
    ]);
    const sameMinute = [at(5, 3, 10, 0, 9), at(5, 3, 10, 0, 7), at(5, 3, 10, 0, 8)];
    expect(isoOf(inferInstantsInFileOrder(sameMinute, new Date('2026-05-03T10:00:08Z'), 'UTC'))).toEqual([
      '2026-05-03T10:00:09.000Z',
      '2026-05-03T10:00:07.000Z',
      '2026-05-03T10:00:08.000Z',
    ]);
  });

  it('gives a Jan 1 line before a Dec 31 line at the end of the file the later year (out of order by seconds)', () => {
    const times = [at(1, 1, 0, 0, 1), at(12, 31, 23, 59, 59)];
    expect(isoOf(inferInstantsInFileOrder(times, new Date('2026-01-01T00:00:05Z'), 'UTC'))).toEqual(['2026-01-01T00:00:01.000Z', '2025-12-31T23:59:59.000Z']);
  });

  it('puts a Feb 29 line into the latest leap year its successors allow', () => {
    // Feb 28, Feb 29, Mar 1 ending in 2027: Feb 29 must be 2024, and the Feb 28 before it too.
    const times = [at(2, 28), at(2, 29), at(3, 1)];
    expect(isoOf(inferInstantsInFileOrder(times, new Date('2027-06-01T00:00:00Z'), 'UTC'))).toEqual([
      '2024-02-28T12:00:00.000Z',
      '2024-02-29T12:00:00.000Z',
      '2027-03-01T12:00:00.000Z',
    ]);
  });

  it('gives a single line the latest year not after the reference plus a day', () => {
    expect(isoOf(inferInstantsInFileOrder([at(6, 2)], new Date('2026-06-01T13:00:00Z'), 'UTC'))).toEqual(['2026-06-02T12:00:00.000Z']);
    expect(isoOf(inferInstantsInFileOrder([at(6, 3)], new Date('2026-06-01T13:00:00Z'), 'UTC'))).toEqual(['2025-06-03T12:00:00.000Z']);
  });

  it('leaves lines without a year-less time alone and lets them not move the bound', () => {
    const times = [at(12, 31), undefined, at(1, 1), undefined];
    expect(isoOf(inferInstantsInFileOrder(times, new Date('2026-01-05T00:00:00Z'), 'UTC'))).toEqual([
      '2025-12-31T12:00:00.000Z',
      undefined,
      '2026-01-01T12:00:00.000Z',
      undefined,
    ]);
  });
});

describe(yearlessTimeAtLineStart.name, () => {
  it('reads the BSD timestamp of an RFC 3164 line with or without PRI, sequence number and clock mark', () => {
    const expected = { month: 3, day: 7, hour: 19, minute: 6, second: 53 };
    expect(yearlessTimeAtLineStart('<38>Mar  7 19:06:53 example tag: m')).toEqual(expected);
    expect(yearlessTimeAtLineStart('Mar 7 19:06:53 example sshd[1]: m')).toEqual(expected);
    expect(yearlessTimeAtLineStart('<189>123: *Mar  7 19:06:53.123: %SYS-5-CONFIG_I: x')).toEqual(expected);
    expect(yearlessTimeAtLineStart('MAR 07 19:06:53')).toEqual(expected);
  });

  it('finds none where the line names its year or has no BSD timestamp at its start', () => {
    for (const line of [
      '<38>Mar 7 2008 19:06:53: example tag: m',
      '<6>Aug 10 22:18:24 2009 host [audit] m',
      '<13>1 2026-06-15T11:59:00.000Z web01 sshd 1 - - m',
      '203.0.113.9 - - [15/Jun/2026:11:58:00 +0000] "GET / HTTP/1.1" 200 512',
      '[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6',
      'sshd[4242]: Failed password for root from 203.0.113.9 port 22 ssh2',
      'Foo 7 19:06:53 not a month',
    ]) {
      expect([line, yearlessTimeAtLineStart(line)]).toEqual([line, undefined]);
    }
  });
});
