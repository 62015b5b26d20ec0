import type { StoredAlert } from './alert-lifecycle';

/** Escalation stops after this level: by then the alert has been escalated three times. */
export const maxEscalationLevel = 3;

/**
 * The alert after its SLA timer of this level ran out: escalated only while nobody acknowledged
 * it (still `new`) and not already at this level (a retried timer job changes nothing).
 */
export function escalated(alert: StoredAlert, level: number, now: string): StoredAlert {
  if (alert.status !== 'new' || (alert.escalation_level ?? 0) >= level) return alert;
  return { ...alert, escalated: true, escalation_level: level, updated_at: now };
}
