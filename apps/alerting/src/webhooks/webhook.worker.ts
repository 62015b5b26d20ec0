import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { AppConfig } from '@soc/config';
import { jobs, type WebhookEventType, type WebhookJob } from '@soc/contracts';
import { createWorker, JobHandlers, jobSettings, type JobWorker } from '@soc/jobs';
import { APP_CONFIG } from '../alerting.providers';
import { signatureHeader, signWebhook, timestampHeader } from './webhook-signature';

/** Delivers webhook notifications, signed; a non-2xx answer or a timeout is retried. */
@Injectable()
export class WebhookWorker implements OnModuleInit, OnModuleDestroy {
  private worker?: JobWorker<typeof jobs.webhooks.payload, WebhookEventType>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly handlers: JobHandlers,
  ) {}

  onModuleInit(): void {
    this.worker = createWorker(
      jobs.webhooks,
      (notification) => this.deliver(notification),
      { redisUrl: this.config.redis.url, settings: jobSettings(this.config), connectionName: 'alerting-webhook-worker' },
      // Logs name the member and the alert, never the secret or the body; a final failure is a dead letter.
      { handlers: this.handlers, failedFields: (job) => webhookFields(job.data as Partial<WebhookJob>) },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }

  /** One notification, its payload parsed by `createWorker`. */
  private async deliver(notification: WebhookJob): Promise<void> {
    const { secret_ref: ref, url, body } = notification;
    if (!ref) throw new UnrecoverableError('webhook has no secret_ref: refusing to send it unsigned');
    const secret = this.config.alerting.webhookSecrets[ref];
    if (!secret) throw new UnrecoverableError(`no secret configured for secret_ref ${ref} (set WEBHOOK_SECRET_${ref})`);
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [timestampHeader]: String(timestamp),
        [signatureHeader]: signWebhook(secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`endpoint answered ${response.status}`);
  }
}

function webhookFields(job: Partial<WebhookJob> | undefined): Record<string, unknown> {
  return { type: job?.type, member_id: job?.member, alert_id: job?.alert_id };
}
