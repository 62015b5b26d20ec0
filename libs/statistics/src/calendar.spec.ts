import { addDays, bucketEnd, bucketOf, bucketsBetween, bucketStart, daysBetween, isoWeekOf } from './calendar';

describe('isoWeekOf', () => {
  it('puts a day in the ISO week (and ISO year) of its Thursday', () => {
    expect(isoWeekOf('2026-01-01')).toBe('2026-W01');
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53');
    expect(isoWeekOf('2024-12-30')).toBe('2025-W01');
    expect(isoWeekOf('2026-03-08')).toBe('2026-W10');
    expect(isoWeekOf('2026-03-09')).toBe('2026-W11');
  });
});

describe('bucketOf', () => {
  it('maps a day to its day, ISO week, calendar month or calendar year', () => {
    expect(['day', 'week', 'month', 'year'].map((g) => bucketOf('2026-03-09', g as never))).toEqual(['2026-03-09', '2026-W11', '2026-03', '2026']);
  });
});

describe('bucketStart and bucketEnd', () => {
  it('give the whole week (Monday to Sunday), month (leap years included) and year of a day', () => {
    expect([bucketStart('2026-03-04', 'week'), bucketEnd('2026-03-04', 'week')]).toEqual(['2026-03-02', '2026-03-08']);
    expect([bucketStart('2026-03-08', 'week'), bucketEnd('2026-03-02', 'week')]).toEqual(['2026-03-02', '2026-03-08']);
    expect([bucketStart('2024-02-10', 'month'), bucketEnd('2024-02-10', 'month')]).toEqual(['2024-02-01', '2024-02-29']);
    expect([bucketStart('2026-12-31', 'week'), bucketEnd('2026-12-31', 'week')]).toEqual(['2026-12-28', '2027-01-03']);
    expect([bucketStart('2026-07-14', 'year'), bucketEnd('2026-07-14', 'year')]).toEqual(['2026-01-01', '2026-12-31']);
    expect([bucketStart('2026-07-14', 'day'), bucketEnd('2026-07-14', 'day')]).toEqual(['2026-07-14', '2026-07-14']);
  });
});

describe('bucketsBetween', () => {
  it('lists every whole bucket from the one holding from to the one holding to, with its days', () => {
    const weeks = bucketsBetween('2026-03-02', '2026-03-15', 'week');
    expect(weeks.map((w) => [w.bucket, w.days[0], w.days.length])).toEqual([
      ['2026-W10', '2026-03-02', 7],
      ['2026-W11', '2026-03-09', 7],
    ]);
    expect(bucketsBetween('2025-12-01', '2026-02-28', 'month').map((m) => [m.bucket, m.days.length])).toEqual([
      ['2025-12', 31],
      ['2026-01', 31],
      ['2026-02', 28],
    ]);
    expect(daysBetween('2026-03-30', '2026-04-01')).toEqual(['2026-03-30', '2026-03-31', '2026-04-01']);
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
