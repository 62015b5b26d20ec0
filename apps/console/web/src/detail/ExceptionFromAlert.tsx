import { useState, type FormEvent } from 'react';
import { alerting, dataOf, type Alert } from '../api';
import { useLanguage } from '../language';

const dayMs = 86_400_000;

/**
 * "Create exception from this alert" (soc_admin only, as the API allows): the alert's rule with an
 * `equals` condition per chosen observable field, for this member or for all, with a reason and an
 * expiry (docs/ALERTING.md, exceptions).
 */
export function ExceptionFromAlert({ alert }: { alert: Alert }) {
  const { t } = useLanguage();
  const fields = [...new Set(alert.observables.map((o) => o.field))];
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set(fields));
  const [scope, setScope] = useState<'member' | 'global'>('member');
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState(() => new Date(Date.now() + 30 * dayMs).toISOString().slice(0, 10));
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();

  async function create(event: FormEvent) {
    event.preventDefault();
    try {
      const exception = dataOf(
        await alerting.POST('/alerts/{id}/exception', {
          params: { path: { id: alert.id } },
          body: { scope, fields: [...chosen], reason: reason.trim(), expires_at: `${expires}T23:59:59Z` },
        }),
      );
      setOutcome({ ok: true, text: t('exception.created', { id: exception.id }) });
    } catch (error) {
      setOutcome({ ok: false, text: t('app.error', { message: (error as Error).message }) });
    }
  }

  return (
    <section aria-labelledby="exception-title">
      <h3 id="exception-title">{t('exception.title')}</h3>
      <form onSubmit={create} id="exception-form">
        <fieldset>
          <legend>{t('exception.fields')}</legend>
          {fields.map((field) => (
            <label key={field} className="checkbox">
              <input
                type="checkbox"
                checked={chosen.has(field)}
                onChange={() =>
                  setChosen((before) => {
                    const next = new Set(before);
                    if (!next.delete(field)) next.add(field);
                    return next;
                  })
                }
              />{' '}
              <code>{field}</code>
            </label>
          ))}
        </fieldset>
        <p>
          <label>
            {t('exception.scope')}{' '}
            <select id="exception-scope" value={scope} onChange={(e) => setScope(e.target.value as 'member' | 'global')}>
              <option value="member">{t('exception.scope.member', { member: alert.organization.id })}</option>
              <option value="global">{t('exception.scope.global')}</option>
            </select>
          </label>{' '}
          <label>
            {t('exception.expires')} <input id="exception-expires" type="date" value={expires} required onChange={(e) => setExpires(e.target.value)} />
          </label>
        </p>
        <p>
          <label htmlFor="exception-reason">{t('exception.reason')}</label>
          <textarea id="exception-reason" rows={2} value={reason} minLength={3} required onChange={(e) => setReason(e.target.value)} />
        </p>
        <button type="submit" id="exception-create">
          {t('exception.create')}
        </button>
        {outcome && (
          <p id="exception-outcome" role="status" className={outcome.ok ? undefined : 'error'}>
            {outcome.text}
          </p>
        )}
      </form>
    </section>
  );
}
