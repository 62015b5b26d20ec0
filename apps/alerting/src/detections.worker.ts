import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '@soc/config';
import { jobs } from '@soc/contracts';
import { createWorker, JobHandlers, jobSettings, type JobWorker } from '@soc/jobs';
import { APP_CONFIG } from './alerting.providers';
import { AlertIntake } from './intake/alert-intake';

/**
 * The BullMQ side of the detections queue (`jobs.detections`): `createWorker` parses each job
 * and this hands the detection to `AlertIntake`. A bad payload fails for good
 * (UnrecoverableError, naming each field); anything the intake throws fails the attempt, and
 * BullMQ retries it.
 */
@Injectable()
export class DetectionsWorker implements OnModuleInit, OnModuleDestroy {
  private worker?: JobWorker<typeof jobs.detections.payload, 'detection'>;

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
        await this.intake.take(detection);
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
