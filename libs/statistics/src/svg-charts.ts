import type { Distribution } from './quantiles';

/**
 * Small inline SVG charts for the KL report, generated here rather than by a chart library: four
 * chart kinds, fixed sizes, print-safe (no scripts, no fonts to load), and every bar or box is
 * drawn from a published figure or marked withheld. Pure: strings in, a string out.
 */
export interface Bar {
  label: string;
  /** null: the cell is withheld, drawn as an empty dashed frame. */
  value: number | null;
}

export interface BarChartOptions {
  title: string;
  width?: number;
  height?: number;
  /** The label above a bar. */
  format: (value: number) => string;
  /** A reference line (e.g. the previous period) and its label. */
  reference?: { value: number; label: string };
  /** The axis maximum; default the largest value. */
  max?: number;
}

export const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const fmt = (n: number) => (Math.round(n * 10) / 10).toString();
const INK = '#1f3a5f';
const MUTED = '#8a96a3';
const WITHHELD = '#c9d1d9';

function frame(width: number, height: number, title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="Helvetica, Arial, sans-serif" font-size="10"><title>${escapeXml(title)}</title>${body}</svg>`;
}

/** Vertical bars; with many bars only every few labels are written so they stay legible. */
export function barChart(bars: readonly Bar[], options: BarChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 200;
  const left = 8;
  const top = 16;
  const bottom = 22;
  const plotHeight = height - top - bottom;
  const max = Math.max(options.max ?? 0, ...bars.map((b) => b.value ?? 0), options.reference?.value ?? 0) || 1;
  const step = (width - left * 2) / Math.max(bars.length, 1);
  const barWidth = Math.max(step * 0.7, 1);
  const labelEvery = bars.length > 16 ? Math.ceil(bars.length / 16) : 1;
  const parts: string[] = [
    `<line x1="${left}" y1="${top + plotHeight}" x2="${width - left}" y2="${top + plotHeight}" stroke="${MUTED}"/>`,
    // The axis' top, so bars without their own label can still be read.
    `<line x1="${left}" y1="${top}" x2="${width - left}" y2="${top}" stroke="#e3e7eb"/><text x="${left}" y="${top - 4}" fill="${MUTED}">${escapeXml(options.format(max))}</text>`,
  ];
  bars.forEach((bar, i) => {
    const x = left + i * step + (step - barWidth) / 2;
    const centre = x + barWidth / 2;
    if (bar.value === null) {
      parts.push(
        `<rect x="${fmt(x)}" y="${top}" width="${fmt(barWidth)}" height="${plotHeight}" fill="none" stroke="${WITHHELD}" stroke-dasharray="3 2"><title>${escapeXml(bar.label)}: tilbageholdt</title></rect>`,
      );
    } else {
      const h = (bar.value / max) * plotHeight;
      parts.push(
        `<rect x="${fmt(x)}" y="${fmt(top + plotHeight - h)}" width="${fmt(barWidth)}" height="${fmt(h)}" fill="${INK}"><title>${escapeXml(`${bar.label}: ${options.format(bar.value)}`)}</title></rect>`,
      );
      if (bars.length <= 16)
        parts.push(`<text x="${fmt(centre)}" y="${fmt(top + plotHeight - h - 3)}" text-anchor="middle">${escapeXml(options.format(bar.value))}</text>`);
    }
    if (i % labelEvery === 0) parts.push(`<text x="${fmt(centre)}" y="${height - 8}" text-anchor="middle" fill="#333">${escapeXml(bar.label)}</text>`);
  });
  if (options.reference) {
    const y = top + plotHeight - (options.reference.value / max) * plotHeight;
    parts.push(
      `<line x1="${left}" y1="${fmt(y)}" x2="${width - left}" y2="${fmt(y)}" stroke="#b5482a" stroke-dasharray="5 3"/>`,
      // Above the plot, so the label never sits on a bar.
      `<text x="${width - left}" y="${top - 4}" text-anchor="end" fill="#b5482a">- - ${escapeXml(options.reference.label)}</text>`,
    );
  }
  return frame(width, height, options.title, parts.join(''));
}

/** Horizontal bars with their labels on the left: regions, categories. */
export function horizontalBarChart(bars: readonly Bar[], options: BarChartOptions & { labelWidth?: number }): string {
  const width = options.width ?? 640;
  const rowHeight = 22;
  const height = options.height ?? bars.length * rowHeight + 8;
  const labelWidth = options.labelWidth ?? 210;
  const plotWidth = width - labelWidth - 80;
  const max = Math.max(options.max ?? 0, ...bars.map((b) => b.value ?? 0)) || 1;
  const parts = bars.map((bar, i) => {
    const y = 4 + i * rowHeight;
    const label = `<text x="${labelWidth - 6}" y="${y + 14}" text-anchor="end" fill="#333">${escapeXml(bar.label)}</text>`;
    if (bar.value === null)
      return `${label}<rect x="${labelWidth}" y="${y + 3}" width="${plotWidth}" height="14" fill="none" stroke="${WITHHELD}" stroke-dasharray="3 2"/><text x="${labelWidth + 6}" y="${y + 14}" fill="${MUTED}">tilbageholdt</text>`;
    const w = (bar.value / max) * plotWidth;
    return `${label}<rect x="${labelWidth}" y="${y + 3}" width="${fmt(w)}" height="14" fill="${INK}"/><text x="${fmt(labelWidth + w + 4)}" y="${y + 14}">${escapeXml(options.format(bar.value))}</text>`;
  });
  return frame(width, height, options.title, parts.join(''));
}

/**
 * Box plots (min–max whiskers, Q1–Q3 box, median line) on a log scale (log10(1 + v)): attempts
 * per municipality-day run from 0 to thousands, and a linear axis would flatten every box.
 */
export function boxPlotChart(
  boxes: ReadonlyArray<{ label: string; distribution: Distribution | null }>,
  options: { title: string; width?: number; height?: number },
): string {
  const width = options.width ?? 640;
  const height = options.height ?? 220;
  const left = 40;
  const top = 10;
  const bottom = 22;
  const plotHeight = height - top - bottom;
  const scale = (v: number) => Math.log10(1 + v);
  const max = Math.max(1, ...boxes.map((b) => (b.distribution ? scale(b.distribution.max) : 0)));
  const y = (v: number) => top + plotHeight - (scale(v) / max) * plotHeight;
  const step = (width - left - 8) / Math.max(boxes.length, 1);
  const boxWidth = Math.max(step * 0.6, 2);
  const labelEvery = boxes.length > 16 ? Math.ceil(boxes.length / 16) : 1;
  const parts: string[] = [];
  for (let tick = 0; scale(tick) <= max * 1.0001; tick = tick === 0 ? 10 : tick * 10) {
    parts.push(
      `<line x1="${left}" y1="${fmt(y(tick))}" x2="${width - 8}" y2="${fmt(y(tick))}" stroke="#e3e7eb"/><text x="${left - 4}" y="${fmt(y(tick) + 3)}" text-anchor="end" fill="${MUTED}">${tick}</text>`,
    );
  }
  boxes.forEach((box, i) => {
    const x = left + i * step + (step - boxWidth) / 2;
    const centre = x + boxWidth / 2;
    const d = box.distribution;
    if (!d)
      parts.push(`<rect x="${fmt(x)}" y="${top}" width="${fmt(boxWidth)}" height="${plotHeight}" fill="none" stroke="${WITHHELD}" stroke-dasharray="3 2"/>`);
    else
      parts.push(
        `<g><title>${escapeXml(`${box.label}: min ${d.min}, Q1 ${d.q1}, median ${d.median}, Q3 ${d.q3}, max ${d.max}`)}</title>`,
        `<line x1="${fmt(centre)}" y1="${fmt(y(d.max))}" x2="${fmt(centre)}" y2="${fmt(y(d.min))}" stroke="${MUTED}"/>`,
        `<rect x="${fmt(x)}" y="${fmt(y(d.q3))}" width="${fmt(boxWidth)}" height="${fmt(Math.max(y(d.q1) - y(d.q3), 1))}" fill="#9fb7d0" stroke="${INK}"/>`,
        `<line x1="${fmt(x)}" y1="${fmt(y(d.median))}" x2="${fmt(x + boxWidth)}" y2="${fmt(y(d.median))}" stroke="${INK}" stroke-width="2"/></g>`,
      );
    if (i % labelEvery === 0) parts.push(`<text x="${fmt(centre)}" y="${height - 8}" text-anchor="middle" fill="#333">${escapeXml(box.label)}</text>`);
  });
  return frame(width, height, options.title, parts.join(''));
}
