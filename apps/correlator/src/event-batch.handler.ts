import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { eventPatterns, type EventBatch } from '@soc/contracts';
import { StructuredLogger } from '@soc/platform';
import { BatchCorrelator } from './batch-correlator';
import { CorrelatorMetrics } from './metrics/correlator-metrics';

/**
 * Consumer group "correlator": each batch goes through the engine and its detections are
 * enqueued before the batch is acknowledged. A crash anywhere in between redelivers the batch;
 * deterministic detection ids make the replay harmless. Every batch leaves one log line, "batch
 * correlated", with its batch and correlation ids and counts as fields (docs/LOGGING.md); late
 * events are counted per member and never dropped silently.
 */
@Controller()
export class EventBatchHandler {
  private readonly logger = new StructuredLogger(EventBatchHandler.name);

  constructor(
    private readonly correlator: BatchCorrelator,
    private readonly metrics: CorrelatorMetrics,
  ) {}

  @EventPattern(eventPatterns.eventBatch)
  async handle(@Payload() batch: EventBatch): Promise<void> {
    const started = performance.now();
    const result = await this.correlator.correlate(batch.events, batch.correlation_id);
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

    const fields = {
      batch_id: batch.batch_id,
      correlation_id: batch.correlation_id,
      events: batch.events.length,
      events_by_member: Object.fromEntries(eventsByMember),
      detections: result.detections.length,
      late: result.late,
      late_by_member: Object.fromEntries(lateByMember),
      window_additions: result.stats.windowAdditions,
      indicator_hits: result.indicatorHits,
      suppressed_hits: result.suppressedIndicatorHits,
      promotions: result.promotions.length,
      ms: Math.round(seconds * 1000),
    };
    // Late events are worth a look (a forwarder's clock, a delayed queue): the line is a warning then.
    if (result.late > 0) this.logger.warn(fields, 'batch correlated');
    else this.logger.info(fields, 'batch correlated');
  }
}
