import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { eventPatterns, type EventBatch } from '@soc/contracts';
import { DetectionQueue } from './detection.queue';
import { DETECTION_ENGINE, type DetectionEngine } from './detection-engine';

/**
 * Consumer group "correlator": each batch goes through the engine and its detections are
 * enqueued before the batch is acknowledged. A crash anywhere in between redelivers the batch;
 * deterministic detection ids make the replay harmless.
 */
@Controller()
export class EventBatchHandler {
  private readonly logger = new Logger(EventBatchHandler.name);

  constructor(
    @Inject(DETECTION_ENGINE) private readonly engine: DetectionEngine,
    private readonly detections: DetectionQueue,
  ) {}

  @EventPattern(eventPatterns.eventBatch)
  async handle(@Payload() batch: EventBatch): Promise<void> {
    const result = await this.engine.evaluate(batch.events);
    await this.detections.enqueue(result.detections);
    if (result.late > 0) this.logger.warn(`batch ${batch.batch_id}: ${result.late} late events outside every window`);
  }
}
