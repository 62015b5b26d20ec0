import { z } from 'zod';
import { detectionKinds, ruleRefSchema } from './detection.schema';

export const alertStatuses = ['new', 'acknowledged', 'in_progress', 'resolved', 'false_positive', 'duplicate'] as const;
export const severities = ['informational', 'low', 'medium', 'high', 'critical'] as const;

/** The unit an analyst triages: detections with the same fingerprint grouped into one alert. */
export const alertSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(detectionKinds),
  rule: ruleRefSchema,
  organization: z.object({ id: z.string().min(1) }),
  group_key: z.string(),
  status: z.enum(alertStatuses),
  severity: z.enum(severities),
  risk_score: z.number().int().min(0).max(100),
  count: z.number().int().positive(),
  /** Events of the alert's rule and group that arrived too late to count in a correlation window (docs/CORRELATION.md). */
  late_event_count: z.number().int().nonnegative().optional(),
  first_seen: z.iso.datetime({ offset: true }),
  last_seen: z.iso.datetime({ offset: true }),
  event_ids: z.array(z.string()),
  observables: z.array(z.object({ field: z.string(), value: z.string() })),
  /** SOC view: the campaign's members; a member's view: only how many others (see docs/ALERTING.md). */
  campaign: z.object({ id: z.string().optional(), members: z.array(z.string()).optional(), other_members_affected: z.number().int().optional() }).optional(),
  fingerprint: z.string().optional(),
  generation: z.number().int().positive().optional(),
  risk_reasons: z.array(z.string()).optional(),
  assignee: z.string().nullable().optional(),
  escalated: z.boolean().optional(),
  escalation_level: z.number().int().min(0).optional(),
  created_at: z.iso.datetime({ offset: true }),
  updated_at: z.iso.datetime({ offset: true }),
});

export type Alert = z.infer<typeof alertSchema>;
export type AlertStatus = (typeof alertStatuses)[number];
