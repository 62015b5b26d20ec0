import { useCallback, useEffect, useRef, useState } from 'react';
import { alerting, dataOf, type Alert, type AlertStatus } from '../api';
import { useLanguage } from '../language';
import { hrefOf } from '../navigation';
import type { SignedInUser } from '../session';
import { CloseDialog } from './CloseDialog';
import { useLiveAlerts } from './live-alerts';
import { QueueFilterForm } from './QueueFilterForm';
import { SavedViews } from './SavedViews';
import { QueueTable } from './QueueTable';
import { listQueryOf, mergedQueue, openFilters, type QueueFilters } from './queue-order';
import { triageCommandOf } from './triage-keys';

type BulkResult = { id: string; ok: boolean; message?: string };

/**
 * The alert queue: the alerts of the person's scope (every member's for SOC roles, its own for a
 * member), sorted by priority and SLA, filtered, kept live by alerting's event stream, and
 * triaged from the keyboard (docs/CONSOLE.md, "Keyboard").
 */
export function AlertQueue({ user }: { user: SignedInUser }) {
  const { t } = useLanguage();
  const [filters, setFilters] = useState<QueueFilters>(openFilters);
  const [alerts, setAlerts] = useState<Alert[]>();
  const [total, setTotal] = useState(0);
  const [failure, setFailure] = useState<string>();
  // The current row by alert id, so a live alert sorted in above it does not move the keys to another alert.
  const [currentId, setCurrentId] = useState<string>();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [closing, setClosing] = useState<Alert>();
  const [notice, setNotice] = useState('');
  const [bulkResults, setBulkResults] = useState<BulkResult[]>();
  const filtersRef = useRef(filters);
  filtersRef.current = filters;

  // Each load counts up, so the pages of a load that filters or a reload replaced are dropped.
  const loadRun = useRef(0);
  const load = useCallback(async (next: QueueFilters) => {
    const run = ++loadRun.current;
    try {
      // Every page the API has (500 at a time, by its cursor): the queue's order is the page's own,
      // so the first rows show at once and the rest are sorted in as they arrive.
      let page = dataOf(await alerting.GET('/alerts', { params: { query: listQueryOf(next) } }));
      if (run !== loadRun.current) return;
      setAlerts(mergedQueue([], page.alerts, next));
      setTotal(page.total);
      setFailure(undefined);
      while (page.next_cursor) {
        const query = { ...listQueryOf(next), search_after: page.next_cursor };
        page = dataOf(await alerting.GET('/alerts', { params: { query } }));
        if (run !== loadRun.current) return;
        const more = page.alerts;
        setAlerts((queue) => mergedQueue(queue ?? [], more, next));
      }
    } catch (error) {
      if (run === loadRun.current) setFailure((error as Error).message);
    }
  }, []);

  useEffect(() => {
    void load(filters);
  }, [filters, load]);

  const live = useLiveAlerts((alert) => {
    setAlerts((queue) => {
      if (!queue) return queue;
      const isNew = !queue.some((a) => a.id === alert.id);
      if (isNew) setNotice(t('queue.newAlert', { title: alert.rule.title, member: alert.organization.id }));
      return mergedQueue(queue, [alert], filtersRef.current);
    });
  });

  const replace = (changed: Alert) => setAlerts((queue) => queue && mergedQueue(queue, [changed], filtersRef.current));
  const act = async (run: () => Promise<Alert>, done: string) => {
    try {
      replace(await run());
      setNotice(done);
    } catch (error) {
      setNotice(t('app.error', { message: (error as Error).message }));
    }
  };
  const assignToMe = (alert: Alert) =>
    act(
      async () => dataOf(await alerting.POST('/alerts/{id}/assign', { params: { path: { id: alert.id } }, body: { assignee: user.name } })),
      t('queue.assigned', { id: alert.id }),
    );
  const changeStatus = (alert: Alert, status: AlertStatus, reason?: string) =>
    alerting.POST('/alerts/{id}/status', { params: { path: { id: alert.id } }, body: reason ? { status, reason } : { status } }).then(dataOf);

  async function bulkAcknowledge() {
    const ids = [...selected];
    try {
      const { results } = dataOf(await alerting.POST('/alerts/bulk', { body: { action: 'status', ids, status: 'acknowledged' } }));
      setBulkResults(results.map((r) => ({ id: r.id, ok: r.ok, message: r.message })));
      setSelected(new Set());
      await load(filtersRef.current);
    } catch (error) {
      setNotice(t('app.error', { message: (error as Error).message }));
    }
  }

  const toggle = (id: string) =>
    setSelected((before) => {
      const next = new Set(before);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!alerts || alerts.length === 0 || closing) return;
      const command = triageCommandOf(event.key, { ctrl: event.ctrlKey, alt: event.altKey, meta: event.metaKey }, event.target as HTMLElement);
      if (!command) return;
      const index = Math.max(
        0,
        alerts.findIndex((a) => a.id === currentId),
      );
      const alert = alerts[index]!;
      event.preventDefault();
      switch (command) {
        case 'next':
        case 'previous': {
          const next = Math.max(0, Math.min(alerts.length - 1, index + (command === 'next' ? 1 : -1)));
          setCurrentId(alerts[next]!.id);
          // The row is on the table only once its page renders: it takes the focus then (QueueTable).
          document.getElementById(`alert-row-${next}`)?.focus();
          break;
        }
        case 'open':
          location.hash = hrefOf({ page: 'alert', id: alert.id });
          break;
        case 'assign':
          void assignToMe(alert);
          break;
        case 'acknowledge':
          void act(() => changeStatus(alert, 'acknowledged'), t('queue.acknowledged', { id: alert.id }));
          break;
        case 'close':
          setClosing(alert);
          break;
        case 'select':
          toggle(alert.id);
          break;
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  // Hidden until the first answer, so whoever sees the section (a person, a test) sees the alerts in it.
  return (
    <>
      {alerts === undefined && !failure && <p role="status">{t('app.loading')}</p>}
      <section id="alerts" aria-labelledby="queue-title" hidden={alerts === undefined && !failure}>
        <h2 id="queue-title">{user.role === 'member' ? t('queue.memberTitle') : t('queue.title')}</h2>
        {/* Keyed by the filters: a saved view applied resets the form's fields to it. */}
        <QueueFilterForm key={JSON.stringify(filters)} filters={filters} showMember={user.role !== 'member'} onApply={setFilters} />
        <SavedViews current={filters} onApply={setFilters} />
        <p id="live-status" className={live ? 'live on' : 'live off'} data-live={live ? 'on' : 'off'}>
          {live ? t('queue.live') : t('queue.liveOff')}
        </p>
        <p className="shortcuts">{t('queue.shortcuts')}</p>
        <p id="triage-status" role="status" aria-live="polite">
          {notice}
        </p>
        {failure && (
          <p role="alert" className="error">
            {t('app.error', { message: failure })}
          </p>
        )}
        {alerts && (
          <>
            <p className="toolbar">
              <span id="queue-count">{t('queue.count', { shown: alerts.length, total })}</span>{' '}
              <button type="button" id="bulk-acknowledge" disabled={selected.size === 0} onClick={() => void bulkAcknowledge()}>
                {t('queue.bulkAcknowledge', { count: selected.size })}
              </button>
            </p>
            {bulkResults && (
              <section aria-labelledby="bulk-title" className="bulk-results">
                <h3 id="bulk-title">{t('queue.bulkResults')}</h3>
                <ul id="bulk-results">
                  {bulkResults.map((r) => (
                    <li key={r.id} data-alert-id={r.id} data-ok={String(r.ok)} className={r.ok ? 'ok' : 'error'}>
                      {r.ok ? t('queue.bulkOk', { id: r.id }) : t('queue.bulkFailed', { id: r.id, message: r.message ?? '' })}
                    </li>
                  ))}
                </ul>
              </section>
            )}
            <QueueTable
              alerts={alerts}
              current={Math.max(
                0,
                alerts.findIndex((a) => a.id === currentId),
              )}
              selected={selected}
              me={user.name}
              onSelect={toggle}
              onFocusRow={(index) => setCurrentId(alerts[index]?.id)}
              onShowPage={(start) => setCurrentId(alerts[start]?.id)}
            />
            {alerts.length === 0 && <p>{t('queue.empty')}</p>}
          </>
        )}
        {closing && (
          <CloseDialog
            alert={closing}
            onCancel={() => setClosing(undefined)}
            onClose={async (status, reason) => {
              replace(await changeStatus(closing, status, reason));
              setNotice(t('queue.closed', { id: closing.id }));
              setClosing(undefined);
            }}
          />
        )}
      </section>
    </>
  );
}
