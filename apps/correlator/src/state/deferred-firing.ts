import type { CampaignSighting, CampaignState, CampaignStore, CorrelationStores } from '@soc/correlation';
import type { FiredWindow, WindowState, WindowStore, WindowUpdate } from '@soc/sigma';

/**
 * The stores one batch evaluates against, with "this window fired" held back until the batch's
 * detections are enqueued. A replica killed in between leaves the windows unspent, so the
 * redelivered batch fires them again with the same fingerprint and events (the same contribution
 * id, folded in once) instead of finding them spent and losing the detection.
 */
export class DeferredFiring {
  private readonly firedWindows: FiredWindow[] = [];
  private readonly firedCampaigns: Array<{ key: string; until: number }> = [];
  readonly stores: CorrelationStores;

  constructor(
    private readonly windows: WindowStore,
    private readonly campaigns: CampaignStore,
  ) {
    this.stores = {
      windows: {
        applyBatch: (updates: readonly WindowUpdate[]): Promise<WindowState[]> => this.windows.applyBatch(updates),
        markFired: async (fired: readonly FiredWindow[]) => void this.firedWindows.push(...fired),
      },
      campaigns: {
        recordSightings: (sightings: readonly CampaignSighting[], windowMs: number): Promise<CampaignState[]> =>
          this.campaigns.recordSightings(sightings, windowMs),
        markFired: async (fired: ReadonlyArray<{ key: string; until: number }>) => void this.firedCampaigns.push(...fired),
      },
    };
  }

  /** Call after the detections are safely enqueued. */
  async commit(): Promise<void> {
    await Promise.all([this.windows.markFired(this.firedWindows), this.campaigns.markFired(this.firedCampaigns)]);
  }
}
