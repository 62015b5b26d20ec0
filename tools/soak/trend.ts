/**
 * The statistics of `npm run bench:soak`, pure: a least-squares line through one series of samples
 * and the verdict whether the resource grows. Kept apart from the benchmark so that a unit test
 * can check them (bench/ has no specs).
 */

export interface Point {
  /** Seconds since the start of the run. */
  t: number;
  v: number;
}

export interface Trend {
  samples: number;
  /** Least-squares slope, in the series' unit per hour. */
  slope_per_hour: number;
  /** Standard error of that slope (ordinary least squares, independent residuals assumed). */
  slope_se_per_hour: number;
  /** Lower and upper 95 % bounds of the slope (Student t with n − 2 degrees of freedom). */
  slope_95: [number, number];
  /** The fitted line at the first and the last sample: the start and end values without the noise. */
  fitted_start: number;
  fitted_end: number;
  first: number;
  last: number;
  min: number;
  max: number;
  mean: number;
}

export type Verdict = 'flat' | 'growing' | 'too_few_samples';

// Two-sided 95 % quantiles of Student's t by degrees of freedom; beyond 120 the normal 1.96.
const t95: Record<number, number> = {
  1: 12.706,
  2: 4.303,
  3: 3.182,
  4: 2.776,
  5: 2.571,
  6: 2.447,
  7: 2.365,
  8: 2.306,
  9: 2.262,
  10: 2.228,
  11: 2.201,
  12: 2.179,
  13: 2.16,
  14: 2.145,
  15: 2.131,
  16: 2.12,
  17: 2.11,
  18: 2.101,
  19: 2.093,
  20: 2.086,
  25: 2.06,
  30: 2.042,
  40: 2.021,
  60: 2.0,
  120: 1.98,
};

/** The 95 % two-sided t quantile for `df` degrees of freedom (the next tabulated df below, so never too small). */
export function tQuantile95(df: number): number {
  if (df < 1) return Number.POSITIVE_INFINITY;
  if (df > 120) return 1.96;
  const tabulated = Object.keys(t95)
    .map(Number)
    .filter((d) => d <= df);
  return t95[Math.max(...tabulated)]!;
}

/** Fits v = a + b·t by least squares; undefined with fewer than three points or all at one time. */
export function linearTrend(points: Point[]): Trend | undefined {
  const n = points.length;
  if (n < 3) return undefined;
  const meanT = points.reduce((s, p) => s + p.t, 0) / n;
  const meanV = points.reduce((s, p) => s + p.v, 0) / n;
  let sTT = 0;
  let sTV = 0;
  for (const p of points) {
    sTT += (p.t - meanT) ** 2;
    sTV += (p.t - meanT) * (p.v - meanV);
  }
  if (sTT === 0) return undefined;
  const slope = sTV / sTT;
  const intercept = meanV - slope * meanT;
  const residuals = points.reduce((s, p) => s + (p.v - intercept - slope * p.t) ** 2, 0);
  const se = Math.sqrt(residuals / (n - 2) / sTT);
  const half = tQuantile95(n - 2) * se;
  const values = points.map((p) => p.v);
  return {
    samples: n,
    slope_per_hour: slope * 3600,
    slope_se_per_hour: se * 3600,
    slope_95: [(slope - half) * 3600, (slope + half) * 3600],
    fitted_start: intercept + slope * points[0]!.t,
    fitted_end: intercept + slope * points[n - 1]!.t,
    first: values[0]!,
    last: values[n - 1]!,
    min: Math.min(...values),
    max: Math.max(...values),
    mean: meanV,
  };
}

/**
 * Growing when both hold: the slope's lower 95 % bound is above zero (the rise is not chance), and
 * the fitted rise over the run exceeds `noise` (the rise matters: a heap that settles 2 MB higher
 * after warm-up is significant with enough samples, but it is not a leak).
 */
export function verdict(trend: Trend | undefined, noise: number): Verdict {
  if (!trend) return 'too_few_samples';
  return trend.slope_95[0] > 0 && trend.fitted_end - trend.fitted_start > noise ? 'growing' : 'flat';
}

/** Nearest-rank percentile of unsorted values; null for none. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
