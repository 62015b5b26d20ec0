import type { AttemptCell } from './attempt-statistics';

/** A cell as published: its figures, or none of them when too few municipalities stand behind it. */
export type PublishedCell =
  | (AttemptCell & { suppressed: false })
  | { bucket: string; group: string; suppressed: true; reason: string };

/**
 * Small-cell suppression: a cell computed over fewer than `minMunicipalities` municipalities
 * would let a reader single out a municipality (a region on a day when two reported), so ALL its
 * figures are withheld, the municipality count included: an exact "2" would already tell.
 */
export function publishCell(cell: AttemptCell, minMunicipalities: number): PublishedCell {
  if (cell.municipalities >= minMunicipalities) return { ...cell, suppressed: false };
  return {
    bucket: cell.bucket,
    group: cell.group,
    suppressed: true,
    reason: `fewer than ${minMunicipalities} municipalities`,
  };
}
