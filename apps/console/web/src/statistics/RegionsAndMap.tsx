import { useEffect, useMemo, useState } from 'react';
import { alerting, dataOf } from '../api';
import { useLanguage } from '../language';
import { BarChart, type ChartExport } from './Charts';
import { defaultBucket, figuresOf, type CellFigures, type Granularity } from './cell-figures';
import type { ChartTable } from './chart-csv';
import { regionsTable } from './chart-tables';
import { regionCodes, regionNames } from './regions';
import { StatisticsMap } from './StatisticsMap';
import { withheldReasonText } from './withheld-reason';

/**
 * The five regions of one bucket of the period (chosen here; the newest with figures first) from
 * `GET /v1/statistics/regions`: a bar of attempts per region, a withheld region hatched and named
 * as withheld (never a zero), the table of the region cells, and the map of the same bucket.
 */
export function RegionsAndMap({
  period,
  granularity,
  exportOf,
}: {
  period: { from: string; to: string };
  granularity: Granularity;
  exportOf(chart: string, table: ChartTable): ChartExport;
}) {
  const { t, language } = useLanguage();
  const [cells, setCells] = useState<CellFigures[]>();
  const [failure, setFailure] = useState<string>();
  const [chosen, setChosen] = useState<string>();

  useEffect(() => {
    let current = true;
    setCells(undefined);
    alerting
      .GET('/v1/statistics/regions', { params: { query: { ...period, granularity, format: 'json' } } })
      .then(dataOf)
      .then(
        (answer) => {
          if (!current) return;
          if (typeof answer === 'string') throw new Error('the statistics API answered text where JSON was asked for');
          setCells(answer.cells.map(figuresOf));
          setChosen(undefined);
          setFailure(undefined);
        },
        (error: Error) => current && setFailure(error.message),
      )
      .catch((error: Error) => current && setFailure(error.message));
    return () => {
      current = false;
    };
  }, [period, granularity]);

  const buckets = useMemo(() => [...new Set((cells ?? []).map((c) => c.bucket))].sort(), [cells]);
  const bucket = chosen ?? (cells ? defaultBucket(cells) : undefined);
  const regionCells = useMemo(
    () =>
      regionCodes.map(
        (code): CellFigures =>
          cells?.find((c) => c.bucket === bucket && c.group === code) ?? {
            bucket: bucket ?? '',
            group: code,
            // A SOC role's answer leaves out a region without data; KL's always has all five.
            suppressed: true,
            reason: '',
          },
      ),
    [cells, bucket],
  );
  const number = new Intl.NumberFormat(language === 'da' ? 'da-DK' : 'en-GB');
  const percent = new Intl.NumberFormat(language === 'da' ? 'da-DK' : 'en-GB', { style: 'percent', maximumFractionDigits: 0 });
  const reasonOf = (c: Extract<CellFigures, { suppressed: true }>) =>
    c.reason ? t(withheldReasonText(c.reason).key, withheldReasonText(c.reason).values) : t('statistics.mapNoData');
  const title = t('statistics.regionsChart', { bucket: bucket ?? '' });

  return (
    <section id="statistics-regions-section" aria-labelledby="statistics-regions-heading">
      <h3 id="statistics-regions-heading">{t('statistics.regionsHeading')}</h3>
      {failure && (
        <p role="alert" className="error">
          {t('app.error', { message: failure })}
        </p>
      )}
      {!cells && !failure && <p role="status">{t('app.loading')}</p>}
      {cells && buckets.length === 0 && <p>{t('statistics.noBucket')}</p>}
      {cells && bucket !== undefined && (
        <>
          <p>
            <label>
              {t('statistics.regionBucket')}{' '}
              <select id="statistics-region-bucket" value={bucket} onChange={(event) => setChosen(event.currentTarget.value)}>
                {buckets.map((b) => (
                  <option key={b} value={b}>
                    {b}
                  </option>
                ))}
              </select>
            </label>
          </p>
          <BarChart
            id="chart-regions"
            title={title}
            summary={regionCells
              .map((c) => `${regionNames[c.group as keyof typeof regionNames]}: ${c.suppressed ? t('statistics.suppressed') : number.format(c.attempts)}`)
              .join('; ')}
            points={regionCells.map((c) => ({
              bucket: c.group,
              label: regionNames[c.group as keyof typeof regionNames],
              ...(c.suppressed ? { withheld: true } : { value: c.attempts }),
            }))}
            valueLabels={(n) => number.format(n)}
            withheldWord={t('statistics.suppressed')}
            exportAs={exportOf(`regions-${bucket}`, regionsTable(regionCells))}
          />
          <table id="statistics-regions">
            <caption>{t('statistics.regionsTable', { bucket })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('statistics.region')}</th>
                <th scope="col">{t('statistics.municipalities')}</th>
                <th scope="col">{t('statistics.attempts')}</th>
                <th scope="col">{t('statistics.median')}</th>
                <th scope="col">{t('statistics.share')}</th>
              </tr>
            </thead>
            <tbody>
              {regionCells.map((c) =>
                c.suppressed ? (
                  <tr key={c.group} data-region={c.group} data-suppressed="true">
                    <th scope="row">{regionNames[c.group as keyof typeof regionNames]}</th>
                    <td colSpan={4}>{reasonOf(c)}</td>
                  </tr>
                ) : (
                  <tr key={c.group} data-region={c.group}>
                    <th scope="row">{regionNames[c.group as keyof typeof regionNames]}</th>
                    <td>{number.format(c.municipalities)}</td>
                    <td>{number.format(c.attempts)}</td>
                    <td>{number.format(c.median)}</td>
                    <td>{percent.format(c.shareAbove)}</td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
          <StatisticsMap period={period} granularity={granularity} bucket={bucket} regionCells={cells} exportOf={exportOf} />
        </>
      )}
    </section>
  );
}
