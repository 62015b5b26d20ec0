import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { eventPatterns, type EventBatch } from '@soc/contracts';
import { BatchCorrelator } from './batch-correlator';
import { CorrelatorMetrics } from './metrics/correlator-metrics';

/**
 * Consumer group "correlator": each batch goes through the engine and its detections are
 * enqueued before the batch is acknowledged. A crash anywhere in between redelivers the batch;
 * deterministic detection ids make the replay harmless. Every batch leaves one log line with its
 * counts; late events are counted per member and never dropped silently.
 */
@Controller()
export class EventBatchHandler {
  private readonly logger = new Logger(EventBatchHandler.name);

  constructor(
    private readonly correlator: BatchCorrelator,
    private readonly metrics: CorrelatorMetrics,
  ) {}

  @EventPattern(eventPatterns.eventBatch)
  async handle(@Payload() batch: EventBatch): Promise<void> {
    const started = performance.now();
    const result = await this.correlator.correlate(batch.events);
    const seconds = (performance.now() - started) / 1000;

    const eventsByMember = new Map<string, number>();
    for (const event of batch.events) {
      const member = event.organization?.id ?? 'unknown';
      eventsByMember.set(member, (eventsByMember.get(member) ?? 0) + 1);
    }
    const { lateByMember } = result;
    this.metrics.recordBatch({
      seconds,
      eventsByMember,
      detections: result.detections,
      lateByMember,
      indicatorHits: result.indicatorHits,
      suppressedIndicatorHits: result.suppressedIndicatorHits,
    });

    const line =
      `batch ${batch.batch_id}: events=${batch.events.length} detections=${result.detections.length} ` +
      `late=${result.late} window_additions=${result.stats.windowAdditions} indicator_hits=${result.indicatorHits} suppressed_hits=${result.suppressedIndicatorHits} ` +
      `promotions=${result.promotions.length} ms=${Math.round(seconds * 1000)}`;
    if (result.late > 0) {
      const members = [...lateByMember].map(([m, n]) => `${m}:${n}`).join(',');
      this.logger.warn(`${line} late_by_member=${members}`);
    } else this.logger.log(line);
  }
}
