import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { alerting, dataOf } from '../api';
import { useLanguage } from '../language';
import { hrefOf } from '../navigation';
import type { SignedInUser } from '../session';
import type { Incident } from './incidents-api';
import { clock, clockOffset, countdownOf } from './sla-countdown';

/** How often the queue is read again (items leave when someone takes them, new ones arrive, levels rise). */
export const incidentsRefreshMs = 15_000;

/** The time, once a second: what the countdowns tick on. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * The incident-response queue (SOC roles) from alerting's `GET /queues/incidents`: new alerts
 * nobody has taken, in the API's priority order, each with its escalation level and a live SLA
 * countdown (docs/CONSOLE.md, "Incident queue"). Read again every 15 s and on demand.
 */
export function IncidentsPage({ user }: { user: SignedInUser }) {
  const { t, time } = useLanguage();
  const [offset, setOffset] = useState(0);
  const now = useNow() + offset;
  const [items, setItems] = useState<Incident[]>();
  const [readAt, setReadAt] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [member, setMember] = useState('');
  const [draft, setDraft] = useState('');
  const [reads, setReads] = useState(0);
  void user;

  const read = useCallback(
    (isCurrent: () => boolean) =>
      alerting
        .GET('/queues/incidents', { params: { query: member ? { member, size: 1000 } : { size: 1000 } } })
        .then((result) => ({ answer: dataOf(result), offset: clockOffset(result.response.headers.get('date'), Date.now()) }))
        .then(
          ({ answer, offset }) => {
            if (!isCurrent()) return;
            setItems(answer.items);
            setOffset(offset);
            setReadAt(new Date(Date.now() + offset).toISOString());
            setFailure(undefined);
          },
          (error: Error) => isCurrent() && setFailure(error.message),
        ),
    [member],
  );

  useEffect(() => {
    let current = true;
    void read(() => current);
    const timer = setInterval(() => void read(() => current), incidentsRefreshMs);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [read, reads]);

  function apply(event: FormEvent) {
    event.preventDefault();
    setMember(draft.trim());
  }

  return (
    <section aria-labelledby="incidents-title">
      <h2 id="incidents-title">{t('incidents.title')}</h2>
      <p>{t('incidents.explain')}</p>
      <form className="filters" onSubmit={apply} aria-label={t('incidents.filter.member')}>
        <label>
          {t('queue.filter.member')} <input id="incidents-member" value={draft} inputMode="numeric" size={6} onChange={(e) => setDraft(e.target.value)} />
        </label>{' '}
        <button type="submit" id="incidents-apply">
          {t('incidents.filter.apply')}
        </button>{' '}
        <button type="button" id="incidents-refresh" className="secondary" onClick={() => setReads((n) => n + 1)}>
          {t('incidents.refresh')}
        </button>
      </form>
      {failure && (
        <p role="alert" className="error" id="incidents-error">
          {t('app.error', { message: failure })}
        </p>
      )}
      {!items && !failure && <p role="status">{t('app.loading')}</p>}
      {items && (
        <p role="status" id="incidents-status">
          {items.length === 0 ? t('incidents.empty') : t('incidents.count', { count: items.length })}{' '}
          {readAt && t('incidents.readAt', { time: time(readAt), seconds: incidentsRefreshMs / 1000 })}
        </p>
      )}
      {items && items.length > 0 && (
        <table className="incidents">
          <caption className="visually-hidden">{t('incidents.table')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('incidents.col.priority')}</th>
              <th scope="col">{t('incidents.col.alert')}</th>
              <th scope="col">{t('incidents.col.member')}</th>
              <th scope="col">{t('incidents.col.severity')}</th>
              <th scope="col">{t('incidents.col.escalation')}</th>
              <th scope="col">{t('incidents.col.assignee')}</th>
              <th scope="col">{t('incidents.col.sla')}</th>
              <th scope="col">{t('incidents.col.next')}</th>
            </tr>
          </thead>
          <tbody id="incident-rows">
            {items.map((item) => (
              <IncidentRow key={item.alert_id} item={item} now={now} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function IncidentRow({ item, now }: { item: Incident; now: number }) {
  const { t } = useLanguage();
  const countdown = countdownOf(item, now);
  const slaText =
    countdown.state === 'overdue'
      ? t('incidents.sla.overdue', { clock: clock(countdown.slaLeftMs) })
      : t(countdown.state === 'due-soon' ? 'incidents.sla.dueSoon' : 'incidents.sla.left', { clock: clock(countdown.slaLeftMs) });
  const nextText = !countdown.next
    ? t('incidents.next.none')
    : countdown.next.leftMs > 0
      ? t('incidents.next.in', { level: countdown.next.level, clock: clock(countdown.next.leftMs) })
      : t('incidents.next.due', { level: countdown.next.level });
  return (
    <tr data-alert-id={item.alert_id} data-member={item.member} data-sla-state={countdown.state} data-escalation-level={item.escalation_level}>
      <td className="number">{item.priority}</td>
      <th scope="row">
        <a href={hrefOf({ page: 'alert', id: item.alert_id })}>{item.rule}</a>
      </th>
      <td>{item.member}</td>
      <td>
        <span className={`severity ${item.severity}`}>{t(`severity.${item.severity}`)}</span>
      </td>
      <td className="escalation">{item.escalation_level === 0 ? t('incidents.notEscalated') : t('incidents.level', { level: item.escalation_level })}</td>
      <td>{item.assignee ?? t('incidents.unassigned')}</td>
      <td>
        <span className={`sla ${countdown.state}`}>{slaText}</span>
        <br />
        <small>{t('incidents.slaOf', { clock: clock(item.sla_seconds * 1000) })}</small>
      </td>
      <td className="next-escalation">{nextText}</td>
    </tr>
  );
}
