import type { Job, Queue } from 'bullmq';
import type { DeadLetter, DeadLetterDetail, DeadLetterStats, ReplayOutcome } from './dead-letter';
import type { DeadLetterStore } from './dead-letter-store';

interface WebhookData {
  member?: string;
  url?: string;
  type?: string;
  alert_id?: string;
  body?: string;
}

/**
 * Webhook dead letters: jobs of the webhooks queue that failed their last attempt (BullMQ's failed
 * set, as before). Replay moves the job back to waiting with its attempts reset (`Job.retry`), which
 * removes it from the failed set in the same step; discard removes the job.
 */
export class WebhookDeadLetters implements DeadLetterStore {
  readonly kind = 'webhook' as const;

  constructor(private readonly queue: Queue) {}

  private letterOf(job: Job<WebhookData>): DeadLetter {
    const data = job.data ?? {};
    return {
      kind: this.kind,
      id: job.id!,
      at: new Date(job.finishedOn ?? job.timestamp).toISOString(),
      members: [data.member ?? 'unknown'],
      reason: job.failedReason ?? '',
      attempts: job.attemptsMade,
      source: `${data.type ?? job.name} → ${data.url ?? '?'}`,
      summary: `alert ${data.alert_id ?? '?'}, ${data.body?.length ?? 0} bytes`,
    };
  }

  private async failedJob(id: string): Promise<Job<WebhookData> | undefined> {
    const job = (await this.queue.getJob(id)) as Job<WebhookData> | undefined;
    if (!job || !(await job.isFailed())) return undefined;
    return job;
  }

  async list(): Promise<DeadLetter[]> {
    const jobs = (await this.queue.getFailed(0, -1)) as Array<Job<WebhookData> | undefined>;
    return jobs.filter((job): job is Job<WebhookData> => Boolean(job?.id)).map((job) => this.letterOf(job));
  }

  /** The job's data in full except the secret reference, which names a secret the operator need not see. */
  async get(id: string): Promise<DeadLetterDetail | undefined> {
    const job = await this.failedJob(id);
    if (!job) return undefined;
    const { member, url, type, alert_id, body } = job.data ?? {};
    return { ...this.letterOf(job), payload: { member, url, type, alert_id, body, stacktrace: job.stacktrace } };
  }

  async replay(id: string): Promise<ReplayOutcome> {
    const job = await this.failedJob(id);
    if (!job) return { kind: this.kind, id, outcome: 'not_found', detail: `no failed webhook job ${id}` };
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return { kind: this.kind, id, outcome: 'replayed', detail: `job ${id} back in the ${this.queue.name} queue` };
  }

  async discard(id: string): Promise<boolean> {
    const job = await this.failedJob(id);
    if (!job) return false;
    await job.remove();
    return true;
  }

  async stats(): Promise<DeadLetterStats> {
    const count = await this.queue.getFailedCount();
    // The failed set is ordered by finishing time; the last of BullMQ's newest-first listing is the oldest.
    const [oldest] = count > 0 ? ((await this.queue.getFailed(count - 1, count - 1)) as Array<Job | undefined>) : [];
    const at = oldest ? (oldest.finishedOn ?? oldest.timestamp) : undefined;
    return { kind: this.kind, count, ...(at ? { oldest_at: new Date(at).toISOString() } : {}) };
  }
}
