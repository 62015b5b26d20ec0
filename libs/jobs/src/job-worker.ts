import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { z } from 'zod';
import { describeZodError, type JobKind } from '@soc/contracts';
import { StructuredLogger } from '@soc/platform';
import { createRedis, type Redis } from '@soc/redis';
import { logErrorsOnce } from './error-log';
import { bullPrefix } from './queue-prefix';
import type { JobHandlers } from './job-handlers';
import type { JobConnection } from './job-queue';

/** Handles one job's payload, already parsed with the kind's schema. Throwing fails the attempt (BullMQ retries it). */
export type JobHandler<P extends z.ZodType> = (payload: z.infer<P>, job: Job) => Promise<void>;

export interface JobWorkerOptions {
  /** The app's handler registry: the worker registers its kind there for the start-up check. */
  handlers: JobHandlers;
  /** Fields naming what a failed job was about (member, alert); never secrets or bodies. */
  failedFields?: (job: Job) => Record<string, unknown>;
}

/**
 * A job's payload parsed with its kind's schema, or an UnrecoverableError naming every bad field:
 * a malformed payload fails for good instead of being retried.
 */
export function parseJobPayload<P extends z.ZodType>(kind: Pick<JobKind<P>, 'kind' | 'payload'>, data: unknown): z.infer<P> {
  const parsed = kind.payload.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = describeZodError(parsed.error).map((p) => `${p.path}: ${p.message}`);
  throw new UnrecoverableError(`invalid ${kind.kind} payload: ${problems.join('; ')}`);
}

/**
 * The consumer side of one catalogue job kind: a BullMQ worker on the kind's queue name and
 * prefix with its concurrency and retention, that parses each payload before the handler sees
 * it, logs errors once and failed jobs with their fields. It owns its Redis connection and
 * closes it on `close()`.
 */
export class JobWorker<P extends z.ZodType, N extends string> {
  readonly worker: Worker;
  readonly name: string;
  private readonly connection: Redis;
  private readonly logger = new StructuredLogger('JobWorker');

  constructor(
    readonly kind: JobKind<P, N>,
    handler: JobHandler<P>,
    connection: JobConnection,
    options: JobWorkerOptions,
  ) {
    const handling = kind.handledBy;
    if (handling.app === 'none') throw new Error(`${kind.kind} jobs have no worker: they are taken by ${handling.takenBy}`);
    options.handlers.register(kind);
    this.name = kind.queueName(connection.settings);
    const retry = kind.retry(connection.settings);
    this.connection = createRedis(connection.redisUrl, 'worker', connection.connectionName);
    this.worker = new Worker(this.name, (job: Job) => handler(parseJobPayload(kind, job.data), job), {
      connection: this.connection,
      prefix: bullPrefix(kind, this.name, connection.settings, this.connection.isCluster),
      concurrency: handling.concurrency,
      removeOnComplete: retry.removeOnComplete === true ? { count: 0 } : retry.removeOnComplete === false ? undefined : retry.removeOnComplete,
      removeOnFail: retry.removeOnFail === true ? { count: 0 } : retry.removeOnFail === false ? undefined : retry.removeOnFail,
    });
    logErrorsOnce(this.worker, this.connection, { queue: this.name, kind: kind.kind });
    this.worker.on('failed', (job, error) => {
      const final = job !== undefined && (error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1));
      this.logger.warn(
        {
          queue: this.name,
          kind: kind.kind,
          job_id: job?.id,
          attempt: job?.attemptsMade,
          final,
          error: error.message,
          ...(job && options.failedFields?.(job)),
        },
        'job failed',
      );
    });
  }

  /** Waits for the running jobs, then closes the worker and its connection. */
  async close(): Promise<void> {
    await this.worker.close();
    this.connection.disconnect();
  }
}

/** The worker of a catalogue job kind; registers the kind with the app's handlers. */
export function createWorker<P extends z.ZodType, N extends string>(
  kind: JobKind<P, N>,
  handler: JobHandler<P>,
  connection: JobConnection,
  options: JobWorkerOptions,
): JobWorker<P, N> {
  return new JobWorker(kind, handler, connection, options);
}
