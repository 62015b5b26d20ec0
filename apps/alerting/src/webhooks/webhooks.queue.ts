import type { OnModuleDestroy } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { AppConfig } from '@soc/config';
import { jobs, type AccessScope, type Alert, type WebhookEventType, type WebhookJob } from '@soc/contracts';
import { createQueue, jobSettings, type JobQueue } from '@soc/jobs';
import type { Member } from '@soc/members';

export { webhookEventTypes, webhookJobSchema, type WebhookEventType, type WebhookJob } from '@soc/contracts';

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
 * Webhook notifications (`jobs.webhooks`): retried with exponential backoff; a job that failed its last
 * attempt stays in the queue's failed set, which is the dead-letter list the API shows.
 */
export class WebhookNotifications implements OnModuleDestroy {
  private readonly jobs: JobQueue<typeof jobs.webhooks.payload, WebhookEventType>;

  constructor(config: AppConfig) {
    this.jobs = createQueue(jobs.webhooks, { redisUrl: config.redis.url, settings: jobSettings(config), connectionName: 'alerting-webhooks' });
  }

  /** The BullMQ queue, for reads. */
  get queue() {
    return this.jobs.queue;
  }

  /** One job per configured endpoint; the job id makes a repeated notification a no-op. */
  async notify(member: Member | undefined, type: WebhookEventType, alert: Alert, discriminator: string | number = ''): Promise<void> {
    await this.notifyMany([{ member, type, alert, discriminator }]);
  }

  /** Several notifications with one BullMQ `addBulk`; job ids as `notify`'s (`<type>-<alert>-<discriminator>-<endpoint>`). */
  async notifyMany(
    notifications: ReadonlyArray<{ member: Member | undefined; type: WebhookEventType; alert: Alert; discriminator?: string | number }>,
  ): Promise<void> {
    await this.jobs.addBulk(
      notifications.flatMap(({ member, type, alert, discriminator = '' }) => {
        if (!member) return [];
        const body = JSON.stringify({ type, sent_for: member.id, alert });
        return member.webhooks.map((hook, index) => ({
          name: type,
          payload: { member: member.id, url: hook.url, secret_ref: hook.secret_ref, type, alert_id: alert.id, body },
          options: { jobId: `${type}-${alert.id}-${discriminator}-${index}` },
        }));
      }),
    );
  }

  async deadLetters(scope: AccessScope, size = 100): Promise<DeadLetter[]> {
    const jobs = await this.queue.getFailed(0, 9_999);
    return jobs
      .filter((job): job is Job<WebhookJob> => Boolean(job?.data))
      .filter((job) => scope.kind === 'all-members' || job.data.member === scope.memberId)
      .slice(0, size)
      .map((job) => ({
        job_id: job.id!,
        member: job.data.member,
        url: job.data.url,
        type: job.data.type,
        alert_id: job.data.alert_id,
        attempts: job.attemptsMade,
        failed_reason: job.failedReason,
        ...(job.finishedOn ? { failed_at: new Date(job.finishedOn).toISOString() } : {}),
      }));
  }

  /** Closes the queue and its Redis connection. */
  async close(): Promise<void> {
    await this.jobs.close();
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }
}
