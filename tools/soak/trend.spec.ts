import { linearTrend, percentile, tQuantile95, verdict } from './trend';

const series = (n: number, f: (t: number) => number) => Array.from({ length: n }, (_, i) => ({ t: i * 10, v: f(i * 10) }));

describe('soak trend', () => {
  it('recovers the slope of an exact line, per hour, with no error', () => {
    const trend = linearTrend(series(10, (t) => 100 + 2 * t))!;
    expect(trend.slope_per_hour).toBeCloseTo(7200, 6);
    expect(trend.slope_se_per_hour).toBeCloseTo(0, 6);
    expect(trend.fitted_start).toBeCloseTo(100, 6);
    expect(trend.fitted_end).toBeCloseTo(280, 6);
    expect(trend.first).toBe(100);
    expect(trend.last).toBe(280);
  });

  it('gives the textbook standard error for a noisy line', () => {
    // t = 0, 10, 20, 30; v = 1, 3, 2, 4: slope 0.08/s, residual sum 1.8, Stt 500 → se = sqrt(1.8/2/500) s⁻¹.
    const trend = linearTrend([
      { t: 0, v: 1 },
      { t: 10, v: 3 },
      { t: 20, v: 2 },
      { t: 30, v: 4 },
    ])!;
    expect(trend.slope_per_hour).toBeCloseTo(0.08 * 3600, 6);
    expect(trend.slope_se_per_hour).toBeCloseTo(Math.sqrt(1.8 / 2 / 500) * 3600, 6);
    expect(trend.slope_95[0]).toBeCloseTo((0.08 - 4.303 * Math.sqrt(1.8 / 2 / 500)) * 3600, 6);
  });

  it('calls a steady climb above the noise growing, and the same climb below the noise flat', () => {
    const climb = linearTrend(series(30, (t) => 1000 + t + (t % 20 === 0 ? 3 : -3)));
    expect(verdict(climb, 100)).toBe('growing');
    expect(verdict(climb, 1000)).toBe('flat');
  });

  it('calls noise around a level flat, and a falling series flat', () => {
    expect(verdict(linearTrend(series(30, (t) => 500 + (t % 20 === 0 ? 50 : -50))), 10)).toBe('flat');
    expect(verdict(linearTrend(series(30, (t) => 500 - t)), 10)).toBe('flat');
  });

  it('refuses a verdict on fewer than three samples or a single instant', () => {
    expect(verdict(linearTrend(series(2, (t) => t)), 0)).toBe('too_few_samples');
    expect(linearTrend([1, 2, 3].map((v) => ({ t: 5, v })))).toBeUndefined();
  });

  it('takes t quantiles conservatively between tabulated degrees of freedom', () => {
    expect(tQuantile95(2)).toBe(4.303);
    expect(tQuantile95(27)).toBe(2.06);
    expect(tQuantile95(500)).toBe(1.96);
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        99,
      ),
    ).toBe(99);
    expect(percentile([], 99)).toBeNull();
  });
});
