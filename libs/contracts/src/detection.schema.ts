import { createHash } from 'node:crypto';
import { z } from 'zod';

export const ruleLevels = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type RuleLevel = (typeof ruleLevels)[number];

export const detectionKinds = ['rule', 'indicator', 'correlation', 'campaign', 'member_origin', 'early_warning'] as const;

export const ruleRefSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  level: z.enum(ruleLevels),
  tags: z.array(z.string()).default([]),
  /** Sigma rules require keeping author and a link, also in alerts produced from them. */
  author: z.string().optional(),
  references: z.array(z.string()).default([]),
  /**
   * Sigma rules from the rule catalogue (docs/RULES.md): the version that fired (a short hash of the
   * effective rule and its revision), where the rule came from, and the licence a third-party rule
   * carries (SigmaHQ's DRL-1.1). Optional: detections of built-in logic and older jobs have none.
   */
  version: z.string().min(1).optional(),
  origin: z.enum(['bundled', 'sigmahq', 'third_party', 'custom']).optional(),
  licence: z.string().min(1).optional(),
});

/** What the correlator found: one rule (or indicator, or cross-member logic) firing for one member. */
export const detectionSchema = z.object({
  /** Deterministic: the same rule, member, group key and window always give the same id. */
  fingerprint: z.string().regex(/^[a-f0-9]{40}$/),
  kind: z.enum(detectionKinds),
  rule: ruleRefSchema,
  organization: z.object({ id: z.string().min(1) }),
  group_key: z.string(),
  window_start: z.iso.datetime({ offset: true }),
  first_seen: z.iso.datetime({ offset: true }),
  last_seen: z.iso.datetime({ offset: true }),
  /** Events behind the detection; 0 only for a window update that carries nothing but late events. */
  event_count: z.number().int().nonnegative(),
  event_ids: z.array(z.string()).max(100),
  /**
   * A Sigma correlation's window that already fired, receiving more events: those that arrived
   * after it fired but belong inside it (later batches, out-of-order lines). Its fingerprint is the
   * window's; alerting adds the count to the same alert, so an alert's count does not depend on
   * where batch boundaries fell (docs/CORRELATION.md "Event time").
   */
  window_update: z.literal(true).optional(),
  /** Events of this window's group that arrived later than the allowed lateness: not counted in event_count. */
  late_event_count: z.number().int().nonnegative().optional(),
  late_event_ids: z.array(z.string()).max(100).optional(),
  /** Values that matched (indicator values, source ips, user names), for the analyst. */
  observables: z.array(z.object({ field: z.string(), value: z.string() })).default([]),
  detected_at: z.iso.datetime({ offset: true }),
  /** Confidence (0–100) of the indicator behind an indicator detection; feeds the risk score. */
  confidence: z.number().min(0).max(100).optional(),
  /**
   * Campaign detections (organization `shared-soc`): the members the same indicator or actor hit
   * within the window. Only SOC roles ever see these ids; members see a count.
   */
  campaign: z.object({ members: z.array(z.string()).min(2) }).optional(),
  /**
   * The correlation id of the event batch that produced the detection (the collector's accepted
   * request or syslog read), so alerting's log line of the alert names it (docs/LOGGING.md).
   * Optional: jobs queued before it existed stay valid. Not part of the job id.
   */
  correlation_id: z.string().min(1).optional(),
});

export type RuleRef = z.infer<typeof ruleRefSchema>;
export type Detection = z.infer<typeof detectionSchema>;

/**
 * The detection fingerprint: rule, member, group key and window start (a correlation's window, or
 * the time bucket of the other kinds). A redelivered batch gives the same fingerprints; alerting
 * folds detections into alerts by rule, member and group key (docs/ALERTING.md).
 */
export function detectionFingerprint(ruleId: string, memberId: string, groupKey: string, windowStart: string): string {
  return createHash('sha1').update(`${ruleId}\u0000${memberId}\u0000${groupKey}\u0000${windowStart}`).digest('hex');
}

/**
 * One detection's contribution to its alert: the fingerprint plus the events behind it. Two
 * batches that both match a rule in the same window give two contributions to one alert; the
 * same batch delivered twice gives the same contribution twice, which is folded in once. It is
 * the BullMQ job id of the detection.
 */
export function detectionContributionId(
  detection: Pick<Detection, 'fingerprint' | 'event_ids' | 'event_count' | 'late_event_count' | 'late_event_ids'>,
): string {
  const hash = createHash('sha1').update(detection.event_ids.join('\u0000')).update(String(detection.event_count));
  // Late events are part of what a window update contributes: two updates with the same counted
  // events but different late ones are two contributions.
  if (detection.late_event_count) hash.update(`\u0001${detection.late_event_count}\u0000${(detection.late_event_ids ?? []).join('\u0000')}`);
  return `${detection.fingerprint}-${hash.digest('hex').slice(0, 16)}`;
}

/**
 * The BullMQ job id of a detection on the detections queue. A Sigma correlation fires once per
 * window: the window's entries are spent when it fires and later ones inside it are suppressed, so
 * its fingerprint (rule, member, group, window start) names one firing, and is the job id. Two
 * replicas that see the same window reach its threshold in the same instant then enqueue one job,
 * whichever comes first, as if one replica had handled both batches, instead of two contributions
 * whose counts alerting would add up. Every other kind contributes per batch (a rule's bucket, an
 * indicator's hour, a growing campaign): its job id is the contribution id. So is a window update
 * (events added to a window after it fired), prefixed so it never collides with a firing.
 */
export function detectionJobId(
  detection: Pick<Detection, 'kind' | 'fingerprint' | 'event_ids' | 'event_count' | 'window_update' | 'late_event_count' | 'late_event_ids'>,
): string {
  if (detection.kind !== 'correlation') return detectionContributionId(detection);
  // A window's updates are contributions of their own: each adds the events it names.
  return detection.window_update ? `correlation-update-${detectionContributionId(detection)}` : `correlation-${detection.fingerprint}`;
}
