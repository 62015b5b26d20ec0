import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { alerting, dataOf, type AttemptsReport } from '../api';
import { useLanguage } from '../language';
import { BandChart, BarChart, type ChartExport } from './Charts';
import { categoryTotals, defaultFinalAfterDays, figuresOf, lastBuckets, lastFinalDay, type Granularity } from './cell-figures';
import type { ChartTable } from './chart-csv';
import { chartFileName } from './chart-image';
import { categoriesTable, medianTable, reportingTable, shareTable } from './chart-tables';
import { RegionsAndMap } from './RegionsAndMap';
import { withheldReasonText } from './withheld-reason';

const bucketCount: Record<Granularity, number> = { day: 30, week: 12, month: 12 };

/**
 * KL's page: attack attempts per day, week or month, as the statistics API publishes them (cells
 * with too few municipalities withheld), in charts (median and quartiles, share above the
 * threshold, municipalities reporting, categories, regions, the map) and the table of their
 * figures; each chart downloads as CSV and PNG, and the API's own CSV of the period is linked.
 */
export function StatisticsPage() {
  const { t, language } = useLanguage();
  const [granularity, setGranularity] = useState<Granularity>('day');
  const [finalAfterDays, setFinalAfterDays] = useState(defaultFinalAfterDays);
  const periodOf = (g: Granularity, finalDays: number) => lastBuckets(g, bucketCount[g], lastFinalDay(new Date(), finalDays));
  const [period, setPeriod] = useState(() => periodOf('day', defaultFinalAfterDays));
  const [report, setReport] = useState<AttemptsReport>();
  const [failure, setFailure] = useState<string>();

  useEffect(() => {
    let current = true;
    alerting
      .GET('/v1/statistics/attempts', { params: { query: { ...period, granularity, format: 'json' } } })
      .then(dataOf)
      .then((answer) => {
        // The route answers CSV too (format=csv); asked for JSON, a text answer is a fault.
        if (typeof answer === 'string') throw new Error('the statistics API answered text where JSON was asked for');
        return answer;
      })
      .then(
        (answer) => {
          if (!current) return;
          setReport(answer);
          setFailure(undefined);
          // A deployment that waits longer before publishing: ask again for its newest final period.
          if (answer.final_after_days > finalAfterDays) {
            setFinalAfterDays(answer.final_after_days);
            setPeriod(periodOf(granularity, answer.final_after_days));
          }
        },
        (error: Error) => current && setFailure(error.message),
      );
    return () => {
      current = false;
    };
  }, [period, granularity]);

  const cells = useMemo(() => (report ? report.cells.map(figuresOf) : []), [report]);
  const percent = new Intl.NumberFormat(language === 'da' ? 'da-DK' : 'en-GB', { style: 'percent', maximumFractionDigits: 0 });
  const published = cells.filter((c) => !c.suppressed);
  const byCategory = useMemo(() => (report ? categoryTotals(cells, report.categories) : []), [cells, report]);
  const csvHref = `/api/alerting/v1/statistics/attempts?${new URLSearchParams({ ...period, granularity, format: 'csv' })}`;
  const say = ({ key, values }: ReturnType<typeof withheldReasonText>) => t(key, values);
  const note = t('statistics.suppressedNote', { days: finalAfterDays });
  const exportOf = (chart: string, table: ChartTable): ChartExport => ({
    table,
    note: `${t('statistics.period')}: ${period.from} – ${period.to}. ${note}`,
    fileName: (extension) => chartFileName(chart, { ...period, granularity }, extension),
  });

  const change = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = new FormData(event.currentTarget).get('granularity') as Granularity;
    setGranularity(next);
    setPeriod(periodOf(next, finalAfterDays));
  };

  return (
    <>
      {!report && !failure && <p role="status">{t('app.loading')}</p>}
      <section id="statistics" aria-labelledby="statistics-title" hidden={!report && !failure}>
        <h2 id="statistics-title">{t('statistics.title')}</h2>
        <form className="filters" onSubmit={change}>
          <label>
            {t('statistics.granularity')}
            <select name="granularity" id="statistics-granularity" defaultValue={granularity}>
              <option value="day">{t('statistics.day')}</option>
              <option value="week">{t('statistics.week')}</option>
              <option value="month">{t('statistics.month')}</option>
            </select>
          </label>
          <button type="submit">{t('statistics.show')}</button>
          <span>
            {t('statistics.period')}: {period.from} – {period.to}
          </span>
        </form>
        {failure && (
          <p role="alert" className="error">
            {t('app.error', { message: failure })}
          </p>
        )}
        {report && (
          <>
            {published.length === 0 && <p>{t('statistics.noData')}</p>}
            <BandChart
              id="chart-median"
              title={t('statistics.medianChart')}
              summary={published.map((c) => `${c.bucket}: ${c.median} (${c.q1}–${c.q3})`).join('; ')}
              points={cells.map((c) => (c.suppressed ? { bucket: c.bucket, withheld: true } : { bucket: c.bucket, value: c.median, low: c.q1, high: c.q3 }))}
              exportAs={exportOf('median-quartiles', medianTable(cells))}
            />
            <BarChart
              id="chart-share"
              percent
              title={t('statistics.shareChart', { threshold: report.threshold })}
              summary={published.map((c) => `${c.bucket}: ${percent.format(c.shareAbove)}`).join('; ')}
              points={cells.map((c) => (c.suppressed ? { bucket: c.bucket, withheld: true } : { bucket: c.bucket, value: c.shareAbove }))}
              exportAs={exportOf('share-above-threshold', shareTable(cells, report.threshold))}
            />
            <BarChart
              id="chart-reporting"
              title={t('statistics.reportingChart')}
              summary={published.map((c) => `${c.bucket}: ${c.municipalities}`).join('; ')}
              points={cells.map((c) => (c.suppressed ? { bucket: c.bucket, withheld: true } : { bucket: c.bucket, value: c.municipalities }))}
              exportAs={exportOf('municipalities-reporting', reportingTable(cells))}
            />
            <BarChart
              id="chart-categories"
              title={t('statistics.categoriesChart')}
              summary={byCategory.map((c) => `${c.category}: ${c.attempts}`).join('; ')}
              points={byCategory.map((c) => ({ bucket: c.category, value: c.attempts }))}
              exportAs={exportOf('categories', categoriesTable(byCategory, period))}
            />
            <table id="statistics-categories">
              <caption>{t('statistics.categoriesChart')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('statistics.category')}</th>
                  <th scope="col">{t('statistics.attempts')}</th>
                </tr>
              </thead>
              <tbody>
                {byCategory.map((c) => (
                  <tr key={c.category} data-category={c.category}>
                    <th scope="row">{c.category}</th>
                    <td>{c.attempts}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <RegionsAndMap period={period} granularity={granularity} exportOf={exportOf} />
            <p>
              <a id="statistics-csv" className="button" href={csvHref} download>
                {t('statistics.csv')}
              </a>{' '}
              {note}
            </p>
            <table>
              <caption>{t('statistics.table')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('statistics.bucket')}</th>
                  <th scope="col">{t('statistics.municipalities')}</th>
                  <th scope="col">{t('statistics.attempts')}</th>
                  <th scope="col">{t('statistics.median')}</th>
                  <th scope="col">{t('statistics.quartiles')}</th>
                  <th scope="col">{t('statistics.share')}</th>
                </tr>
              </thead>
              <tbody id="statistics-rows">
                {cells.map((c) =>
                  c.suppressed ? (
                    <tr key={c.bucket} data-suppressed="true">
                      <th scope="row">{c.bucket}</th>
                      <td colSpan={5}>{say(withheldReasonText(c.reason))}</td>
                    </tr>
                  ) : (
                    <tr key={c.bucket}>
                      <th scope="row">{c.bucket}</th>
                      <td>{c.municipalities}</td>
                      <td>{c.attempts}</td>
                      <td>{c.median}</td>
                      <td>
                        {c.q1}–{c.q3}
                      </td>
                      <td>{percent.format(c.shareAbove)}</td>
                    </tr>
                  ),
                )}
              </tbody>
            </table>
          </>
        )}
      </section>
    </>
  );
}
