import { Queue } from 'bullmq';
import { z } from 'zod';
import { maxEscalationLevel } from '@soc/alerts';
import type { AppConfig } from '@soc/config';
import type { Alert } from '@soc/contracts';
import { createRedis } from '@soc/redis';

export const slaJobSchema = z.object({ alert_id: z.string().min(1), level: z.number().int().positive() });
export type SlaJob = z.infer<typeof slaJobSchema>;

/** SLA timers: a delayed job per alert and level, due when the alert's severity SLA runs out. */
export class SlaTimers {
  readonly queue: Queue<SlaJob>;

  constructor(private readonly config: AppConfig) {
    this.queue = new Queue<SlaJob>(`${config.alerting.incidentsQueue}-sla`, {
      connection: createRedis(config.redis.url, 'worker', 'alerting-sla'),
      prefix: `${config.redis.keyPrefix}:bull`,
    });
    this.queue.on('error', () => undefined);
  }

  slaMs(severity: Alert['severity']): number {
    return (this.config.alerting.slaSeconds[severity] ?? 3600) * 1000;
  }

  /** Idempotent per alert and level (deterministic job id). */
  async schedule(alert: Pick<Alert, 'id' | 'severity'>, level: number): Promise<void> {
    if (level > maxEscalationLevel) return;
    await this.queue.add('sla', { alert_id: alert.id, level }, {
      jobId: `sla-${alert.id}-${level}`,
      delay: this.slaMs(alert.severity),
      attempts: 5,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
