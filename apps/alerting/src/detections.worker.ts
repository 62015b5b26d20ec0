import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { AppConfig } from '@soc/config';
import { describeZodError, detectionContributionId, detectionSchema, memberScope } from '@soc/contracts';
import { MemberDirectory } from '@soc/members';
import { createRedis } from '@soc/redis';
import { assessRisk, presentAlert, type StoredAlert } from '@soc/alerts';
import { AlertRepository, AuditRepository } from '@soc/storage';
import { APP_CONFIG } from './alerting.providers';
import { ActiveExceptions } from './exceptions/active-exceptions';
import { ExceptionSuppressionsRepository } from './exceptions/exception-suppressions.repository';
import { IncidentsQueue } from './incidents/incidents.queue';
import { SlaTimers } from './incidents/sla.queue';
import { WebhookNotifications } from './webhooks/webhooks.queue';

/**
 * Turns each detection job into an alert (or folds it into the alert it belongs to). A detection
 * an active exception matches is suppressed and counted before any alert exists.
 */
@Injectable()
export class DetectionsWorker implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DetectionsWorker.name);
  private worker?: Worker;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly alerts: AlertRepository,
    private readonly members: MemberDirectory,
    private readonly audit: AuditRepository,
    private readonly exceptions: ActiveExceptions,
    private readonly suppressions: ExceptionSuppressionsRepository,
    private readonly incidents: IncidentsQueue,
    private readonly timers: SlaTimers,
    private readonly webhooks: WebhookNotifications,
  ) {}

  onModuleInit(): void {
    this.worker = new Worker(this.config.queues.detections, (job) => this.process(job), {
      connection: createRedis(this.config.redis.url, 'worker', 'alerting-detections'),
      concurrency: 16,
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
    this.worker.on('error', (error) => this.logger.error(`detections worker: ${error.message}`));
    this.worker.on('failed', (job, error) => this.logger.warn(`detection ${job?.id} failed: ${error.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }

  private async process(job: Job): Promise<void> {
    const parsed = detectionSchema.safeParse(job.data);
    if (!parsed.success) {
      const problems = describeZodError(parsed.error).map((p) => `${p.path}: ${p.message}`);
      throw new UnrecoverableError(`invalid detection payload: ${problems.join('; ')}`);
    }
    const detection = parsed.data;
    const exception = this.exceptions.match(detection);
    if (exception) {
      // Counted once per contribution would need a set; a redelivery counting twice is acceptable.
      await this.suppressions.count(exception.id, detection.organization.id);
      return;
    }
    const member = this.members.get(detection.organization.id);
    const upserted = await this.alerts.upsertFromDetection(detection, assessRisk(detection, member?.criticality));
    if (upserted.outcome === 'not_raised') return;
    const { outcome, alert } = upserted;
    // A retried job whose first run created the alert and then failed finds it as a duplicate with
    // only its own contribution: the side effects below are idempotent, so they run again.
    const firstRun = outcome === 'created' || (outcome === 'duplicate' && alert.contributions.length === 1 && alert.contributions[0] === detectionContributionId(detection));
    if (firstRun) await this.raised(alert);
    // A campaign that grew (a folded detection with more members) updates its member alerts too.
    else if (outcome === 'folded' && alert.kind === 'campaign') await this.alerts.linkCampaign(alert);
  }

  private async raised(alert: StoredAlert): Promise<void> {
    await this.audit.record({
      id: `created-${alert.id}`,
      target: { type: 'alert', id: alert.id }, organization: alert.organization,
      actor: { sub: 'detections-worker', role: 'system' }, action: 'created',
      after: { status: alert.status, severity: alert.severity, risk_score: alert.risk_score },
      at: alert.created_at,
    });
    if (alert.kind === 'campaign') {
      const linked = await this.alerts.linkCampaign(alert);
      this.logger.log(`campaign ${alert.id} linked to ${linked.length} member alerts`);
    } else {
      await this.alerts.joinOpenCampaign(alert);
    }
    const presented = presentAlert(alert, memberScope(alert.organization.id));
    await this.incidents.enqueue(presented);
    await this.timers.schedule(alert, 1);
    await this.webhooks.notify(this.members.get(alert.organization.id), 'alert.created', presented);
  }
}
