/** `part / whole` rounded to four decimals; null when there is nothing to divide (no such lines). */
export function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}
