import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { AppConfig } from '@soc/config';
import { describeZodError } from '@soc/contracts';
import { createRedis } from '@soc/redis';
import { APP_CONFIG } from '../alerting.providers';
import { signatureHeader, signWebhook, timestampHeader } from './webhook-signature';
import { webhookJobSchema, type WebhookJob } from './webhooks.queue';

/** Delivers webhook notifications, signed; a non-2xx answer or a timeout is retried. */
@Injectable()
export class WebhookWorker implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WebhookWorker.name);
  private worker?: Worker<WebhookJob>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleInit(): void {
    this.worker = new Worker<WebhookJob>(`${this.config.alerting.incidentsQueue}-webhooks`, (job) => this.deliver(job), {
      connection: createRedis(this.config.redis.url, 'worker', 'alerting-webhook-worker'),
      prefix: `${this.config.redis.keyPrefix}:bull`,
      concurrency: 8,
    });
    this.worker.on('error', (error) => this.logger.error(`webhook worker: ${error.message}`));
    this.worker.on('failed', (job, error) => {
      const final = job && job.attemptsMade >= (job.opts.attempts ?? 1);
      // Logs name the member and the alert, never the secret or the body.
      this.logger.warn(`webhook ${job?.data.type} for member ${job?.data.member} alert ${job?.data.alert_id}: ${error.message}${final ? ' (dead-lettered)' : ''}`);
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }

  private async deliver(job: Job<WebhookJob>): Promise<void> {
    const parsed = webhookJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid webhook job: ${describeZodError(parsed.error).map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    const { secret_ref: ref, url, body } = parsed.data;
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
