import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { dataOf } from '../api';
import { useLanguage } from '../language';
import type { SignedInUser } from '../session';
import { correlator, indicatorTypes, type Indicator, type IndicatorType } from './correlator-api';
import { IndicatorDetail } from './IndicatorDetail';
import { IndicatorImport } from './IndicatorImport';
import { indicatorStates, noFilters, searchPage, stateOf, type IndicatorFilters, type IndicatorState } from './indicator-search';

/** Indicators per table page (the API's `limit`). */
const pageSize = 50;

interface Results {
  indicators: Indicator[];
  /** The cursor each page shown so far started at (the first is "0"), so Previous can go back. */
  cursors: string[];
  nextCursor: string;
}

/**
 * The shared indicator set (SOC roles): search by value or id, type, source and state, paged by
 * the API's cursor; an indicator's detail with its sightings; for the SOC administrator, import
 * with progress, revoke and expire. An analyst sees the same set read-only.
 */
export function IndicatorsPage({ user }: { user: SignedInUser }) {
  const { t, time } = useLanguage();
  const [form, setForm] = useState<IndicatorFilters>(noFilters);
  const [filters, setFilters] = useState<IndicatorFilters>(noFilters);
  const [results, setResults] = useState<Results>();
  const [failure, setFailure] = useState<string>();
  const [selected, setSelected] = useState<string>();
  const load = useRef(0);
  const isAdmin = user.role === 'soc_admin';

  const show = useCallback(async (wanted: IndicatorFilters, cursors: string[]) => {
    const ticket = ++load.current;
    try {
      const page = await searchPage(
        wanted,
        cursors[cursors.length - 1]!,
        pageSize,
        async (query) => dataOf(await correlator.GET('/v1/indicators', { params: { query } })),
        Date.now(),
      );
      if (ticket !== load.current) return;
      setResults({ indicators: page.indicators, cursors, nextCursor: page.nextCursor });
      setFailure(undefined);
    } catch (error) {
      if (ticket === load.current) setFailure((error as Error).message);
    }
  }, []);

  useEffect(() => {
    void show(filters, ['0']);
  }, [filters, show]);

  function search(event: FormEvent) {
    event.preventDefault();
    setResults(undefined);
    setFilters({ ...form });
  }

  const reloadPage = () => results && void show(filters, results.cursors);
  const pageNumber = results?.cursors.length ?? 1;

  return (
    <section aria-labelledby="indicators-title">
      <h2 id="indicators-title">{t('indicators.title')}</h2>
      <p>{t('indicators.explain')}</p>
      {!isAdmin && <p id="indicators-read-only">{t('indicators.readOnly')}</p>}
      {isAdmin && <IndicatorImport onImported={() => void show(filters, ['0'])} />}

      <section aria-labelledby="indicator-search-title">
        <h3 id="indicator-search-title">{t('indicators.search.title')}</h3>
        <form className="filters" onSubmit={search} id="indicator-search">
          <label>
            {t('indicators.search.text')}{' '}
            <input id="indicator-q" type="search" maxLength={200} value={form.text} onChange={(e) => setForm({ ...form, text: e.target.value })} />
          </label>
          <label>
            {t('indicators.search.type')}{' '}
            <select id="indicator-type" value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value as IndicatorType | '' })}>
              <option value="">{t('indicators.search.all')}</option>
              {indicatorTypes.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('indicators.search.source')}{' '}
            <input id="indicator-source" type="text" maxLength={200} value={form.source} onChange={(e) => setForm({ ...form, source: e.target.value })} />
          </label>
          <label>
            {t('indicators.search.state')}{' '}
            <select id="indicator-state" value={form.state} onChange={(e) => setForm({ ...form, state: e.target.value as IndicatorState | '' })}>
              <option value="">{t('indicators.search.all')}</option>
              {indicatorStates.map((state) => (
                <option key={state} value={state}>
                  {t(`indicators.state.${state}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" id="indicator-search-submit">
            {t('indicators.search.submit')}
          </button>
        </form>
        <p className="shortcuts">{t('indicators.search.explainState')}</p>
        {failure && (
          <p role="alert" className="error">
            {t('app.error', { message: failure })}
          </p>
        )}
        {!results && !failure && <p role="status">{t('app.loading')}</p>}
        {results && (
          <>
            <p role="status" id="indicator-count">
              {results.indicators.length === 0 ? t('indicators.empty') : t('indicators.shown', { count: results.indicators.length })}{' '}
              {t('indicators.pageNumber', { page: pageNumber })}
            </p>
            {results.indicators.length > 0 && (
              <table id="indicator-table">
                <caption className="visually-hidden">{t('indicators.table')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('indicators.col.value')}</th>
                    <th scope="col">{t('indicators.col.type')}</th>
                    <th scope="col">{t('indicators.col.source')}</th>
                    <th scope="col">{t('indicators.col.state')}</th>
                    <th scope="col">{t('indicators.col.confidence')}</th>
                    <th scope="col">{t('indicators.col.validUntil')}</th>
                    <th scope="col">{t('indicators.col.show')}</th>
                  </tr>
                </thead>
                <tbody id="indicator-rows">
                  {results.indicators.map((indicator) => {
                    const state = stateOf(indicator, Date.now());
                    return (
                      <tr key={indicator.id} data-id={indicator.id} data-state={state}>
                        <th scope="row" className="message">
                          {indicator.value}
                          {indicator.port !== undefined ? `:${indicator.port}` : ''}
                        </th>
                        <td>{indicator.type}</td>
                        <td>{indicator.source}</td>
                        <td>{t(`indicators.state.${state}`)}</td>
                        <td className="number">{indicator.confidence}</td>
                        <td>{indicator.valid_until ? time(indicator.valid_until) : '—'}</td>
                        <td>
                          <button type="button" className="secondary" aria-pressed={selected === indicator.id} onClick={() => setSelected(indicator.id)}>
                            {t('indicators.col.show')}
                            <span className="visually-hidden"> {indicator.value}</span>
                          </button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
            <nav aria-label={t('indicators.pages')} className="buttons">
              <button type="button" className="secondary" id="indicator-first" disabled={pageNumber === 1} onClick={() => void show(filters, ['0'])}>
                {t('indicators.first')}
              </button>{' '}
              <button
                type="button"
                className="secondary"
                id="indicator-previous"
                disabled={pageNumber === 1}
                onClick={() => void show(filters, results.cursors.slice(0, -1))}
              >
                {t('indicators.previous')}
              </button>{' '}
              <button
                type="button"
                className="secondary"
                id="indicator-next"
                disabled={results.nextCursor === '0'}
                onClick={() => void show(filters, [...results.cursors, results.nextCursor])}
              >
                {t('indicators.next')}
              </button>
            </nav>
          </>
        )}
      </section>
      {selected && <IndicatorDetail key={selected} id={selected} user={user} onClose={() => setSelected(undefined)} onChanged={reloadPage} />}
    </section>
  );
}
