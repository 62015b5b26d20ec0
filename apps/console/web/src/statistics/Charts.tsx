/**
 * Plain SVG charts, drawn from the figures alone (no chart library): a band (median with its
 * quartiles) and bars. Each is an image with a text summary for screen readers; the table under
 * the charts holds every figure. A withheld bucket is a gap, never a zero.
 */
const width = 720;
const height = 220;
const pad = { left: 48, right: 12, top: 12, bottom: 28 };
const plotWidth = width - pad.left - pad.right;
const plotHeight = height - pad.top - pad.bottom;

export interface Point {
  bucket: string;
  value?: number;
  low?: number;
  high?: number;
}

const niceMax = (max: number) => {
  if (max <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / step) * step;
};

function Axes({ top, format, points }: { top: number; format(n: number): string; points: readonly Point[] }) {
  const ticks = [0, top / 2, top];
  const every = Math.max(1, Math.ceil(points.length / 8));
  return (
    <g className="axes" aria-hidden="true">
      {ticks.map((tick) => {
        const y = pad.top + plotHeight - (tick / top) * plotHeight;
        return (
          <g key={tick}>
            <line x1={pad.left} x2={width - pad.right} y1={y} y2={y} className="grid" />
            <text x={pad.left - 6} y={y + 4} textAnchor="end">
              {format(tick)}
            </text>
          </g>
        );
      })}
      {points.map((p, i) =>
        i % every === 0 ? (
          <text key={p.bucket} x={pad.left + ((i + 0.5) / points.length) * plotWidth} y={height - 8} textAnchor="middle">
            {p.bucket}
          </text>
        ) : null,
      )}
    </g>
  );
}

export function BandChart({ id, title, summary, points }: { id: string; title: string; summary: string; points: readonly Point[] }) {
  const top = niceMax(Math.max(0, ...points.map((p) => p.high ?? p.value ?? 0)));
  const x = (i: number) => pad.left + ((i + 0.5) / points.length) * plotWidth;
  const y = (v: number) => pad.top + plotHeight - (v / top) * plotHeight;
  return (
    <figure className="chart" id={id}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}. ${summary}`}>
        <Axes top={top} format={(n) => String(Math.round(n))} points={points} />
        {points.map((p, i) =>
          p.low !== undefined && p.high !== undefined ? (
            <rect
              key={`band-${p.bucket}`}
              className="band"
              x={x(i) - plotWidth / points.length / 3}
              width={(plotWidth / points.length) * (2 / 3)}
              y={y(p.high)}
              height={Math.max(1, y(p.low) - y(p.high))}
            />
          ) : null,
        )}
        {points.map((p, i) => (p.value !== undefined ? <circle key={`median-${p.bucket}`} className="median" cx={x(i)} cy={y(p.value)} r={3} /> : null))}
      </svg>
    </figure>
  );
}

export function BarChart({ id, title, summary, points, percent }: { id: string; title: string; summary: string; points: readonly Point[]; percent?: boolean }) {
  const top = percent ? 1 : niceMax(Math.max(0, ...points.map((p) => p.value ?? 0)));
  const slot = plotWidth / Math.max(1, points.length);
  return (
    <figure className="chart" id={id}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}. ${summary}`}>
        <Axes top={top} format={(n) => (percent ? `${Math.round(n * 100)} %` : String(Math.round(n)))} points={points} />
        {points.map((p, i) =>
          p.value !== undefined ? (
            <rect
              key={p.bucket}
              className="bar"
              x={pad.left + i * slot + slot * 0.15}
              width={slot * 0.7}
              y={pad.top + plotHeight - (p.value / top) * plotHeight}
              height={(p.value / top) * plotHeight}
            />
          ) : null,
        )}
      </svg>
    </figure>
  );
}
