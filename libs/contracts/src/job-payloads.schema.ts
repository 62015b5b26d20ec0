import { z } from 'zod';
import { severities } from './alert.schema';

/** One item of the incident-response work list (a new alert, ordered by priority). */
export const incidentItemSchema = z.object({
  alert_id: z.string().min(1),
  member: z.string().min(1),
  severity: z.enum(severities),
  risk_score: z.number(),
  rule: z.string(),
  priority: z.number().int(),
  enqueued_at: z.string(),
});
export type IncidentItem = z.infer<typeof incidentItemSchema>;

/** An SLA timer: due when the alert's severity SLA ran out at this escalation level. */
export const slaJobSchema = z.object({ alert_id: z.string().min(1), level: z.number().int().positive() });
export type SlaJob = z.infer<typeof slaJobSchema>;

export const webhookEventTypes = ['alert.created', 'alert.escalated'] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** A notification to one endpoint. The secret is named (secret_ref), never carried or stored. */
export const webhookJobSchema = z.object({
  member: z.string().min(1),
  url: z.url(),
  secret_ref: z.string().min(1).optional(),
  type: z.enum(webhookEventTypes),
  alert_id: z.string().min(1),
  body: z.string(),
});
export type WebhookJob = z.infer<typeof webhookJobSchema>;
