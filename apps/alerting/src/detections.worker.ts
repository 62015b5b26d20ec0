import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { AppConfig } from '@soc/config';
import { describeZodError, detectionSchema } from '@soc/contracts';
import { MemberDirectory } from '@soc/members';
import { createRedis } from '@soc/redis';
import { assessRisk } from '@soc/scoring';
import { AlertRepository } from '@soc/storage';
import { APP_CONFIG } from './alerting.providers';

/** Turns each detection job into an alert (or folds it into the alert it belongs to). */
@Injectable()
export class DetectionsWorker implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DetectionsWorker.name);
  private worker?: Worker;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly alerts: AlertRepository,
    private readonly members: MemberDirectory,
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

  private async process(job: Job): Promise<void> {
    const parsed = detectionSchema.safeParse(job.data);
    if (!parsed.success) {
      const problems = describeZodError(parsed.error).map((p) => `${p.path}: ${p.message}`);
      throw new UnrecoverableError(`invalid detection payload: ${problems.join('; ')}`);
    }
    const detection = parsed.data;
    const member = this.members.get(detection.organization.id);
    await this.alerts.upsertFromDetection(detection, assessRisk(detection, member?.criticality));
  }
}
