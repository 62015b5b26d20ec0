import { Injectable, Logger } from '@nestjs/common';
import { alertKey, alertRaisedBy, assessRisk, presentAlert, type AlertPlacement, type StoredAlert } from '@soc/alerts';
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

  /** One detection: a batch of one (see `takeMany`); its failure throws. */
  async take(detection: Detection): Promise<IntakeOutcome> {
    const [taken] = await this.takeMany([detection]);
    if (taken instanceof Error) throw taken;
    return taken!;
  }

  /**
   * Many detections at once (docs/ALERTING.md, "Batched intake"): each gets, in order, the outcome
   * it would have had taken alone, or the error that failed it; a detection failed only by its own
   * alert key, exception count or side effect leaves the others of the batch placed. A failed
   * Elasticsearch request (not one refused item) fails every detection it left without an outcome.
   * One log line per detection taken; a failed one is logged by its job (`job failed`).
   */
  async takeMany(detections: readonly Detection[]): Promise<Array<IntakeOutcome | Error>> {
    const results: Array<IntakeOutcome | Error | undefined> = new Array(detections.length);
    const toPlace: number[] = [];
    const counting: Array<Promise<void>> = [];
    detections.forEach((detection, i) => {
      const exception = this.exceptions.match(detection);
      if (!exception) return void toPlace.push(i);
      // Counted once per contribution would need a set; a redelivery counting twice is acceptable.
      counting.push(
        this.suppressions.count(exception.id, detection.organization.id).then(
          () => void (results[i] = { outcome: 'suppressed', exception_id: exception.id }),
          (error: Error) => void (results[i] = error),
        ),
      );
    });
    const placing = this.placeAll(detections, toPlace, results).catch((error: Error) => {
      // Not expected (the repository tells a failed request per detection); should anything else
      // throw, the detections it left without an outcome fail with it.
      for (const i of toPlace) results[i] ??= error;
    });
    await Promise.all([...counting, placing]);
    return detections.map((detection, i) => {
      const taken = results[i] ?? new Error('detection left untaken');
      // One line per detection, with the correlation id of the batch behind it (docs/LOGGING.md).
      if (!(taken instanceof Error)) this.log.info(intakeLogFields(detection, taken), 'detection placed');
      return taken;
    });
  }

  /**
   * Places the detections not suppressed, in rounds: the detections of a key after one that raised
   * its alert come back `deferred` and are placed in the next round, once the new alert's side
   * effects are done; when those failed, they fail too, so the raising detection's retry still
   * finds the alert it alone contributed to and runs the side effects again (`alertRaisedBy`).
   */
  private async placeAll(detections: readonly Detection[], indices: number[], results: Array<IntakeOutcome | Error | undefined>): Promise<void> {
    let pending = indices;
    while (pending.length > 0) {
      const placements = await this.alerts.upsertManyFromDetections(
        pending.map((i) => {
          const detection = detections[i]!;
          return { detection, risk: assessRisk(detection, this.members.get(detection.organization.id)?.criticality) };
        }),
      );
      // At most one per key and round: the key's detections after the raising one are deferred.
      const raised: Array<{ alert: StoredAlert; detection: number }> = [];
      const folded = new Map<string, { alert: StoredAlert; campaignSearch: boolean; detections: number[] }>();
      const deferred: number[] = [];
      placements.forEach((placement, n) => {
        const i = pending[n]!;
        if (placement.outcome === 'failed') results[i] = placement.error;
        else if (placement.outcome === 'deferred') deferred.push(i);
        else {
          results[i] = placement;
          if (placement.outcome === 'not_raised') return;
          // Also true when an earlier run of this detection created the alert and then failed before
          // its side effects were done: they are idempotent, so they run again.
          if (alertRaisedBy(placement, detections[i]!)) raised.push({ alert: placement.alert, detection: i });
          else if (placement.outcome === 'folded') {
            // The key's later folds of this round hold everything the earlier ones did, so the
            // campaign search runs once per alert, with the last; due if any fold made it due.
            const seen = folded.get(placement.alert.id);
            const campaignSearch = (seen?.campaignSearch ?? false) || campaignSearchDue(placement);
            folded.set(placement.alert.id, { alert: placement.alert, campaignSearch, detections: [...(seen?.detections ?? []), i] });
          }
        }
      });
      // The new alerts' side effects and the folds' campaign searches touch different things (a
      // fold's search only writes the `campaign` field, through `update`, which retries a
      // conflict), so they run together.
      const [effects] = await Promise.all([
        this.raisedMany(raised.map((r) => r.alert)),
        Promise.all(
          [...folded.values()].map(async ({ alert, campaignSearch, detections: taken }) => {
            if (!campaignSearch) return;
            const error = await this.campaignOf(alert).then(
              () => undefined,
              (e: Error) => e,
            );
            if (error) for (const i of taken) results[i] = error;
          }),
        ),
      ]);
      const failedKeys = new Map<string, Error>();
      raised.forEach(({ alert, detection }, n) => {
        const error = effects[n];
        if (!error) return;
        results[detection] = error;
        failedKeys.set(alert.alert_key, error);
      });
      pending = [];
      for (const i of deferred) {
        const error = failedKeys.get(alertKey(detections[i]!));
        if (error) results[i] = error;
        else pending.push(i);
      }
    }
  }

  /**
   * The creation side effects of new alerts, run concurrently, each kind for all the alerts at once
   * where the store takes many (the audit entries in one bulk request; the incident, SLA timer and
   * webhook jobs each with one BullMQ `addBulk`): no step reads what another writes.
   * - The audit entry goes to its own index and carries `at: created_at`, and a trail is read
   *   sorted by `at`, so an analyst's later entry sorts after it whichever write lands first.
   * - The campaign link/join (one per alert) writes only the `campaign` field of alerts (through
   *   `update`, which re-reads and retries on a version conflict, so it also composes with an
   *   analyst or the SLA worker changing the same alert meanwhile); the other steps carry
   *   `presented`, made from the alert as created, which never held the join's outcome (the join
   *   changes the stored alert, not this object), so the incident item and webhook body are the
   *   same as before.
   * - The incident job, SLA timer and webhook jobs are separate BullMQ jobs with deterministic ids;
   *   none reads another, and the SLA timer only fires after its delay.
   * Every step is awaited before the errors are told (`allSettled`), so a failed detection job is
   * retried only after every step of its run has ended; each step is idempotent, as before. Says
   * per alert, in order, the first error of its steps (undefined: all done); a step done with one
   * request for all (a BullMQ `addBulk`) fails every alert when it fails.
   */
  private async raisedMany(alerts: readonly StoredAlert[]): Promise<Array<Error | undefined>> {
    if (alerts.length === 0) return [];
    const presented = alerts.map((alert) => presentAlert(alert, memberScope(alert.organization.id)));
    const [audit, campaigns, ...shared] = await Promise.allSettled([
      this.audit.recordMany(
        alerts.map((alert) => ({
          id: `created-${alert.id}`,
          target: { type: 'alert', id: alert.id },
          organization: alert.organization,
          actor: { sub: 'detections-worker', role: 'system' },
          action: 'created',
          after: { status: alert.status, severity: alert.severity, risk_score: alert.risk_score },
          at: alert.created_at,
        })),
      ),
      Promise.all(
        alerts.map((alert) =>
          this.campaignOf(alert).then(
            () => undefined,
            (error: Error) => error,
          ),
        ),
      ),
      this.incidents.enqueueMany(presented),
      this.timers.scheduleMany(alerts, 1),
      this.webhooks.notifyMany(presented.map((alert) => ({ member: this.members.get(alert.organization.id), type: 'alert.created' as const, alert }))),
    ]);
    const sharedError = shared.find((step): step is PromiseRejectedResult => step.status === 'rejected')?.reason as Error | undefined;
    return alerts.map((_, n) => {
      const auditError = audit.status === 'rejected' ? (audit.reason as Error) : audit.value[n];
      // `campaigns` never rejects: each alert's link or join error is kept as its value.
      const campaignError = campaigns.status === 'fulfilled' ? campaigns.value[n] : (campaigns.reason as Error);
      return auditError ?? campaignError ?? sharedError;
    });
  }

  /**
   * A campaign alert links its members' open alerts; a member alert joins an open campaign. For a
   * new alert, and again after a fold: a campaign that grew (a folded detection with more members)
   * updates its member alerts too, and a member alert that folded in a value it did not have (the
   * attacker's address reaching an alert raised earlier for other addresses) may now belong to an
   * open campaign. The campaign's own link may have searched before such a fold was written, so the
   * member side looks too: whichever of the two writes second sees the other (the campaign link
   * refreshes first).
   */
  private async campaignOf(alert: StoredAlert): Promise<void> {
    if (alert.kind === 'campaign') {
      const linked = await this.alerts.linkCampaign(alert);
      this.logger.log(`campaign ${alert.id} linked to ${linked.length} member alerts`);
    } else {
      await this.alerts.joinOpenCampaign(alert);
    }
  }
}

/**
 * Whether a fold calls for a campaign search: a campaign alert links its members again; a member
 * alert with no campaign yet that took a field and value it did not hold looks for one.
 */
function campaignSearchDue(placement: Extract<AlertPlacement, { outcome: 'folded' }>): boolean {
  return placement.alert.kind === 'campaign' || (!placement.alert.campaign && placement.new_observables);
}
