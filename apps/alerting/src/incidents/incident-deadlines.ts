import { z } from 'zod';
import { incidentItemSchema, type Alert, type IncidentItem } from '@soc/contracts';

/**
 * One item of `GET /queues/incidents` as the console shows it: the queued item with its alert's
 * escalation level and assignee, and the SLA's clock (docs/ALERTING.md, "SLA timers and
 * escalation"): `sla_due_at` when the severity's SLA runs out (queued + SLA), and when the next
 * pending SLA timer escalates it (null once level 3 is reached, or while no timer is pending).
 */
export const incidentViewSchema = incidentItemSchema.extend({
  escalation_level: z.number().int().min(0).describe('0 until the first SLA timer escalated the alert, at most 3'),
  assignee: z.string().nullable(),
  sla_seconds: z.number().int().positive().describe("the severity's SLA (SLA_SECONDS)"),
  sla_due_at: z.string().describe('ISO 8601 time the SLA runs out: enqueued_at + sla_seconds'),
  next_escalation_level: z.number().int().positive().nullable(),
  next_escalation_at: z.string().nullable().describe('ISO 8601 time the pending SLA timer is due'),
});
export type IncidentView = z.infer<typeof incidentViewSchema>;

/** A pending SLA timer of an alert: its level and when it is due (epoch ms). */
export interface PendingTimer {
  level: number;
  dueAt: number;
}

/** The item with its deadlines; `alert` undefined (removed meanwhile) leaves level 0 and no assignee. */
export function incidentView(
  item: IncidentItem,
  alert: Pick<Alert, 'escalation_level' | 'assignee'> | undefined,
  timer: PendingTimer | undefined,
  slaMs: number,
): IncidentView {
  return {
    ...item,
    escalation_level: alert?.escalation_level ?? 0,
    assignee: alert?.assignee ?? null,
    sla_seconds: Math.round(slaMs / 1000),
    sla_due_at: new Date(Date.parse(item.enqueued_at) + slaMs).toISOString(),
    next_escalation_level: timer?.level ?? null,
    next_escalation_at: timer ? new Date(timer.dueAt).toISOString() : null,
  };
}
