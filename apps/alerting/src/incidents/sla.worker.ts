import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { AppConfig } from '@soc/config';
import { allMembers, describeZodError, memberScope } from '@soc/contracts';
import { MemberDirectory } from '@soc/members';
import { createRedis } from '@soc/redis';
import { escalated, presentAlert } from '@soc/alerts';
import { AlertRepository, AuditRepository } from '@soc/storage';
import { APP_CONFIG } from '../alerting.providers';
import { WebhookNotifications } from '../webhooks/webhooks.queue';
import { SlaTimers, slaJobSchema, type SlaJob } from './sla.queue';

/**
 * When an alert's SLA runs out and nobody acknowledged it (still `new`), it is escalated: flag
 * and level on the alert, an audit entry, a webhook to its member, and the next timer.
 */
@Injectable()
export class SlaWorker implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SlaWorker.name);
  private worker?: Worker<SlaJob>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly alerts: AlertRepository,
    private readonly audit: AuditRepository,
    private readonly timers: SlaTimers,
    private readonly webhooks: WebhookNotifications,
    private readonly members: MemberDirectory,
  ) {}

  onModuleInit(): void {
    this.worker = new Worker<SlaJob>(`${this.config.alerting.incidentsQueue}-sla`, (job) => this.escalate(job), {
      connection: createRedis(this.config.redis.url, 'worker', 'alerting-sla-worker'),
      prefix: `${this.config.redis.keyPrefix}:bull`,
      concurrency: 4,
    });
    this.worker.on('error', (error) => this.logger.error(`sla worker: ${error.message}`));
    this.worker.on('failed', (job, error) => this.logger.warn(`sla ${job?.id} failed: ${error.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }

  async escalate(job: Job<SlaJob>): Promise<void> {
    const parsed = slaJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid sla job: ${describeZodError(parsed.error).map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    const { alert_id: id, level } = parsed.data;
    const changed = await this.alerts.update(allMembers, id, (alert) => escalated(alert, level, new Date().toISOString()));
    if (!changed || changed.after.escalation_level !== level) return;
    const { before, after } = changed;
    await this.audit.record({
      id: `escalated-${id}-${level}`,
      target: { type: 'alert', id }, organization: after.organization,
      actor: { sub: 'sla-timer', role: 'system' }, action: 'escalated',
      before: { escalated: before.escalated ?? false, escalation_level: before.escalation_level ?? 0 },
      after: { escalated: true, escalation_level: level },
      reason: `not acknowledged within the ${after.severity} SLA (${this.timers.slaMs(after.severity) / 1000} s)`,
    });
    const member = this.members.get(after.organization.id);
    await this.webhooks.notify(member, 'alert.escalated', presentAlert(after, memberScope(after.organization.id)), level);
    await this.timers.schedule(after, level + 1);
  }
}
