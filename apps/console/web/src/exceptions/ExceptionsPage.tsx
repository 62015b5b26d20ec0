import { useCallback, useEffect, useRef, useState } from 'react';
import { alerting, dataOf } from '../api';
import { useLanguage } from '../language';
import type { SignedInUser } from '../session';
import { ExceptionForm } from './ExceptionForm';
import { ExpireDialog } from './ExpireDialog';
import { conditionText, matchesFilter, membersOf, stateOf, type ExceptionFilter } from './exception-view';
import type { ExceptionItem } from './exceptions-api';

/**
 * Exceptions (SOC roles) from alerting's `GET /exceptions`: every exception with its rule, scope,
 * conditions, reason, owner and creator, times and state, filtered by state and scope. soc_admin
 * also expires (`POST /exceptions/{id}/expire`, after a confirmation) and creates
 * (`POST /exceptions`); an analyst reads (the API refuses both to anyone else). docs/CONSOLE.md, "Exceptions".
 */
export function ExceptionsPage({ user }: { user: SignedInUser }) {
  const { t, time } = useLanguage();
  const [exceptions, setExceptions] = useState<ExceptionItem[]>();
  const [failure, setFailure] = useState<string>();
  const [filter, setFilter] = useState<ExceptionFilter>({ state: 'active', scope: 'all' });
  const [expiring, setExpiring] = useState<ExceptionItem>();
  const [outcome, setOutcome] = useState<string>();
  const outcomeRef = useRef<HTMLParagraphElement>(null);
  const isAdmin = user.role === 'soc_admin';

  const read = useCallback(
    () =>
      alerting
        .GET('/exceptions')
        .then(dataOf)
        .then(
          (answer) => {
            setExceptions(answer.exceptions);
            setFailure(undefined);
          },
          (error: Error) => setFailure(error.message),
        ),
    [],
  );

  useEffect(() => {
    void read();
  }, [read]);

  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);

  async function expire(exception: ExceptionItem) {
    dataOf(await alerting.POST('/exceptions/{id}/expire', { params: { path: { id: exception.id } } }));
    setExpiring(undefined);
    setOutcome(t('exceptions.expired', { id: exception.id }));
    await read();
  }

  const now = Date.now();
  const shown = exceptions?.filter((e) => matchesFilter(e, filter, now)) ?? [];
  const members = exceptions ? membersOf(exceptions) : [];

  return (
    <section aria-labelledby="exceptions-title">
      <h2 id="exceptions-title">{t('exceptions.title')}</h2>
      <p>{t('exceptions.explain')}</p>
      {!isAdmin && <p id="exceptions-read-only">{t('exceptions.readOnly')}</p>}
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('exceptions.title')}>
        <label>
          {t('exceptions.filter.state')}{' '}
          <select id="exceptions-state" value={filter.state} onChange={(e) => setFilter({ ...filter, state: e.target.value as ExceptionFilter['state'] })}>
            <option value="active">{t('exceptions.filter.active')}</option>
            <option value="expired">{t('exceptions.filter.expired')}</option>
            <option value="all">{t('exceptions.filter.all')}</option>
          </select>
        </label>{' '}
        <label>
          {t('exceptions.filter.scope')}{' '}
          <select id="exceptions-scope" value={filter.scope} onChange={(e) => setFilter({ ...filter, scope: e.target.value })}>
            <option value="all">{t('exceptions.filter.allScopes')}</option>
            <option value="global">{t('exceptions.scope.global')}</option>
            {members.map((m) => (
              <option key={m} value={m}>
                {t('exceptions.scope.member', { member: m })}
              </option>
            ))}
          </select>
        </label>
      </form>
      {failure && (
        <p role="alert" className="error" id="exceptions-error">
          {t('app.error', { message: failure })}
        </p>
      )}
      <p id="exceptions-outcome" role="status" tabIndex={-1} ref={outcomeRef}>
        {outcome}
      </p>
      {!exceptions && !failure && <p role="status">{t('app.loading')}</p>}
      {exceptions && (
        <p id="exceptions-count">{shown.length === 0 ? t('exceptions.empty') : t('exceptions.count', { shown: shown.length, total: exceptions.length })}</p>
      )}
      {shown.length > 0 && (
        <table className="exceptions">
          <caption className="visually-hidden">{t('exceptions.table')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('exceptions.col.rule')}</th>
              <th scope="col">{t('exceptions.col.scope')}</th>
              <th scope="col">{t('exceptions.col.conditions')}</th>
              <th scope="col">{t('exceptions.col.reason')}</th>
              <th scope="col">{t('exceptions.col.who')}</th>
              <th scope="col">{t('exceptions.col.created')}</th>
              <th scope="col">{t('exceptions.col.expires')}</th>
              <th scope="col">{t('exceptions.col.state')}</th>
              <th scope="col">{t('exceptions.col.suppressed')}</th>
              {isAdmin && <th scope="col">{t('exceptions.col.actions')}</th>}
            </tr>
          </thead>
          <tbody id="exception-rows">
            {shown.map((e) => {
              const state = stateOf(e, now);
              return (
                <tr key={e.id} data-exception-id={e.id} data-state={state}>
                  <th scope="row">
                    <code>{e.rule_id}</code>
                  </th>
                  <td>{e.scope.kind === 'global' ? t('exceptions.scope.global') : t('exceptions.scope.member', { member: e.scope.member_id })}</td>
                  <td>
                    <ul className="conditions">
                      {e.conditions.map((c, i) => (
                        <li key={i}>
                          <code>{conditionText(c)}</code>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>{e.reason ?? '—'}</td>
                  <td>
                    {e.owner ?? '—'}
                    {e.created_by && e.created_by !== e.owner && (
                      <>
                        <br />
                        <small>{e.created_by}</small>
                      </>
                    )}
                  </td>
                  <td>{e.created_at ? time(e.created_at) : '—'}</td>
                  <td>{time(e.expires_at)}</td>
                  <td>
                    <span className={`exception-state ${state}`}>
                      {state === 'expired' ? t('exceptions.state.expired', { time: time(e.expired_at!) }) : t(`exceptions.state.${state}`)}
                    </span>
                  </td>
                  <td className="number">{e.suppressed_count}</td>
                  {isAdmin && (
                    <td>
                      {state === 'active' && (
                        <button
                          type="button"
                          className="expire"
                          aria-label={t('exceptions.expireLabel', { id: e.id, rule: e.rule_id })}
                          onClick={() => setExpiring(e)}
                        >
                          {t('exceptions.expire')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {isAdmin && (
        <ExceptionForm
          owner={user.name}
          onCreated={() => {
            setOutcome(undefined);
            void read();
          }}
        />
      )}
      {expiring && <ExpireDialog exception={expiring} onExpire={() => expire(expiring)} onCancel={() => setExpiring(undefined)} />}
    </section>
  );
}
