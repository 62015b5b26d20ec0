/**
 * Colour scales for the Denmark map. Colour only repeats what a label says (every cell has a
 * label, and the map has a table alternative), so these pick fills that read apart for common
 * colour-vision deficiencies and keep a dark outline visible (3:1 against white).
 */

/** A sequential blue scale (ColorBrewer "Blues", 5 classes), light = low, dark = high. */
export const sequentialBlues = ['#deebf7', '#9ecae1', '#6baed6', '#3182bd', '#08519c'] as const;

/** Fill of a municipality the map has no figure for. */
export const noDataFill = '#f2f2f2';

/** Status fills: fine, watch, act; neutral for "not part of it". */
export const statusFills = {
  ok: '#1a7f37',
  warn: '#e3b341',
  bad: '#b42318',
  neutral: '#e6e6e6',
  highlight: '#b42318',
} as const;

export interface QuantizeBin {
  /** Inclusive lower bound. */
  from: number;
  /** Exclusive upper bound (inclusive for the last bin). */
  to: number;
  fill: string;
}

export interface QuantizeScale {
  /** The fill for a value; `noDataFill` for null/undefined/NaN. */
  fillOf(value: number | null | undefined): string;
  /** The bins in order, for the legend. */
  bins: QuantizeBin[];
}

/**
 * Equal-width bins over [min, max], one per colour. Values outside the domain take the first or
 * last colour; a domain of one value (min = max) puts everything in the last bin.
 */
export function quantizeScale(min: number, max: number, palette: readonly string[] = sequentialBlues): QuantizeScale {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) throw new Error(`quantizeScale needs finite min <= max, got ${min} and ${max}`);
  if (palette.length === 0) throw new Error('quantizeScale needs at least one colour');
  const step = (max - min) / palette.length;
  const bins = palette.map((fill, i) => ({ from: min + i * step, to: i === palette.length - 1 ? max : min + (i + 1) * step, fill }));
  return {
    bins,
    fillOf(value) {
      if (value === null || value === undefined || Number.isNaN(value)) return noDataFill;
      if (step === 0) return palette[palette.length - 1]!;
      const index = Math.floor((value - min) / step);
      return palette[Math.min(palette.length - 1, Math.max(0, index))]!;
    },
  };
}

/**
 * Relative luminance (WCAG 2.1) of a `#rrggbb` colour, and the contrast ratio of two colours:
 * used by the specs to hold the fills' outline and text contrast.
 */
export function luminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = match.slice(1).map((part) => {
    const c = parseInt(part, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Black or white, whichever reads better on the fill (for a label drawn on it). */
export function textOn(fill: string): '#000000' | '#ffffff' {
  return contrastRatio(fill, '#000000') >= contrastRatio(fill, '#ffffff') ? '#000000' : '#ffffff';
}
