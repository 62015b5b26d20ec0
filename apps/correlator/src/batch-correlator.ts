import { commitCorrelation, CorrelationEngine, type CampaignStore, type CorrelationResult, type CorrelationStores } from '@soc/correlation';
import type { Detection, SocEvent } from '@soc/contracts';
import type { RuleProvenance } from '@soc/rule-catalogue';
import type { IndicatorRepository, IndicatorSightingsRepository } from '@soc/indicator-store';
import type { IngestionHealthRepository } from '@soc/ingestion-health';
import type { WindowStore } from '@soc/sigma';
import type { DetectionQueue } from './detection.queue';
import type { RunningRules } from './rules/live-rules';

/**
 * One batch through the engine and out to Redis, in the order that keeps a crash harmless:
 * evaluate (window and campaign state merged), enqueue detections, then commit what the engine
 * returned as fired (windows and campaigns spent) and record what the batch taught us (sightings,
 * promoted indicators, late events per member for ingestion health). A crash before the commit
 * leaves the windows unspent, so the redelivered batch fires them again with the same
 * fingerprints and events (folded in once) instead of finding them spent and losing the detections.
 */
export class BatchCorrelator {
  private readonly stores: CorrelationStores;
  private readonly rules: { readonly current: RunningRules };

  /** `engine`: a fixed engine, or the live rules whose current engine each batch takes (docs/RULES.md). */
  constructor(
    engine: CorrelationEngine | { readonly current: RunningRules },
    windows: WindowStore,
    campaigns: CampaignStore,
    private readonly detections: DetectionQueue,
    private readonly indicators: IndicatorRepository,
    private readonly sightings: IndicatorSightingsRepository,
    private readonly health: IngestionHealthRepository,
  ) {
    this.stores = { windows, campaigns };
    this.rules = engine instanceof CorrelationEngine ? { current: { engine, provenance: new Map(), revision: 0 } } : engine;
  }

  /**
   * `correlationId` is the batch's (docs/LOGGING.md): every detection it produces carries it, so
   * alerting's log line of the alert names the batch. The engine knows nothing of batches.
   */
  async correlate(events: readonly SocEvent[], correlationId?: string): Promise<CorrelationResult & { lateByMember: Map<string, number> }> {
    // One rule set for the whole batch: a catalogue change swaps it between batches.
    const { engine, provenance } = this.rules.current;
    const evaluated = await engine.evaluate(events, this.stores);
    // Each detection of a catalogue rule names its version, origin and licence (docs/RULES.md).
    const stamped = provenance.size === 0 ? evaluated.detections : evaluated.detections.map((d) => withProvenance(d, provenance.get(d.rule.id)));
    const result = {
      ...evaluated,
      detections: correlationId === undefined ? stamped : stamped.map((d) => ({ ...d, correlation_id: correlationId })),
    };
    const lateByMember = lateEventsByMember(events, result.lateEventIds);
    await this.detections.enqueue(result.detections);
    await Promise.all([
      commitCorrelation(this.stores, result.commit),
      this.sightings.record(result.sightings),
      // A redelivered batch counts its late events again: a health figure, like sightings.
      this.health.addLate(lateByMember),
      // Early warning: the campaign's observable joins the shared set, so the next member's first hit is detected.
      result.promotions.length > 0 ? this.indicators.upsert(result.promotions.map((p) => p.indicator)) : undefined,
    ]);
    return { ...result, lateByMember };
  }
}

function withProvenance(detection: Detection, provenance: RuleProvenance | undefined): Detection {
  return provenance ? { ...detection, rule: { ...detection.rule, ...provenance } } : detection;
}

/** How many of the batch's events were late for correlation, by the member that sent them. */
function lateEventsByMember(events: readonly SocEvent[], lateEventIds: ReadonlySet<string>): Map<string, number> {
  const byMember = new Map<string, number>();
  if (lateEventIds.size === 0) return byMember;
  for (const event of events) {
    const id = event.event?.id;
    if (id === undefined || !lateEventIds.has(id)) continue;
    const member = event.organization?.id ?? 'unknown';
    byMember.set(member, (byMember.get(member) ?? 0) + 1);
  }
  return byMember;
}
