import { createHash } from 'node:crypto';
import { detectionContributionId, type Alert, type AlertStatus, type Detection } from '@soc/contracts';
import type { RiskAssessment } from './risk-score';

/** Statuses in which an analyst is done with an alert. */
export const closedStatuses: readonly AlertStatus[] = ['resolved', 'false_positive', 'duplicate'];
export const isClosed = (status: AlertStatus) => closedStatuses.includes(status);

/** Contributions remembered per alert for deduplication; older ones are forgotten. */
const maxContributions = 1_000;

/** The alert as stored: with internals a caller never sees (see alert-presenter). */
export type StoredAlert = Alert & {
  alert_key: string;
  generation: number;
  risk_reasons: string[];
  contributions: string[];
  /** `by` is the author's subject, `by_name` its display name where the token named one. */
  comments?: Array<{ by: string; by_name?: string; at: string; text: string }>;
};

/**
 * What groups detections into one alert across correlation windows: rule, member and group key
 * (the window start of the detection fingerprint is left out, so a repeat in the next window is
 * the same alert while it is open or suppressed).
 */
export function alertKey(detection: Pick<Detection, 'rule' | 'organization' | 'group_key'>): string {
  return createHash('sha1').update(`${detection.rule.id}\u0000${detection.organization.id}\u0000${detection.group_key}`).digest('hex');
}

/** `<alert key>-<generation>`: generation 1 is the first alert, a new one after each close + suppression window. */
export const alertId = (key: string, generation: number) => `${key}-${generation}`;

export function newAlert(detection: Detection, risk: RiskAssessment, generation: number, now: string): StoredAlert {
  const key = alertKey(detection);
  return {
    id: alertId(key, generation),
    alert_key: key,
    generation,
    fingerprint: detection.fingerprint,
    kind: detection.kind,
    rule: detection.rule,
    organization: detection.organization,
    group_key: detection.group_key,
    status: 'new',
    severity: risk.severity,
    risk_score: risk.risk_score,
    risk_reasons: risk.reasons,
    count: detection.event_count,
    ...(detection.late_event_count ? { late_event_count: detection.late_event_count } : {}),
    first_seen: detection.first_seen,
    last_seen: detection.last_seen,
    event_ids: detection.event_ids,
    observables: detection.observables,
    ...(detection.campaign ? { campaign: { members: detection.campaign.members } } : {}),
    assignee: null,
    escalated: false,
    escalation_level: 0,
    contributions: [detectionContributionId(detection)],
    created_at: now,
    updated_at: now,
  };
}

/** Where a detection goes relative to one generation of its alert key (see `placeDetection`). */
export type Placement = 'duplicate' | 'fold' | 'next-generation';

/**
 * Where a detection ended up once placed in the alerts index: a new alert, folded into one,
 * already folded in (a redelivery), or (late events only, no alert to take them) not kept.
 */
/** Where a detection went; a fold also says whether it brought an observable value the alert did not have. */
export type AlertPlacement =
  { outcome: 'created' | 'duplicate'; alert: StoredAlert } | { outcome: 'folded'; alert: StoredAlert; new_observables: boolean } | { outcome: 'not_raised' };

/** Whether the detection names an observable (field and value) the alert does not hold yet. */
export const bringsNewObservable = (alert: Pick<StoredAlert, 'observables'>, detection: Pick<Detection, 'observables'>): boolean =>
  detection.observables.some((o) => !alert.observables.some((a) => a.field === o.field && a.value === o.value));

/**
 * Where a detection goes relative to the latest alert of its key: already folded in; folded in
 * (the alert is open, or closed but the detection falls within the suppression window after its
 * last_seen); or a new alert (closed, and the detection began after that window).
 */
export function placeDetection(alert: StoredAlert, detection: Detection, suppressionSeconds: number): Placement {
  if (alert.contributions.includes(detectionContributionId(detection))) return 'duplicate';
  if (!isClosed(alert.status)) return 'fold';
  const windowEnd = Date.parse(alert.last_seen) + suppressionSeconds * 1000;
  return Date.parse(detection.first_seen) <= windowEnd ? 'fold' : 'next-generation';
}

/**
 * Whether this detection raised its alert: it created it now, or an earlier delivery of the same
 * detection did (found as a duplicate whose only contribution is this detection's). Said by the
 * alert's own contributions, so a caller needs no retry state to know whether the new-alert side
 * effects are due.
 */
export function alertRaisedBy(placement: AlertPlacement, detection: Detection): boolean {
  if (placement.outcome === 'created') return true;
  if (placement.outcome !== 'duplicate') return false;
  const { contributions } = placement.alert;
  return contributions.length === 1 && contributions[0] === detectionContributionId(detection);
}

/**
 * A detection that names no counted event (a correlation window update carrying only late events)
 * adds to an alert that takes it, but never raises one of its own.
 */
export const canRaiseAlert = (detection: Pick<Detection, 'event_count'>) => detection.event_count > 0;

/** The alert with the detection folded in: counts add up, seen-times widen, the risk keeps its maximum. */
export function foldDetection(alert: StoredAlert, detection: Detection, risk: RiskAssessment, now: string): StoredAlert {
  const higher = risk.risk_score > alert.risk_score;
  return {
    ...alert,
    fingerprint: detection.fingerprint,
    count: alert.count + detection.event_count,
    ...(detection.late_event_count ? { late_event_count: (alert.late_event_count ?? 0) + detection.late_event_count } : {}),
    event_ids: [...alert.event_ids, ...detection.event_ids].slice(-100),
    observables: mergeObservables(alert.observables, detection.observables),
    first_seen: detection.first_seen < alert.first_seen ? detection.first_seen : alert.first_seen,
    last_seen: detection.last_seen > alert.last_seen ? detection.last_seen : alert.last_seen,
    ...(higher ? { severity: risk.severity, risk_score: risk.risk_score, risk_reasons: risk.reasons } : {}),
    ...(detection.campaign
      ? { campaign: { ...alert.campaign, members: [...new Set([...(alert.campaign?.members ?? []), ...detection.campaign.members])] } }
      : {}),
    contributions: [...alert.contributions, detectionContributionId(detection)].slice(-maxContributions),
    updated_at: now,
  };
}

function mergeObservables(a: Alert['observables'], b: Alert['observables']): Alert['observables'] {
  const seen = new Set(a.map((o) => `${o.field}\u0000${o.value}`));
  return [...a, ...b.filter((o) => !seen.has(`${o.field}\u0000${o.value}`))].slice(0, 100);
}
