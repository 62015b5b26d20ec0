import { useRef, type ReactNode } from 'react';
import { useLanguage } from '../language';
import { ChartExportButtons } from './ChartExportButtons';
import type { ChartTable } from './chart-csv';
import { downloadPng } from './chart-download';

/**
 * Plain SVG charts, drawn from the figures alone (no chart library): a band (median with its
 * quartiles) and bars. Each is an image with a text summary for screen readers; tables on the page
 * hold every figure. A withheld bucket is drawn hatched with its word in the legend, never as a
 * zero. Every chart carries its own look as presentation attributes (not the stylesheet), so its
 * SVG is the same picture when exported as PNG; each has CSV and PNG downloads of what it shows.
 */
const width = 720;
const plotHeight = 180;
const pad = { left: 56, right: 12, top: 16, bottom: 28 };
const plotWidth = width - pad.left - pad.right;
const legendHeight = 24;

/** Colours with WCAG AA contrast on white where they carry text (styles.css's palette). */
export const chartColours = { text: '#4a4a4a', grid: '#e3e3e3', axis: '#767676', band: '#9fbbe0', accent: '#1b4f8a', hatch: '#767676', hatchGround: '#f2f2f2' };
const font = { family: 'system-ui, DejaVu Sans, Arial, sans-serif', size: 11 };

export interface Point {
  bucket: string;
  /** The axis label, when it is not the bucket (a region's name). */
  label?: string;
  value?: number;
  low?: number;
  high?: number;
  /** Withheld by the suppression rules: drawn hatched, never as 0. */
  withheld?: boolean;
}

/** What a chart's downloads need: its table (CSV), a file name per format, and the note the picture carries. */
export interface ChartExport {
  table: ChartTable;
  fileName(extension: 'csv' | 'png'): string;
  note: string;
}

const niceMax = (max: number) => {
  if (max <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / step) * step;
};

const slotX = (i: number, count: number) => pad.left + (i / Math.max(1, count)) * plotWidth;
const slotWidth = (count: number) => plotWidth / Math.max(1, count);
const yOf = (top: number) => (v: number) => pad.top + plotHeight - (v / top) * plotHeight;

function WithheldPattern({ id }: { id: string }) {
  return (
    <defs>
      <pattern id={id} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
        <rect width="6" height="6" fill={chartColours.hatchGround} />
        <line x1="0" y1="0" x2="0" y2="6" stroke={chartColours.hatch} strokeWidth="2" />
      </pattern>
    </defs>
  );
}

function Axes({ top, format, points }: { top: number; format(n: number): string; points: readonly Point[] }) {
  const ticks = [0, top / 2, top];
  const every = Math.max(1, Math.ceil(points.length / 8));
  const y = yOf(top);
  return (
    <g className="axes" aria-hidden="true" fill={chartColours.text}>
      {ticks.map((tick) => (
        <g key={tick}>
          <line x1={pad.left} x2={width - pad.right} y1={y(tick)} y2={y(tick)} className="grid" stroke={chartColours.grid} />
          <text x={pad.left - 6} y={y(tick) + 4} textAnchor="end">
            {format(tick)}
          </text>
        </g>
      ))}
      {points.map((p, i) =>
        i % every === 0 ? (
          <text key={p.bucket} x={slotX(i, points.length) + slotWidth(points.length) / 2} y={pad.top + plotHeight + 18} textAnchor="middle">
            {p.label ?? p.bucket}
          </text>
        ) : null,
      )}
    </g>
  );
}

/** The hatched frame of a withheld bucket, over the plot's full height, with the word when there is room. */
function WithheldSlots({ id, points, word }: { id: string; points: readonly Point[]; word?: string }) {
  const slot = slotWidth(points.length);
  return (
    <g className="withheld-slots">
      {points.map((p, i) =>
        p.withheld ? (
          <g key={p.bucket} className="withheld" data-bucket={p.bucket}>
            <rect
              x={slotX(i, points.length) + slot * 0.1}
              width={slot * 0.8}
              y={pad.top}
              height={plotHeight}
              fill={`url(#${id}-hatch)`}
              stroke={chartColours.hatch}
              strokeDasharray="4 3"
            />
            {word && (
              <text
                x={slotX(i, points.length) + slot / 2}
                y={pad.top + plotHeight / 2}
                textAnchor="middle"
                fill="#1b1b1b"
                stroke="#ffffff"
                strokeWidth="4"
                paintOrder="stroke"
              >
                {word}
              </text>
            )}
          </g>
        ) : null,
      )}
    </g>
  );
}

function ChartFigure({
  id,
  title,
  summary,
  points,
  exportAs,
  children,
}: {
  id: string;
  title: string;
  summary: string;
  points: readonly Point[];
  exportAs: ChartExport;
  children: ReactNode;
}) {
  const { t } = useLanguage();
  const svg = useRef<SVGSVGElement>(null);
  const legend = points.some((p) => p.withheld);
  const height = pad.top + plotHeight + pad.bottom + (legend ? legendHeight : 0);
  const png = () => (svg.current ? downloadPng(svg.current, { title, note: exportAs.note }, exportAs.fileName('png')) : undefined);
  return (
    <figure className="chart" id={id}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <svg ref={svg} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}. ${summary}`} fontFamily={font.family} fontSize={font.size}>
        <WithheldPattern id={`${id}-hatch`} />
        <rect width={width} height={height} fill="#ffffff" />
        {children}
        {legend && (
          <g className="legend" aria-hidden="true">
            <rect
              x={pad.left}
              y={height - legendHeight + 4}
              width="14"
              height="14"
              fill={`url(#${id}-hatch)`}
              stroke={chartColours.hatch}
              strokeDasharray="4 3"
            />
            <text x={pad.left + 20} y={height - legendHeight + 15} fill={chartColours.text}>
              {t('statistics.withheldLegend')}
            </text>
          </g>
        )}
      </svg>
      <ChartExportButtons title={title} exportAs={exportAs} png={png} />
    </figure>
  );
}

export function BandChart({
  id,
  title,
  summary,
  points,
  exportAs,
}: {
  id: string;
  title: string;
  summary: string;
  points: readonly Point[];
  exportAs: ChartExport;
}) {
  const top = niceMax(Math.max(0, ...points.map((p) => p.high ?? p.value ?? 0)));
  const slot = slotWidth(points.length);
  const x = (i: number) => slotX(i, points.length) + slot / 2;
  const y = yOf(top);
  return (
    <ChartFigure id={id} title={title} summary={summary} points={points} exportAs={exportAs}>
      <Axes top={top} format={(n) => String(Math.round(n))} points={points} />
      <WithheldSlots id={id} points={points} />
      {points.map((p, i) =>
        p.low !== undefined && p.high !== undefined ? (
          <rect
            key={`band-${p.bucket}`}
            className="band"
            fill={chartColours.band}
            x={x(i) - slot / 3}
            width={slot * (2 / 3)}
            y={y(p.high)}
            height={Math.max(1, y(p.low) - y(p.high))}
          />
        ) : null,
      )}
      {points.map((p, i) =>
        p.value !== undefined ? <circle key={`median-${p.bucket}`} className="median" fill={chartColours.accent} cx={x(i)} cy={y(p.value)} r={3} /> : null,
      )}
    </ChartFigure>
  );
}

export function BarChart({
  id,
  title,
  summary,
  points,
  exportAs,
  percent,
  valueLabels,
  withheldWord,
}: {
  id: string;
  title: string;
  summary: string;
  points: readonly Point[];
  exportAs: ChartExport;
  percent?: boolean;
  /** Each bar's figure written above it (few bars: regions). */
  valueLabels?: (n: number) => string;
  /** Each withheld slot says so in words (few bars: regions). */
  withheldWord?: string;
}) {
  const top = percent ? 1 : niceMax(Math.max(0, ...points.map((p) => p.value ?? 0)));
  const slot = slotWidth(points.length);
  const y = yOf(top);
  return (
    <ChartFigure id={id} title={title} summary={summary} points={points} exportAs={exportAs}>
      <Axes top={top} format={(n) => (percent ? `${Math.round(n * 100)} %` : String(Math.round(n)))} points={points} />
      <WithheldSlots id={id} points={points} word={withheldWord} />
      {points.map((p, i) =>
        p.value !== undefined ? (
          <g key={p.bucket} data-bucket={p.bucket}>
            <rect
              className="bar"
              fill={chartColours.accent}
              x={slotX(i, points.length) + slot * 0.15}
              width={slot * 0.7}
              y={y(p.value)}
              height={pad.top + plotHeight - y(p.value)}
            />
            {valueLabels && (
              <text x={slotX(i, points.length) + slot / 2} y={y(p.value) - 4} textAnchor="middle" fill="#1b1b1b">
                {valueLabels(p.value)}
              </text>
            )}
          </g>
        ) : null,
      )}
    </ChartFigure>
  );
}
