import { useEffect, useRef } from 'react';
import type { Alert } from '../api';
import { useLanguage } from '../language';
import { hrefOf } from '../navigation';
import { pageStartOf, rowsPerPage } from './queue-order';

/**
 * The queue's rows. The current row (j/k) is the one focusable row (`tabIndex` 0, the others -1),
 * so the keyboard, the focus ring and a screen reader agree on which alert a key acts on. Only the
 * table page (100 rows) that holds the current row is rendered, so 10,000 alerts stay a small DOM;
 * j/k past its edge, or the page buttons, show the next one. Row ids keep the queue's index.
 */
export function QueueTable({
  alerts,
  current,
  selected,
  me,
  onSelect,
  onFocusRow,
  onShowPage,
}: {
  alerts: readonly Alert[];
  current: number;
  selected: ReadonlySet<string>;
  me: string;
  onSelect(id: string): void;
  onFocusRow(index: number): void;
  /** Makes the first row of the table page starting at `start` the current row. */
  onShowPage(start: number): void;
}) {
  const { t, time } = useLanguage();
  const now = Date.now();
  const start = pageStartOf(current);
  const end = Math.min(alerts.length, start + rowsPerPage);
  // A key that moved the current row onto another page found no row to focus: focus it once the page is rendered.
  const shownStart = useRef(start);
  useEffect(() => {
    if (shownStart.current === start) return;
    shownStart.current = start;
    const active = document.activeElement;
    if (!active || active === document.body || active.closest('#alert-rows, #queue-pages')) document.getElementById(`alert-row-${current}`)?.focus();
  }, [start, current]);
  const pages = (
    <nav id="queue-pages" aria-label={t('queue.pages')} className="toolbar">
      <button type="button" id="previous-page" disabled={start === 0} onClick={() => onShowPage(Math.max(0, start - rowsPerPage))}>
        {t('queue.previousPage')}
      </button>{' '}
      <span id="queue-rows">{t('queue.rows', { from: alerts.length === 0 ? 0 : start + 1, to: end, count: alerts.length })}</span>{' '}
      <button type="button" id="next-page" disabled={end >= alerts.length} onClick={() => onShowPage(start + rowsPerPage)}>
        {t('queue.nextPage')}
      </button>
    </nav>
  );
  return (
    <>
      {pages}
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
          {alerts.slice(start, end).map((alert, offset) => {
            const index = start + offset;
            return (
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
            );
          })}
        </tbody>
      </table>
    </>
  );
}
