import { bucketOf, isoWeekOf } from './calendar';

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
  it('maps a day to its day, ISO week, calendar month or the whole period', () => {
    expect(['day', 'week', 'month', 'period'].map((g) => bucketOf('2026-03-09', g as never))).toEqual(['2026-03-09', '2026-W11', '2026-03', 'period']);
  });
});
