/**
 * The q-quantile of sorted values by linear interpolation between closest ranks (Hyndman & Fan
 * type 7, the default of R, NumPy and spreadsheets), so KL can reproduce a figure in Excel.
 */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new Error('quantile of no values');
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

export interface Distribution {
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

export function distributionOf(values: readonly number[]): Distribution {
  // A typed array sorts numerically without a comparator call per pair (~10x faster on a year's 36k member-days).
  const sorted = Float64Array.from(values).sort();
  return {
    min: sorted[0],
    q1: quantile(sorted, 0.25),
    median: quantile(sorted, 0.5),
    q3: quantile(sorted, 0.75),
    max: sorted[sorted.length - 1],
  };
}
