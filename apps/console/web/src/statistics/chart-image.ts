/**
 * A chart as a picture to download: its SVG with the chart's title above it and the suppression
 * note under it, as one standalone SVG document, which the page then draws onto a canvas and
 * saves as PNG (chart-download.ts). Pure: strings in, a string out.
 *
 * The chart's SVG must carry its own look (fills, strokes, fonts as presentation attributes, not
 * the console's stylesheet): an SVG drawn as an image sees no page styles.
 */

export const xmlEscape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** Words into lines of at most `width` characters (a longer word stands on its own line). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export interface ChartPicture {
  /** The chart's `<svg>` element serialised (XMLSerializer), with its `viewBox`. */
  chartSvg: string;
  title: string;
  /** The suppression note (and anything else the reader must know), wrapped under the chart. */
  note: string;
  /** A legend drawn under the chart, a swatch and its words a line (the map's legend is HTML beside it on the page). */
  legend?: ReadonlyArray<{ fill: string; label: string }>;
  /** SVG definitions the legend's or the chart's fills refer to (`url(#…)`) that live outside the chart's own SVG. */
  defs?: string;
}

const margin = 16;
const titleSize = 16;
const noteSize = 12;
const noteLineHeight = 16;
const legendLineHeight = 20;
/** A narrow chart (the map) still gets a picture wide enough for its note. */
const minWidth = 600;
const font = 'DejaVu Sans, Arial, Helvetica, sans-serif';

/** The chart's size from its `viewBox` (`0 0 w h`). */
export function viewBoxSize(svg: string): { width: number; height: number } {
  const match = /<svg\b[^>]*\bviewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"/.exec(svg);
  if (!match) throw new Error('the chart has no viewBox to size its picture by');
  return { width: Number(match[1]), height: Number(match[2]) };
}

/**
 * One standalone SVG document: white ground, the title, the chart at its own size, the note's
 * lines; and its size in CSS pixels.
 */
export function chartPictureSvg({ chartSvg, title, note, legend = [], defs }: ChartPicture): { svg: string; width: number; height: number } {
  const chart = viewBoxSize(chartSvg);
  const width = Math.max(chart.width, minWidth) + 2 * margin;
  const noteLines = wrapWords(note, Math.floor(((width - 2 * margin) / noteSize) * 1.9));
  const chartTop = margin + titleSize + 12;
  const legendTop = chartTop + chart.height + 8;
  const noteTop = legendTop + legend.length * legendLineHeight;
  const height = noteTop + noteLines.length * noteLineHeight + margin;
  // The chart's own <svg> nested at its place: position and size set on its opening tag.
  const placed = chartSvg.replace(/^<svg\b/, `<svg x="${margin}" y="${chartTop}" width="${chart.width}" height="${chart.height}"`);
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${font}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${margin}" y="${margin + titleSize}" font-size="${titleSize}" font-weight="bold" fill="#1b1b1b">${xmlEscape(title)}</text>`,
    ...(defs ? [`<defs>${defs}</defs>`] : []),
    placed,
    ...legend.flatMap((entry, i) => {
      const y = legendTop + i * legendLineHeight;
      return [
        `<rect x="${margin}" y="${y + 2}" width="14" height="14" fill="${xmlEscape(entry.fill)}" stroke="#5c5c5c"/>`,
        `<text x="${margin + 20}" y="${y + 13}" font-size="${noteSize}" fill="#1b1b1b">${xmlEscape(entry.label)}</text>`,
      ];
    }),
    ...noteLines.map(
      (line, i) => `<text x="${margin}" y="${noteTop + (i + 1) * noteLineHeight - 4}" font-size="${noteSize}" fill="#4a4a4a">${xmlEscape(line)}</text>`,
    ),
    '</svg>',
  ].join('\n');
  return { svg, width, height };
}

/** An SVG document as a `data:` URL (the console's Content-Security-Policy allows `img-src data:`). */
export const svgDataUrl = (svg: string): string => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/** A file name from a chart's id and the period it shows: `<chart>_<from>_<to>_<granularity>.<ext>`. */
export const chartFileName = (chart: string, period: { from: string; to: string; granularity: string }, extension: 'csv' | 'png'): string =>
  `${chart}_${period.from}_${period.to}_${period.granularity}.${extension}`.replace(/[^\w.-]+/g, '-');
