import type { CampaignStore, CorrelationEngine, CorrelationResult } from '@soc/correlation';
import type { SocEvent } from '@soc/contracts';
import type { IndicatorRepository, IndicatorSightingsRepository } from '@soc/indicator-store';
import type { WindowStore } from '@soc/sigma';
import type { DetectionQueue } from './detection.queue';
import { DeferredFiring } from './state/deferred-firing';

/**
 * One batch through the engine and out to Redis, in the order that keeps a crash harmless:
 * evaluate (window and campaign state merged), enqueue detections, then spend fired windows and
 * record what the batch taught us (sightings, promoted indicators).
 */
export class BatchCorrelator {
  constructor(
    private readonly engine: CorrelationEngine,
    private readonly windows: WindowStore,
    private readonly campaigns: CampaignStore,
    private readonly detections: DetectionQueue,
    private readonly indicators: IndicatorRepository,
    private readonly sightings: IndicatorSightingsRepository,
  ) {}

  async correlate(events: readonly SocEvent[]): Promise<CorrelationResult> {
    const firing = new DeferredFiring(this.windows, this.campaigns);
    const result = await this.engine.evaluate(events, firing.stores);
    await this.detections.enqueue(result.detections);
    await Promise.all([
      firing.commit(),
      this.sightings.record(result.sightings),
      // Early warning: the campaign's observable joins the shared set, so the next member's first hit is detected.
      result.promotions.length > 0 ? this.indicators.upsert(result.promotions.map((p) => p.indicator)) : undefined,
    ]);
    return result;
  }
}
