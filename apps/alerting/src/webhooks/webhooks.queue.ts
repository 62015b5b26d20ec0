import { Queue, type Job } from 'bullmq';
import { z } from 'zod';
import type { AppConfig } from '@soc/config';
import type { AccessScope, Alert } from '@soc/contracts';
import type { Member } from '@soc/members';
import { createRedis } from '@soc/redis';

export const webhookEventTypes = ['alert.created', 'alert.escalated'] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** A notification to one endpoint. The secret is named (secret_ref), never carried or stored. */
export const webhookJobSchema = z.object({
  member: z.string().min(1),
  url: z.url(),
  secret_ref: z.string().min(1).optional(),
  type: z.enum(webhookEventTypes),
  alert_id: z.string().min(1),
  body: z.string(),
});
export type WebhookJob = z.infer<typeof webhookJobSchema>;

export interface DeadLetter {
  job_id: string;
  member: string;
  url: string;
  type: WebhookEventType;
  alert_id: string;
  attempts: number;
  failed_reason: string;
  failed_at?: string;
}

/**
 * Webhook notifications on BullMQ: retried with exponential backoff; a job that failed its last
 * attempt stays in the queue's failed set, which is the dead-letter list the API shows.
 */
export class WebhookNotifications {
  readonly queue: Queue<WebhookJob>;

  constructor(private readonly config: AppConfig) {
    this.queue = new Queue<WebhookJob>(`${config.alerting.incidentsQueue}-webhooks`, {
      connection: createRedis(config.redis.url, 'worker', 'alerting-webhooks'),
      prefix: `${config.redis.keyPrefix}:bull`,
    });
    this.queue.on('error', () => undefined);
  }

  /** One job per configured endpoint; the job id makes a repeated notification a no-op. */
  async notify(member: Member | undefined, type: WebhookEventType, alert: Alert, discriminator: string | number = ''): Promise<void> {
    if (!member) return;
    const body = JSON.stringify({ type, sent_for: member.id, alert });
    await Promise.all(
      member.webhooks.map((hook, index) =>
        this.queue.add(type, { member: member.id, url: hook.url, secret_ref: hook.secret_ref, type, alert_id: alert.id, body }, {
          jobId: `${type}-${alert.id}-${discriminator}-${index}`,
          attempts: this.config.alerting.webhookAttempts,
          backoff: { type: 'exponential', delay: this.config.alerting.webhookBackoffMs },
          removeOnComplete: { age: 24 * 3600 },
          removeOnFail: false,
        }),
      ),
    );
  }

  async deadLetters(scope: AccessScope, size = 100): Promise<DeadLetter[]> {
    const jobs = await this.queue.getFailed(0, 9_999);
    return jobs
      .filter((job): job is Job<WebhookJob> => Boolean(job?.data))
      .filter((job) => scope.kind === 'all-members' || job.data.member === scope.memberId)
      .slice(0, size)
      .map((job) => ({
        job_id: job.id!, member: job.data.member, url: job.data.url, type: job.data.type, alert_id: job.data.alert_id,
        attempts: job.attemptsMade, failed_reason: job.failedReason,
        ...(job.finishedOn ? { failed_at: new Date(job.finishedOn).toISOString() } : {}),
      }));
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
