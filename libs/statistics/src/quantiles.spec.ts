import { distributionOf, quantile } from './quantiles';

describe('quantile', () => {
  it('interpolates between closest ranks like a spreadsheet (type 7)', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([7], 0.75)).toBe(7);
  });

  it('rejects an empty list', () => {
    expect(() => quantile([], 0.5)).toThrow('quantile of no values');
  });
});

describe('distributionOf', () => {
  it('gives min, quartiles, median and max of unsorted values', () => {
    expect(distributionOf([10, 0, 300, 200, 50])).toEqual({ min: 0, q1: 10, median: 50, q3: 200, max: 300 });
  });
});
