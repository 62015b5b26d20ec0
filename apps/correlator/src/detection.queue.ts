import type { OnModuleDestroy } from '@nestjs/common';
import { detectionJobId, jobs, type Detection } from '@soc/contracts';
import { createQueue, type JobQueue } from '@soc/jobs';

/**
 * The detections queue (`jobs.detections` in the catalogue). The job id is `detectionJobId`: the
 * contribution id (fingerprint plus its events), or for a Sigma correlation the window's
 * fingerprint alone. So a batch redelivered after a crash enqueues nothing new while the first job
 * is known, alerting folds it in once if it is enqueued again later, and two replicas firing one
 * correlation window at the same instant enqueue it once.
 */
export class DetectionQueue implements OnModuleDestroy {
  private readonly queue: JobQueue<typeof jobs.detections.payload, 'detection'>;

  constructor(redisUrl: string, name: string) {
    this.queue = createQueue(jobs.detections, { redisUrl, settings: { detectionsQueue: name }, connectionName: `correlator-${name}` });
  }

  async enqueue(detections: Detection[]): Promise<void> {
    await this.queue.addBulk(detections.map((d) => ({ name: 'detection', payload: d, options: { jobId: detectionJobId(d) } })));
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
  }
}
