import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { useLanguage } from '../language';
import { denmarkShapes, normalizeCode, type DenmarkShapes, type Topology } from './denmark-geometry';
import { noDataFill } from './colour-scales';
import './map.css';

/**
 * What one municipality shows: its fill and the words that say the same (the label is in the
 * municipality's tooltip, the table alternative and the link's name, so colour is never the only
 * carrier).
 */
export interface MapCell {
  /** `#rrggbb` (see colour-scales.ts). */
  fill: string;
  /** e.g. "Tavs (> 15 min)" or "3 alarmer". */
  label: string;
  /** Makes the municipality a link (keyboard-reachable), e.g. `#/alerts/<id>`. */
  href?: string;
  /** Written as `data-state` on the shape (for styles and tests), e.g. `affected` or `silent`. */
  state?: string;
}

export interface MapLegendEntry {
  fill: string;
  label: string;
}

/**
 * The Denmark map's props — kept stable for the pages that use it (campaigns, ingestion, KL
 * statistics); add optional props only.
 *
 * - `title` (required): the map's accessible name (the SVG's `<title>`), shown as its caption.
 * - `description`: the SVG's `<desc>`, also shown under the caption.
 * - `cells`: by kommunekode (`"0751"`; 3-digit `"751"` is read as well); municipalities without a
 *   cell are drawn in `emptyFill` with `emptyLabel`.
 * - `legend`: the colours and their words, shown beside the map.
 * - `onSelect(code)`: makes every municipality with a cell a button (Tab, Enter/Space); `selected`
 *   marks one (`aria-pressed`). A cell's `href` makes it a link instead.
 * - `table`: false leaves out the table alternative (only where the page has the same figures in
 *   a table of its own); by default a "show as table" disclosure lists every cell.
 */
export interface DenmarkMapProps {
  title: string;
  description?: string;
  cells: Readonly<Record<string, MapCell | undefined>>;
  legend: readonly MapLegendEntry[];
  onSelect?: (code: string) => void;
  selected?: string;
  emptyFill?: string;
  emptyLabel?: string;
  table?: boolean;
}

let loading: Promise<DenmarkShapes> | undefined;

/** The boundaries, decoded once per page; loaded as their own chunk the first time a map is shown. */
export function loadDenmarkShapes(): Promise<DenmarkShapes> {
  loading ??= import('./kommuner.topojson?raw').then((module) => denmarkShapes(JSON.parse(module.default) as Topology));
  loading.catch(() => (loading = undefined));
  return loading;
}

function useDenmarkShapes(): { shapes?: DenmarkShapes; failure?: string } {
  const [state, setState] = useState<{ shapes?: DenmarkShapes; failure?: string }>({});
  useEffect(() => {
    let current = true;
    loadDenmarkShapes().then(
      (shapes) => current && setState({ shapes }),
      (error: Error) => current && setState({ failure: error.message }),
    );
    return () => {
      current = false;
    };
  }, []);
  return state;
}

/** Denmark's 98 municipalities as an SVG choropleth, with a legend, the map's credit and a table alternative. */
export function DenmarkMap({ title, description, cells, legend, onSelect, selected, emptyFill = noDataFill, emptyLabel, table = true }: DenmarkMapProps) {
  const { t } = useLanguage();
  const id = useId();
  const { shapes, failure } = useDenmarkShapes();
  const byCode = new Map<string, MapCell>();
  for (const [code, cell] of Object.entries(cells)) {
    const normalized = normalizeCode(code);
    if (normalized && cell) byCode.set(normalized, cell);
  }
  const empty = emptyLabel ?? t('map.noData');
  const onKey = (code: string) => (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect?.(code);
    }
  };

  return (
    <figure className="denmark-map" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>
        <span className="denmark-map-title">{title}</span>
        {description && <span className="denmark-map-description"> {description}</span>}
      </figcaption>
      <div className="denmark-map-body">
        {failure && (
          <p role="alert" className="error">
            {t('map.failed', { message: failure })}
          </p>
        )}
        {!shapes && !failure && <p role="status">{t('map.loading')}</p>}
        {shapes && (
          <svg
            viewBox={`0 0 ${shapes.width} ${shapes.height}`}
            role="group"
            aria-labelledby={`${id}-title`}
            aria-describedby={description ? `${id}-desc` : undefined}
          >
            <title id={`${id}-title`}>{title}</title>
            {description && <desc id={`${id}-desc`}>{description}</desc>}
            <g aria-hidden="true" className="inset">
              <rect x={shapes.insetFrame.x} y={shapes.insetFrame.y} width={shapes.insetFrame.width} height={shapes.insetFrame.height} />
              <text x={shapes.insetFrame.x + shapes.insetFrame.width} y={shapes.insetFrame.y + shapes.insetFrame.height + 13} textAnchor="end">
                {t('map.bornholm')}
              </text>
            </g>
            {shapes.shapes.map((shape) => {
              const cell = byCode.get(shape.code);
              const name = `${shape.name}: ${cell ? cell.label : empty}`;
              const path = (
                <path d={shape.d} fill={cell?.fill ?? emptyFill} data-code={shape.code} data-state={cell?.state} data-label={cell?.label}>
                  <title>{name}</title>
                </path>
              );
              if (cell?.href)
                return (
                  <a key={shape.code} href={cell.href} aria-label={name} className="selectable">
                    {path}
                  </a>
                );
              if (cell && onSelect)
                return (
                  <g
                    key={shape.code}
                    role="button"
                    tabIndex={0}
                    aria-label={name}
                    aria-pressed={selected === shape.code}
                    className="selectable"
                    onClick={() => onSelect(shape.code)}
                    onKeyDown={onKey(shape.code)}
                  >
                    {path}
                  </g>
                );
              return <g key={shape.code}>{path}</g>;
            })}
          </svg>
        )}
        <div className="denmark-map-side">
          <p className="denmark-map-legend-title" id={`${id}-legend`}>
            {t('map.legend')}
          </p>
          <ul className="denmark-map-legend" aria-labelledby={`${id}-legend`}>
            {legend.map((entry) => (
              <li key={entry.label}>
                <svg width="16" height="16" aria-hidden="true" focusable="false">
                  <rect x="0.5" y="0.5" width="15" height="15" fill={entry.fill} />
                </svg>{' '}
                {entry.label}
              </li>
            ))}
          </ul>
          <p className="denmark-map-credit">{t('map.credit')}</p>
        </div>
      </div>
      {table && shapes && byCode.size > 0 && (
        <details className="denmark-map-table">
          <summary>{t('map.asTable')}</summary>
          <table>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t('map.col.municipality')}</th>
                <th scope="col">{t('map.col.value')}</th>
              </tr>
            </thead>
            <tbody>
              {shapes.shapes
                .filter((shape) => byCode.has(shape.code))
                .map((shape) => {
                  const cell = byCode.get(shape.code)!;
                  return (
                    <tr key={shape.code} data-code={shape.code}>
                      <th scope="row">{cell.href ? <a href={cell.href}>{shape.name}</a> : shape.name}</th>
                      <td>{cell.label}</td>
                    </tr>
                  );
                })}
            </tbody>
          </table>
        </details>
      )}
    </figure>
  );
}
