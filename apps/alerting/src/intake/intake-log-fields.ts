import { detectionContributionId, type Detection } from '@soc/contracts';
import type { LogFields } from '@soc/platform';
import type { IntakeOutcome } from './alert-intake';

/**
 * The fields of alerting's line for one detection taken in ("detection placed"): what became of
 * it (`outcome`: created, folded, duplicate, not_raised, suppressed), the alert it went to, and
 * the correlation id of the event batch that produced it, so one accepted batch can be followed
 * from the collector to its alert (docs/LOGGING.md).
 */
export function intakeLogFields(detection: Detection, taken: IntakeOutcome): LogFields {
  return {
    outcome: taken.outcome,
    alert_id: 'alert' in taken ? taken.alert.id : undefined,
    exception_id: taken.outcome === 'suppressed' ? taken.exception_id : undefined,
    member_id: detection.organization.id,
    rule_id: detection.rule.id,
    kind: detection.kind,
    correlation_id: detection.correlation_id,
    contribution_id: detectionContributionId(detection),
    event_count: detection.event_count,
  };
}
