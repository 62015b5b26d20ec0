import { categoryTotals, defaultBucket, figuresOf, incompleteCell, lastBuckets, lastFinalDay } from './cell-figures';

describe('figuresOf', () => {
  it("reads a published cell's figures", () => {
    expect(
      figuresOf({
        bucket: '2026-12-01',
        suppressed: false,
        municipalities: 12,
        attempts: 3400,
        distribution: { min: 1, q1: 40, median: 120, q3: 260, max: 900 },
        share_above_threshold: 0.25,
        by_category: { failed_authentication: 3000, blocked_connection: 400, odd: 'x' },
      }),
    ).toEqual({
      bucket: '2026-12-01',
      group: 'all',
      suppressed: false,
      municipalities: 12,
      attempts: 3400,
      q1: 40,
      median: 120,
      q3: 260,
      shareAbove: 0.25,
      byCategory: { failed_authentication: 3000, blocked_connection: 400 },
    });
  });

  it('treats a withheld cell, with its reason, or one missing a figure, as suppressed', () => {
    expect(figuresOf({ bucket: '2026-12-01', group: '1081', suppressed: true, reason: 'fewer than 5 municipalities' })).toEqual({
      bucket: '2026-12-01',
      group: '1081',
      suppressed: true,
      reason: 'fewer than 5 municipalities',
    });
    expect(figuresOf({ bucket: '2026-12-02', suppressed: false, municipalities: 12 })).toEqual({
      bucket: '2026-12-02',
      group: 'all',
      suppressed: true,
      reason: incompleteCell,
    });
  });
});

describe('lastBuckets', () => {
  const thursday = new Date('2026-12-03T10:00:00Z');
  it('gives whole days, ISO weeks (Monday to Sunday) and months ending no later than the last day', () => {
    expect(lastBuckets('day', 7, thursday)).toEqual({ from: '2026-11-27', to: '2026-12-03' });
    expect(lastBuckets('week', 2, thursday)).toEqual({ from: '2026-11-16', to: '2026-11-29' });
    expect(lastBuckets('week', 1, new Date('2026-11-29T00:00:00Z'))).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(lastBuckets('month', 12, thursday)).toEqual({ from: '2025-12-01', to: '2026-11-30' });
    expect(lastBuckets('month', 1, new Date('2026-11-30T00:00:00Z'))).toEqual({ from: '2026-11-01', to: '2026-11-30' });
  });
});

describe('lastFinalDay', () => {
  it('is final-after-days + 1 back, so its cell is published', () => {
    expect(lastFinalDay(new Date('2026-12-03T10:00:00Z'), 31).toISOString().slice(0, 10)).toBe('2026-11-01');
  });
});

describe('categoryTotals', () => {
  it('adds up each category over the published cells only, in the order the report lists them', () => {
    const cell = (bucket: string, byCategory: Record<string, number>) =>
      figuresOf({
        bucket,
        suppressed: false,
        municipalities: 6,
        attempts: 1,
        distribution: { min: 0, q1: 0, median: 0, q3: 0, max: 0 },
        share_above_threshold: 0,
        by_category: byCategory,
      });
    const cells = [cell('d1', { a: 2, b: 1 }), cell('d2', { a: 3 }), figuresOf({ bucket: 'd3', suppressed: true })];
    expect(categoryTotals(cells, ['b', 'a', 'c'])).toEqual([
      { category: 'b', attempts: 1 },
      { category: 'a', attempts: 5 },
      { category: 'c', attempts: 0 },
    ]);
  });
});

describe('defaultBucket', () => {
  const withheld = (bucket: string) => figuresOf({ bucket, group: '1081', suppressed: true, reason: 'not final before 2027-01-01' });
  const published = (bucket: string) =>
    figuresOf({
      bucket,
      group: '1084',
      suppressed: false,
      municipalities: 6,
      attempts: 1,
      distribution: { min: 0, q1: 0, median: 0, q3: 0, max: 0 },
      share_above_threshold: 0,
    });

  it('is the newest bucket with a published cell, else the newest, else none', () => {
    expect(defaultBucket([withheld('2026-10-03'), published('2026-10-02'), withheld('2026-10-02'), published('2026-10-01')])).toBe('2026-10-02');
    expect(defaultBucket([withheld('2026-10-01'), withheld('2026-10-02')])).toBe('2026-10-02');
    expect(defaultBucket([])).toBeUndefined();
  });
});
