import type { OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { detectionContributionId, queues, type Detection } from '@soc/contracts';
import { createRedis } from '@soc/redis';

/**
 * The detections queue (BullMQ). The job id is the detection's contribution id (fingerprint plus
 * its events), so a batch redelivered after a crash enqueues nothing new while the first job is
 * known, and alerting folds it in once if it is enqueued again later.
 */
export class DetectionQueue implements OnModuleDestroy {
  private readonly queue: Queue;

  constructor(redisUrl: string, name: string) {
    this.queue = new Queue(name, {
      connection: createRedis(redisUrl, 'worker', `correlator-${name}`),
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
    await this.queue.addBulk(detections.map((d) => ({ name: job, data: d, opts: { jobId: detectionContributionId(d) } })));
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
  }
}
