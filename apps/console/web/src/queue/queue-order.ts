import type { Alert, AlertListQuery } from '../api';

const severityRank: Record<Alert['severity'], number> = { critical: 1, high: 2, medium: 3, low: 4, informational: 5 };

/** The incident queue's priority (libs/alerts `incidentPriority`): critical first, within a severity higher risk first. Lower = sooner. */
export const priorityOf = (alert: Pick<Alert, 'severity' | 'risk_score'>): number => severityRank[alert.severity] * 1000 + (100 - alert.risk_score);

/**
 * The queue's order: priority first; then the SLA, which runs per severity from the alert's
 * creation (docs/ALERTING.md, "SLA timers"): an alert escalated further has overrun more, and
 * among equals the older one is nearer its deadline. The id last, so the order is total.
 */
export function byPriorityAndSla(a: Alert, b: Alert): number {
  return (
    priorityOf(a) - priorityOf(b) ||
    (b.escalation_level ?? 0) - (a.escalation_level ?? 0) ||
    a.created_at.localeCompare(b.created_at) ||
    a.id.localeCompare(b.id)
  );
}

/** The queue's filters, as the page holds them; status `open` means new, acknowledged or in progress. */
export interface QueueFilters {
  status: Alert['status'] | 'open' | '';
  severity: Alert['severity'] | '';
  member: string;
  q: string;
}

export const openFilters: QueueFilters = { status: 'open', severity: '', member: '', q: '' };

/** The largest page `GET /alerts` answers; the queue reads every page with the previous page's `next_cursor`. */
export const apiPageSize = 500;

/** Rows the table shows at once: with 10,000 open alerts the page holds one table page, not 10,000 rows. */
export const rowsPerPage = 100;

/** The first index of the table page that holds `index`. */
export const pageStartOf = (index: number): number => Math.floor(Math.max(0, index) / rowsPerPage) * rowsPerPage;

/** The list query of the filters (the API filters one status at a time: `open` is filtered here). */
export function listQueryOf(filters: QueueFilters): AlertListQuery {
  return {
    size: apiPageSize,
    ...(filters.status && filters.status !== 'open' ? { status: filters.status } : {}),
    ...(filters.severity ? { severity: filters.severity } : {}),
    ...(filters.member.trim() ? { member: filters.member.trim() } : {}),
    ...(filters.q.trim() ? { q: filters.q.trim() } : {}),
  };
}

const isOpen = (status: Alert['status']) => status === 'new' || status === 'acknowledged' || status === 'in_progress';

/**
 * Whether an alert belongs in the queue under the filters: for alerts the server did not filter
 * (the `open` status, and alerts arriving live). Free text is the server's match (rule title,
 * observable values, group key), approximated here by a case-insensitive substring.
 */
export function matchesFilters(alert: Alert, filters: QueueFilters): boolean {
  if (filters.status === 'open' ? !isOpen(alert.status) : filters.status !== '' && alert.status !== filters.status) return false;
  if (filters.severity && alert.severity !== filters.severity) return false;
  if (filters.member.trim() && alert.organization.id !== filters.member.trim()) return false;
  const q = filters.q.trim().toLowerCase();
  if (q && ![alert.rule.title, alert.group_key, ...alert.observables.map((o) => o.value)].some((text) => text.toLowerCase().includes(q))) return false;
  return true;
}

/** The queue with `incoming` merged in (an alert already there replaced), filtered and sorted. */
export function mergedQueue(queue: readonly Alert[], incoming: readonly Alert[], filters: QueueFilters): Alert[] {
  const byId = new Map(queue.map((a) => [a.id, a]));
  for (const alert of incoming) byId.set(alert.id, alert);
  return [...byId.values()].filter((a) => matchesFilters(a, filters)).sort(byPriorityAndSla);
}
