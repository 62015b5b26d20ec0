import { useEffect, useMemo, useRef, useState } from 'react';
import { municipalities } from '../../../../../libs/members/src/municipalities';
import { alerting, ApiError, dataOf } from '../api';
import { useLanguage } from '../language';
import { DenmarkMap, type MapCell, type MapLegendEntry } from '../map/DenmarkMap';
import { noDataFill, quantizeScale, sequentialBlues } from '../map/colour-scales';
import type { ChartExport } from './Charts';
import type { CellFigures, Granularity } from './cell-figures';
import { ChartExportButtons } from './ChartExportButtons';
import { downloadPng } from './chart-download';
import { mapTable } from './chart-tables';
import { areasByMunicipality, areasByRegion, largestShown, municipalityRowOf, type MapArea, type MunicipalityRow } from './map-figures';
import { withheldReasonText } from './withheld-reason';

/** Withheld municipalities are hatched, as withheld buckets are in the charts (the pattern is defined once, below the map). */
const hatchId = 'statistics-map-withheld';
const withheldFill = `url(#${hatchId})`;

const niceTop = (max: number) => {
  if (max <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / step) * step;
};

/**
 * The choropleth of one bucket on the Denmark map (map/DenmarkMap.tsx), coloured only where the
 * suppression rules allow. When the API gives this person the named per-municipality table
 * (`GET /v1/statistics/municipalities`: SOC roles, or KL with STATISTICS_NAME_MUNICIPALITIES=true),
 * each municipality shows its own attempts per day; otherwise (KL by default, 403) each shows its
 * region's published median, and the municipalities of a withheld region are hatched and say
 * "withheld" with the reason, in the legend and the table alike.
 */
export function StatisticsMap({
  period,
  granularity,
  bucket,
  regionCells,
  exportOf,
}: {
  period: { from: string; to: string };
  granularity: Granularity;
  bucket: string;
  regionCells: readonly CellFigures[];
  exportOf(chart: string, table: ReturnType<typeof mapTable>): ChartExport;
}) {
  const { t, language } = useLanguage();
  const [named, setNamed] = useState<MunicipalityRow[] | null>();
  const [failure, setFailure] = useState<string>();
  const frame = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let current = true;
    setNamed(undefined);
    alerting
      .GET('/v1/statistics/municipalities', { params: { query: { ...period, granularity, format: 'json' } } })
      .then(dataOf)
      .then(
        (answer) => {
          if (!current) return;
          if (typeof answer === 'string') throw new Error('the statistics API answered text where JSON was asked for');
          setNamed(answer.municipalities.map(municipalityRowOf).filter((r): r is MunicipalityRow => r !== undefined));
        },
        // 403: named figures are not published to this person; the regions' cells are.
        (error: Error) => current && (error instanceof ApiError && error.status === 403 ? setNamed(null) : setFailure(error.message)),
      )
      .catch((error: Error) => current && setFailure(error.message));
    return () => {
      current = false;
    };
  }, [period, granularity]);

  const areas = useMemo<MapArea[] | undefined>(
    () =>
      named === undefined
        ? undefined
        : named === null
          ? areasByRegion(municipalities, regionCells, bucket)
          : areasByMunicipality(municipalities, named, bucket),
    [named, regionCells, bucket],
  );
  const number = new Intl.NumberFormat(language === 'da' ? 'da-DK' : 'en-GB', { maximumFractionDigits: 1 });
  const scale = quantizeScale(0, niceTop(largestShown(areas ?? [])), sequentialBlues);
  const withheldLabel = t('statistics.suppressed');
  const legend: MapLegendEntry[] = [
    ...scale.bins.map((bin) => ({ fill: bin.fill, label: `${number.format(bin.from)}–${number.format(bin.to)} ${t('statistics.perDayUnit')}` })),
    { fill: withheldFill, label: t('statistics.withheldLegend') },
    { fill: noDataFill, label: t('statistics.mapNoData') },
  ];
  const cells: Record<string, MapCell> = {};
  for (const area of areas ?? []) {
    if (area.state === 'shown')
      cells[area.code] = {
        fill: scale.fillOf(area.value),
        label: `${number.format(area.value)} ${t('statistics.perDayUnit')} (${t(area.source === 'region' ? 'statistics.regionMedian' : 'statistics.ownFigure')})`,
        state: 'shown',
      };
    else if (area.state === 'withheld') {
      const reason = withheldReasonText(area.reason);
      cells[area.code] = { fill: withheldFill, label: area.reason ? t(reason.key, reason.values) : withheldLabel, state: 'withheld' };
    } else cells[area.code] = { fill: noDataFill, label: t('statistics.mapNoData'), state: 'no-data' };
  }
  const title = t('statistics.mapTitle', { bucket });
  const description = t(named ? 'statistics.mapByMunicipality' : 'statistics.mapByRegion');
  const exportAs = areas ? exportOf(`map-${bucket}`, mapTable(bucket, areas)) : undefined;
  const png = () => {
    const svg = frame.current?.querySelector<SVGSVGElement>('svg[role="group"]');
    const hatch = frame.current?.querySelector('.statistics-map-defs pattern');
    if (!svg || !hatch || !exportAs) return undefined;
    return downloadPng(
      svg,
      { title, note: `${description} ${exportAs.note}`, legend, defs: new XMLSerializer().serializeToString(hatch) },
      exportAs.fileName('png'),
    );
  };

  return (
    <div id="chart-map" className="statistics-map" ref={frame} data-source={named === undefined ? undefined : named ? 'municipality' : 'region'}>
      {/* The hatch the withheld municipalities and their legend swatch are filled with. */}
      <svg width="0" height="0" aria-hidden="true" focusable="false" className="statistics-map-defs">
        <defs>
          <pattern id={hatchId} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#d9d9d9" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#4a4a4a" strokeWidth="2" />
          </pattern>
        </defs>
      </svg>
      {failure && (
        <p role="alert" className="error">
          {t('app.error', { message: failure })}
        </p>
      )}
      {!areas && !failure && <p role="status">{t('app.loading')}</p>}
      {areas && exportAs && (
        <>
          <DenmarkMap title={title} description={description} cells={cells} legend={legend} />
          <ChartExportButtons title={title} exportAs={exportAs} png={png} />
        </>
      )}
    </div>
  );
}
