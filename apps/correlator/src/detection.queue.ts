import type { OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { detectionJobId, queues, type Detection } from '@soc/contracts';
import { createRedis, type Redis } from '@soc/redis';

/**
 * The detections queue (BullMQ). The job id is `detectionJobId`: the contribution id (fingerprint
 * plus its events), or for a Sigma correlation the window's fingerprint alone. So a batch redelivered
 * after a crash enqueues nothing new while the first job is known, alerting folds it in once if it is
 * enqueued again later, and two replicas firing one correlation window at the same instant enqueue
 * it once.
 */
export class DetectionQueue implements OnModuleDestroy {
  private readonly queue: Queue;
  /** BullMQ leaves a connection it was given open on close: this one is ours to close. */
  private readonly connection: Redis;

  constructor(redisUrl: string, name: string) {
    this.connection = createRedis(redisUrl, 'worker', `correlator-${name}`);
    this.queue = new Queue(name, {
      connection: this.connection,
      defaultJobOptions: {
        attempts: 10,
        backoff: { type: 'exponential', delay: 1_000 },
        removeOnComplete: { age: 3600, count: 10_000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    });
    this.queue.on('error', () => undefined);
  }

  async enqueue(detections: Detection[]): Promise<void> {
    if (detections.length === 0) return;
    const job = 'detection' satisfies keyof typeof queues.detections.jobs;
    await this.queue.addBulk(detections.map((d) => ({ name: job, data: d, opts: { jobId: detectionJobId(d) } })));
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}
