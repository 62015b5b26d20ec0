import { Injectable, Logger } from '@nestjs/common';
import { alertRaisedBy, assessRisk, presentAlert, type AlertPlacement, type StoredAlert } from '@soc/alerts';
import { memberScope, type Detection } from '@soc/contracts';
import { MemberDirectory } from '@soc/members';
import { StructuredLogger } from '@soc/platform';
import { AlertRepository, AuditRepository } from '@soc/storage';
import { ActiveExceptions } from '../exceptions/active-exceptions';
import { ExceptionSuppressionsRepository } from '../exceptions/exception-suppressions.repository';
import { IncidentsQueue } from '../incidents/incidents.queue';
import { SlaTimers } from '../incidents/sla.queue';
import { WebhookNotifications } from '../webhooks/webhooks.queue';
import { intakeLogFields } from './intake-log-fields';

/** What the intake did with a detection: suppressed by an exception, or placed (see `AlertPlacement`). */
export type IntakeOutcome = { outcome: 'suppressed'; exception_id: string } | AlertPlacement;

/**
 * The use case behind the detections queue: a parsed detection becomes an alert (or is folded
 * into the alert it belongs to). A detection an active exception matches is suppressed and
 * counted before any alert exists. A new alert is audited, linked to its campaign, queued for
 * incident response, given its first SLA timer and sent to the member's webhooks. Every step is
 * idempotent, so the caller may run a detection again after any failure.
 */
@Injectable()
export class AlertIntake {
  private readonly logger = new Logger(AlertIntake.name);
  private readonly log = new StructuredLogger(AlertIntake.name);

  constructor(
    private readonly alerts: AlertRepository,
    private readonly members: MemberDirectory,
    private readonly audit: AuditRepository,
    private readonly exceptions: ActiveExceptions,
    private readonly suppressions: ExceptionSuppressionsRepository,
    private readonly incidents: IncidentsQueue,
    private readonly timers: SlaTimers,
    private readonly webhooks: WebhookNotifications,
  ) {}

  async take(detection: Detection): Promise<IntakeOutcome> {
    const taken = await this.place(detection);
    // One line per detection, with the correlation id of the batch behind it (docs/LOGGING.md).
    this.log.info(intakeLogFields(detection, taken), 'detection placed');
    return taken;
  }

  private async place(detection: Detection): Promise<IntakeOutcome> {
    const exception = this.exceptions.match(detection);
    if (exception) {
      // Counted once per contribution would need a set; a redelivery counting twice is acceptable.
      await this.suppressions.count(exception.id, detection.organization.id);
      return { outcome: 'suppressed', exception_id: exception.id };
    }
    const member = this.members.get(detection.organization.id);
    const placement = await this.alerts.upsertFromDetection(detection, assessRisk(detection, member?.criticality));
    if (placement.outcome === 'not_raised') return placement;
    // Also true when an earlier run of this detection created the alert and then failed before
    // its side effects were done: they are idempotent, so they run again.
    if (alertRaisedBy(placement, detection)) await this.raised(placement.alert);
    else if (placement.outcome === 'folded') {
      // A campaign that grew (a folded detection with more members) updates its member alerts too.
      if (placement.alert.kind === 'campaign') await this.alerts.linkCampaign(placement.alert);
      // A member alert that folded in a value it did not have (the attacker's address reaching an
      // alert raised earlier for other addresses) may now belong to an open campaign. The campaign's
      // own link may have searched before this fold was written, so the member side looks too:
      // whichever of the two writes second sees the other (the campaign link refreshes first).
      else if (!placement.alert.campaign && placement.new_observables) await this.alerts.joinOpenCampaign(placement.alert);
    }
    return placement;
  }

  /**
   * The creation side effects of a new alert, run concurrently: no step reads what another writes.
   * - The audit entry goes to its own index and carries `at: created_at`, and a trail is read
   *   sorted by `at`, so an analyst's later entry sorts after it whichever write lands first.
   * - The campaign link/join writes only the `campaign` field of alerts (through `update`, which
   *   re-reads and retries on a version conflict, so it also composes with an analyst or the SLA
   *   worker changing the same alert meanwhile); the other steps carry `presented`, made from the
   *   alert as created, which never held the join's outcome (the join changes the stored alert,
   *   not this object), so the incident item and webhook body are the same as before.
   * - The incident job, SLA timer and webhook jobs are separate BullMQ jobs with deterministic ids;
   *   none reads another, and the SLA timer only fires after its delay.
   * All steps are awaited before a failure is rethrown (`allSettled`), so a failed detection job
   * is retried only after every step of its run has ended; each step is idempotent, as before.
   */
  private async raised(alert: StoredAlert): Promise<void> {
    const presented = presentAlert(alert, memberScope(alert.organization.id));
    const steps = await Promise.allSettled([
      this.audit.record({
        id: `created-${alert.id}`,
        target: { type: 'alert', id: alert.id },
        organization: alert.organization,
        actor: { sub: 'detections-worker', role: 'system' },
        action: 'created',
        after: { status: alert.status, severity: alert.severity, risk_score: alert.risk_score },
        at: alert.created_at,
      }),
      this.campaignOf(alert),
      this.incidents.enqueue(presented),
      this.timers.schedule(alert, 1),
      this.webhooks.notify(this.members.get(alert.organization.id), 'alert.created', presented),
    ]);
    const failed = steps.find((step): step is PromiseRejectedResult => step.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** A new campaign alert links its members' open alerts; a new member alert joins an open campaign. */
  private async campaignOf(alert: StoredAlert): Promise<void> {
    if (alert.kind === 'campaign') {
      const linked = await this.alerts.linkCampaign(alert);
      this.logger.log(`campaign ${alert.id} linked to ${linked.length} member alerts`);
    } else {
      await this.alerts.joinOpenCampaign(alert);
    }
  }
}
