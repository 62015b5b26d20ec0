import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { AlertingPaths } from '@soc/api-client';
import { alerting, dataOf } from '../api';
import { useLanguage } from '../language';
import type { SignedInUser } from '../session';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type WebhookDelivery = Json<AlertingPaths['/webhooks/deliveries']['get']['responses'][200]>['deliveries'][number];

/** How often the page reads the log again (a retry is due within seconds to minutes). */
const refreshMs = 15_000;

/**
 * Recent webhook deliveries from alerting's `GET /webhooks/deliveries` (a member's own: the API
 * scopes it by the token; SOC roles every member's): when, which alert and event, the endpoint as
 * configured, the outcome in words (delivered, retrying, failed), attempts, the endpoint's answer
 * and the last error. SOC roles also see each row's member and may narrow the list to one member
 * (the API's `member`); a member's page has neither. docs/CONSOLE.md, "Webhook deliveries".
 */
export function WebhooksPage({ user }: { user: SignedInUser }) {
  const { t, time } = useLanguage();
  const [deliveries, setDeliveries] = useState<WebhookDelivery[]>();
  const [failure, setFailure] = useState<string>();
  const isMember = user.role === 'member';
  const [member, setMember] = useState('');
  const [draft, setDraft] = useState('');

  const read = useCallback(
    () =>
      alerting
        .GET('/webhooks/deliveries', { params: { query: member ? { member, size: 100 } : { size: 100 } } })
        .then(dataOf)
        .then(
          (answer) => {
            setDeliveries(answer.deliveries);
            setFailure(undefined);
          },
          (error: Error) => setFailure(error.message),
        ),
    [member],
  );

  useEffect(() => {
    void read();
    const timer = setInterval(() => void read(), refreshMs);
    return () => clearInterval(timer);
  }, [read]);

  function apply(event: FormEvent) {
    event.preventDefault();
    setMember(draft.trim());
  }

  const reload = (
    <button type="button" id="webhooks-reload" className="secondary" onClick={() => void read()}>
      {t('webhooks.reload')}
    </button>
  );

  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">{t('webhooks.title')}</h2>
      <p>{t(isMember ? 'webhooks.explain' : 'webhooks.explainSoc')}</p>
      {isMember ? (
        <p>{reload}</p>
      ) : (
        <form className="filters" onSubmit={apply} aria-label={t('webhooks.filter')}>
          <label>
            {t('queue.filter.member')} <input id="webhooks-member" value={draft} inputMode="numeric" size={6} onChange={(e) => setDraft(e.target.value)} />
          </label>{' '}
          <button type="submit" id="webhooks-apply">
            {t('webhooks.filter.apply')}
          </button>{' '}
          {reload}
        </form>
      )}
      {failure && (
        <p role="alert" className="error" id="webhooks-error">
          {t('app.error', { message: failure })}
        </p>
      )}
      {!deliveries && !failure && <p role="status">{t('app.loading')}</p>}
      {deliveries && deliveries.length === 0 && <p id="webhooks-empty">{t('webhooks.empty')}</p>}
      {deliveries && deliveries.length > 0 && (
        <table className="webhook-deliveries">
          <caption className="visually-hidden">{t('webhooks.table')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('webhooks.col.time')}</th>
              {!isMember && <th scope="col">{t('webhooks.col.member')}</th>}
              <th scope="col">{t('webhooks.col.alert')}</th>
              <th scope="col">{t('webhooks.col.type')}</th>
              <th scope="col">{t('webhooks.col.url')}</th>
              <th scope="col">{t('webhooks.col.status')}</th>
              <th scope="col">{t('webhooks.col.attempts')}</th>
              <th scope="col">{t('webhooks.col.response')}</th>
              <th scope="col">{t('webhooks.col.error')}</th>
            </tr>
          </thead>
          <tbody id="delivery-rows">
            {deliveries.map((d) => (
              <tr key={d.job_id} data-job-id={d.job_id} data-member={d.member} data-status={d.status} data-url={d.url}>
                <td>{time(d.last_attempt_at)}</td>
                {!isMember && <td>{d.member}</td>}
                <td>
                  <a href={`#/alerts/${encodeURIComponent(d.alert_id)}`}>{d.alert_id}</a>
                </td>
                <td>{d.type}</td>
                <td className="message">{d.url}</td>
                <td>
                  <span className={`delivery-status ${d.status}`}>{t(`webhooks.status.${d.status}`)}</span>
                </td>
                <td className="number">{t('webhooks.attemptsOf', { attempts: d.attempts, max: d.max_attempts })}</td>
                <td className="number">{d.response_code ?? '—'}</td>
                <td className="message">{d.last_error ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
