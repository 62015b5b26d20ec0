import { figuresOf, lastBuckets } from './cell-figures';

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
      }),
    ).toEqual({ bucket: '2026-12-01', suppressed: false, municipalities: 12, attempts: 3400, q1: 40, median: 120, q3: 260, shareAbove: 0.25 });
  });

  it('treats a withheld cell, or one missing a figure, as suppressed', () => {
    expect(figuresOf({ bucket: '2026-12-01', suppressed: true, reason: 'fewer than 5 municipalities' })).toEqual({ bucket: '2026-12-01', suppressed: true });
    expect(figuresOf({ bucket: '2026-12-02', suppressed: false, municipalities: 12 })).toEqual({ bucket: '2026-12-02', suppressed: true });
  });
});

describe('lastBuckets', () => {
  const thursday = new Date('2026-12-03T10:00:00Z');
  it('gives whole days, ISO weeks (Monday to Sunday) and months', () => {
    expect(lastBuckets('day', 7, thursday)).toEqual({ from: '2026-11-27', to: '2026-12-03' });
    expect(lastBuckets('week', 2, thursday)).toEqual({ from: '2026-11-23', to: '2026-12-06' });
    expect(lastBuckets('month', 12, thursday)).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  });
});
