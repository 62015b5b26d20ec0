import type { OnModuleDestroy } from '@nestjs/common';
import { maxEscalationLevel } from '@soc/alerts';
import type { AppConfig } from '@soc/config';
import { jobs, type Alert } from '@soc/contracts';
import { createQueue, jobSettings, type JobQueue } from '@soc/jobs';

export { slaJobSchema, type SlaJob } from '@soc/contracts';

/** SLA timers (`jobs.sla`): a delayed job per alert and level, due when the alert's severity SLA runs out. */
export class SlaTimers implements OnModuleDestroy {
  private readonly jobs: JobQueue<typeof jobs.sla.payload, 'sla'>;

  constructor(private readonly config: AppConfig) {
    this.jobs = createQueue(jobs.sla, { redisUrl: config.redis.url, settings: jobSettings(config), connectionName: 'alerting-sla' });
  }

  /** The BullMQ queue, for reads. */
  get queue() {
    return this.jobs.queue;
  }

  slaMs(severity: Alert['severity']): number {
    return (this.config.alerting.slaSeconds[severity] ?? 3600) * 1000;
  }

  /** Idempotent per alert and level (deterministic job id). */
  async schedule(alert: Pick<Alert, 'id' | 'severity'>, level: number): Promise<void> {
    await this.scheduleMany([alert], level);
  }

  /** The timers of many alerts at one level with one BullMQ `addBulk`; job ids as `schedule`'s. */
  async scheduleMany(alerts: ReadonlyArray<Pick<Alert, 'id' | 'severity'>>, level: number): Promise<void> {
    if (level > maxEscalationLevel) return;
    await this.jobs.addBulk(
      alerts.map((alert) => ({
        name: 'sla' as const,
        payload: { alert_id: alert.id, level },
        options: { jobId: `sla-${alert.id}-${level}`, delay: this.slaMs(alert.severity) },
      })),
    );
  }

  /** Closes the queue and its Redis connection. */
  async close(): Promise<void> {
    await this.jobs.close();
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }
}
