import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '@soc/config';
import { jobs, type Detection, type JobHandling } from '@soc/contracts';
import { createWorker, JobHandlers, jobSettings, type JobWorker } from '@soc/jobs';
import { APP_CONFIG } from './alerting.providers';
import { AlertIntake } from './intake/alert-intake';
import { MicroBatcher } from './intake/intake-batcher';

/**
 * The intake's batches (docs/ALERTING.md, "Batched intake"): half the worker's concurrency, so
 * that the next batch gathers while one is being written; and the time a batch waits for more
 * after its first detection, short against an Elasticsearch round trip under load.
 */
export const detectionBatchLimits = {
  maxSize: Math.max(1, Math.floor(concurrencyOf(jobs.detections.handledBy) / 2)),
  windowMs: 5,
};

/**
 * The BullMQ side of the detections queue (`jobs.detections`): `createWorker` parses each job
 * and this hands the detection to `AlertIntake` through a `MicroBatcher`, which takes the
 * detections of the jobs running at once as batches. A bad payload fails for good
 * (UnrecoverableError, naming each field); whatever failed a detection fails its attempt (and
 * only its own), and BullMQ retries it.
 */
@Injectable()
export class DetectionsWorker implements OnModuleInit, OnModuleDestroy {
  private worker?: JobWorker<typeof jobs.detections.payload, 'detection'>;
  private readonly batcher = new MicroBatcher((detections: Detection[]) => this.intake.takeMany(detections), detectionBatchLimits);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly intake: AlertIntake,
    private readonly handlers: JobHandlers,
  ) {}

  onModuleInit(): void {
    this.worker = createWorker(
      jobs.detections,
      // Returns nothing to BullMQ: a job's return value is stored with the job in Redis.
      async (detection) => {
        await this.batcher.submit(detection);
      },
      { redisUrl: this.config.redis.url, settings: jobSettings(this.config), connectionName: 'alerting-detections' },
      { handlers: this.handlers, failedFields: correlationOf },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }
}

/** The failed job's correlation id, when its payload had one (docs/LOGGING.md). */
function correlationOf(job: { data: unknown }): Record<string, unknown> {
  const id = (job.data as { correlation_id?: unknown } | undefined)?.correlation_id;
  return typeof id === 'string' ? { correlation_id: id } : {};
}

function concurrencyOf(handling: JobHandling): number {
  return handling.app === 'none' ? 1 : handling.concurrency;
}
