import { detectionContributionId, type Detection } from '@soc/contracts';
import type { LogFields } from '@soc/platform';

/** What the intake did with the detection: its `IntakeOutcome`, read by shape. */
type Taken = { outcome: string; alert?: { id: string }; exception_id?: string };

/**
 * The fields of alerting's line for one detection taken in ("detection placed"): what became of
 * it (`outcome`: created, folded, duplicate, not_raised, suppressed), the alert it went to, and
 * the correlation id of the event batch that produced it, so one accepted batch can be followed
 * from the collector to its alert (docs/LOGGING.md).
 */
export function intakeLogFields(detection: Detection, taken: Taken): LogFields {
  return {
    outcome: taken.outcome,
    alert_id: taken.alert?.id,
    exception_id: taken.exception_id,
    member_id: detection.organization.id,
    rule_id: detection.rule.id,
    kind: detection.kind,
    correlation_id: detection.correlation_id,
    contribution_id: detectionContributionId(detection),
    event_count: detection.event_count,
  };
}
