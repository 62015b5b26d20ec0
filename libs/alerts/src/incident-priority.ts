import type { Alert, AlertStatus } from '@soc/contracts';

const severityRank: Record<Alert['severity'], number> = { critical: 1, high: 2, medium: 3, low: 4, informational: 5 };

/** Critical first; within a severity, higher risk first (BullMQ: lower number = sooner). */
export const incidentPriority = (alert: Pick<Alert, 'severity' | 'risk_score'>) => severityRank[alert.severity] * 1000 + (100 - alert.risk_score);

/** An alert that left `new` or got an assignee is being worked: it leaves the incident list. */
export const isBeingWorked = (status: AlertStatus, assignee?: string | null) => status !== 'new' || Boolean(assignee);
