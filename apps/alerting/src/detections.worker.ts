import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { AppConfig } from '@soc/config';
import { describeZodError, detectionSchema, type Detection } from '@soc/contracts';
import { createRedis } from '@soc/redis';
import { APP_CONFIG } from './alerting.providers';
import { AlertIntake } from './intake/alert-intake';

/**
 * The BullMQ side of the detections queue: parses each job and hands the detection to
 * `AlertIntake`. A bad payload fails for good (UnrecoverableError, naming each field); anything
 * the intake throws fails the attempt, and BullMQ retries it.
 */
@Injectable()
export class DetectionsWorker implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DetectionsWorker.name);
  private worker?: Worker;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly intake: AlertIntake,
  ) {}

  onModuleInit(): void {
    this.worker = new Worker(this.config.queues.detections, (job) => this.process(job), {
      connection: createRedis(this.config.redis.url, 'worker', 'alerting-detections'),
      concurrency: 16,
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
    this.worker.on('error', (error) => this.logger.error(`detections worker: ${error.message}`));
    this.worker.on('failed', (job, error) => this.logger.warn(`detection ${job?.id} failed: ${error.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }

  // Returns nothing to BullMQ: a job's return value is stored with the job in Redis.
  private async process(job: Job): Promise<void> {
    await this.intake.take(parseDetection(job));
  }
}

function parseDetection(job: Job): Detection {
  const parsed = detectionSchema.safeParse(job.data);
  if (parsed.success) return parsed.data;
  const problems = describeZodError(parsed.error).map((p) => `${p.path}: ${p.message}`);
  throw new UnrecoverableError(`invalid detection payload: ${problems.join('; ')}`);
}
