import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import type { AppConfig } from '@soc/config';
import { jobs, type WebhookEventType, type WebhookJob } from '@soc/contracts';
import { createWorker, JobHandlers, jobSettings, type JobWorker } from '@soc/jobs';
import { StructuredLogger } from '@soc/platform';
import { APP_CONFIG } from '../alerting.providers';
import { WebhookDeliveryRepository, type WebhookDelivery } from './webhook-deliveries.repository';
import { signatureHeader, signWebhook, timestampHeader } from './webhook-signature';

/**
 * Delivers webhook notifications, signed; a non-2xx answer or a timeout is retried. Every attempt's
 * outcome goes to the member's delivery log (`GET /webhooks/deliveries`).
 */
@Injectable()
export class WebhookWorker implements OnModuleInit, OnModuleDestroy {
  private worker?: JobWorker<typeof jobs.webhooks.payload, WebhookEventType>;
  private readonly logger = new StructuredLogger(WebhookWorker.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly handlers: JobHandlers,
    private readonly deliveries: WebhookDeliveryRepository,
  ) {}

  onModuleInit(): void {
    this.worker = createWorker(
      jobs.webhooks,
      (notification, job) => this.attempt(notification, job),
      { redisUrl: this.config.redis.url, settings: jobSettings(this.config), connectionName: 'alerting-webhook-worker' },
      // Logs name the member and the alert, never the secret or the body; a final failure is a dead letter.
      { handlers: this.handlers, failedFields: (job) => webhookFields(job.data as Partial<WebhookJob>) },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }

  /** One attempt, logged whatever its outcome; a failure is rethrown for BullMQ to retry (or dead-letter). */
  private async attempt(notification: WebhookJob, job: Job): Promise<void> {
    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? 1;
    const base = {
      job_id: job.id!,
      member: notification.member,
      alert_id: notification.alert_id,
      type: notification.type,
      url: notification.url,
      attempts: attempt,
      max_attempts: maxAttempts,
      queued_at: new Date(job.timestamp).toISOString(),
    };
    try {
      const responseCode = await this.deliver(notification);
      await this.log({ ...base, status: 'delivered', last_attempt_at: new Date().toISOString(), response_code: responseCode });
    } catch (error) {
      const final = error instanceof UnrecoverableError || attempt >= maxAttempts;
      const responseCode = error instanceof EndpointRefusal ? { response_code: error.status } : {};
      await this.log({
        ...base,
        status: final ? 'failed' : 'retrying',
        last_attempt_at: new Date().toISOString(),
        ...responseCode,
        last_error: describeFailure(error),
      });
      throw error;
    }
  }

  /** A failure to log never fails the delivery: a delivered notification must not be sent again for it. */
  private async log(delivery: WebhookDelivery): Promise<void> {
    try {
      await this.deliveries.record(delivery);
    } catch (error) {
      this.logger.warn(
        { member_id: delivery.member, alert_id: delivery.alert_id, job_id: delivery.job_id, error: String(error) },
        'webhook delivery not logged',
      );
    }
  }

  /** One notification, its payload parsed by `createWorker`; the endpoint's status when it answered 2xx. */
  private async deliver(notification: WebhookJob): Promise<number> {
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
    if (!response.ok) throw new EndpointRefusal(response.status);
    return response.status;
  }
}

/** The endpoint answered, but not with a 2xx. */
class EndpointRefusal extends Error {
  constructor(readonly status: number) {
    super(`endpoint answered ${status}`);
  }
}

/** What the log says about a failed attempt: the status, a timeout, or the network's reason (fetch hides it in `cause`). */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'endpoint did not answer within 5 s';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code || cause?.message) return `${error.message}: ${cause.code ?? cause.message}`;
  return error.message;
}

function webhookFields(job: Partial<WebhookJob> | undefined): Record<string, unknown> {
  return { type: job?.type, member_id: job?.member, alert_id: job?.alert_id };
}
