import type { Alert } from '../api';
import { useLanguage } from '../language';
import { hrefOf } from '../navigation';

/**
 * The queue's rows. The current row (j/k) is the one focusable row (`tabIndex` 0, the others -1),
 * so the keyboard, the focus ring and a screen reader agree on which alert a key acts on.
 */
export function QueueTable({
  alerts,
  current,
  selected,
  me,
  onSelect,
  onFocusRow,
}: {
  alerts: readonly Alert[];
  current: number;
  selected: ReadonlySet<string>;
  me: string;
  onSelect(id: string): void;
  onFocusRow(index: number): void;
}) {
  const { t, time } = useLanguage();
  const now = Date.now();
  return (
    <table className="queue">
      <caption className="visually-hidden">{t('queue.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('queue.col.select')}</th>
          <th scope="col">{t('queue.col.priority')}</th>
          <th scope="col">{t('queue.col.member')}</th>
          <th scope="col">{t('queue.col.rule')}</th>
          <th scope="col">{t('queue.col.risk')}</th>
          <th scope="col">{t('queue.col.status')}</th>
          <th scope="col">{t('queue.col.assignee')}</th>
          <th scope="col">{t('queue.col.sla')}</th>
          <th scope="col">{t('queue.col.lastSeen')}</th>
        </tr>
      </thead>
      <tbody id="alert-rows">
        {alerts.map((alert, index) => (
          <tr
            key={alert.id}
            id={`alert-row-${index}`}
            data-alert-id={alert.id}
            data-member={alert.organization.id}
            data-status={alert.status}
            tabIndex={index === current ? 0 : -1}
            aria-current={index === current ? 'true' : undefined}
            className={index === current ? 'current' : undefined}
            onFocus={() => onFocusRow(index)}
          >
            <td>
              <input
                type="checkbox"
                checked={selected.has(alert.id)}
                onChange={() => onSelect(alert.id)}
                aria-label={t('queue.selectAlert', { id: alert.id })}
                tabIndex={-1}
              />
            </td>
            <td>
              <span className={`severity ${alert.severity}`}>{t(`severity.${alert.severity}`)}</span>
            </td>
            <td>{alert.organization.id}</td>
            <td>
              <a href={hrefOf({ page: 'alert', id: alert.id })} tabIndex={-1}>
                {alert.rule.title}
              </a>
            </td>
            <td>{alert.risk_score}</td>
            <td>{t(`status.${alert.status}`)}</td>
            <td>{alert.assignee ? (alert.assignee === me ? `${alert.assignee} ✓` : alert.assignee) : t('queue.unassigned')}</td>
            <td>
              {alert.escalated
                ? t('queue.escalated', { level: alert.escalation_level ?? 1 })
                : t('queue.age', { minutes: Math.max(0, Math.round((now - Date.parse(alert.created_at)) / 60_000)) })}
            </td>
            <td>{time(alert.last_seen)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
