import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '@soc/config';
import { allMembers, jobs, memberScope, type SlaJob } from '@soc/contracts';
import { createWorker, JobHandlers, jobSettings, type JobWorker } from '@soc/jobs';
import { MemberDirectory } from '@soc/members';
import { escalated, presentAlert } from '@soc/alerts';
import { AlertRepository, AuditRepository } from '@soc/storage';
import { APP_CONFIG } from '../alerting.providers';
import { WebhookNotifications } from '../webhooks/webhooks.queue';
import { SlaTimers } from './sla.queue';

/**
 * When an alert's SLA runs out and nobody acknowledged it (still `new`), it is escalated: flag
 * and level on the alert, an audit entry, a webhook to its member, and the next timer.
 */
@Injectable()
export class SlaWorker implements OnModuleInit, OnModuleDestroy {
  private worker?: JobWorker<typeof jobs.sla.payload, 'sla'>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly alerts: AlertRepository,
    private readonly audit: AuditRepository,
    private readonly timers: SlaTimers,
    private readonly webhooks: WebhookNotifications,
    private readonly members: MemberDirectory,
    private readonly handlers: JobHandlers,
  ) {}

  onModuleInit(): void {
    this.worker = createWorker(
      jobs.sla,
      (timer) => this.escalate(timer),
      { redisUrl: this.config.redis.url, settings: jobSettings(this.config), connectionName: 'alerting-sla-worker' },
      { handlers: this.handlers, failedFields: (job) => ({ alert_id: (job.data as Partial<SlaJob>).alert_id }) },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }

  /** One due timer, its payload parsed by `createWorker`. */
  async escalate(timer: SlaJob): Promise<void> {
    const { alert_id: id, level } = timer;
    const changed = await this.alerts.update(allMembers, id, (alert) => escalated(alert, level, new Date().toISOString()));
    if (!changed || changed.after.escalation_level !== level) return;
    const { before, after } = changed;
    await this.audit.record({
      id: `escalated-${id}-${level}`,
      target: { type: 'alert', id },
      organization: after.organization,
      actor: { sub: 'sla-timer', role: 'system' },
      action: 'escalated',
      before: { escalated: before.escalated ?? false, escalation_level: before.escalation_level ?? 0 },
      after: { escalated: true, escalation_level: level },
      reason: `not acknowledged within the ${after.severity} SLA (${this.timers.slaMs(after.severity) / 1000} s)`,
    });
    const member = this.members.get(after.organization.id);
    await this.webhooks.notify(member, 'alert.escalated', presentAlert(after, memberScope(after.organization.id)), level);
    await this.timers.schedule(after, level + 1);
  }
}
