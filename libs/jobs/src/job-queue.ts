import { Queue, type JobsOptions } from 'bullmq';
import type { z } from 'zod';
import type { JobKind, JobSettings } from '@soc/contracts';
import { createRedis, type Redis } from '@soc/redis';
import { logErrorsOnce } from './error-log';
import { bullPrefix } from './queue-prefix';

/** Where a queue or worker connects: Redis, the deployment's settings, and the client's name in CLIENT LIST. */
export interface JobConnection {
  redisUrl: string;
  settings: JobSettings;
  connectionName: string;
}

/** What a producer may set per job; attempts, backoff and retention come from the catalogue. */
export type PerJobOptions = Pick<JobsOptions, 'jobId' | 'delay' | 'priority'>;

/**
 * The producer side of one catalogue job kind: its queue under the catalogue's name and prefix,
 * every job added with the kind's retry policy, errors logged once. It owns its Redis connection
 * (role `worker`: waits for Redis instead of failing) and closes it on `close()`, which BullMQ
 * does not do for a connection it was handed.
 */
export class JobQueue<P extends z.ZodType, N extends string> {
  /** The BullMQ queue, for reads (getJobs, getFailed, getJob) and removals; its job data is the kind's payload. */
  readonly queue: Queue;
  readonly name: string;
  private readonly connection: Redis;

  constructor(
    readonly kind: JobKind<P, N>,
    connection: JobConnection,
  ) {
    this.name = kind.queueName(connection.settings);
    this.connection = createRedis(connection.redisUrl, 'worker', connection.connectionName);
    this.queue = new Queue(this.name, {
      connection: this.connection,
      prefix: bullPrefix(kind, this.name, connection.settings, this.connection.isCluster),
      defaultJobOptions: kind.retry(connection.settings),
    });
    logErrorsOnce(this.queue, this.connection, { queue: this.name, kind: kind.kind });
  }

  async add(name: N, payload: z.infer<P>, options: PerJobOptions = {}): Promise<void> {
    await this.queue.add(name, payload, options);
  }

  async addBulk(jobs: Array<{ name: N; payload: z.infer<P>; options?: PerJobOptions }>): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue.addBulk(jobs.map((job) => ({ name: job.name, data: job.payload, opts: job.options })));
  }

  /** Closes the queue, then its connection. */
  async close(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}

/** The queue of a catalogue job kind (`jobs.detections`, `jobs.sla`, …). */
export function createQueue<P extends z.ZodType, N extends string>(kind: JobKind<P, N>, connection: JobConnection): JobQueue<P, N> {
  return new JobQueue(kind, connection);
}
