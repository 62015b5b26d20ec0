import {
  markCampaignFired,
  mergeCampaign,
  sightingsByKey,
  type CampaignSighting,
  type CampaignState,
  type CampaignStore,
  type StoredCampaign,
} from '@soc/correlation';
import { spreadTag, type Redis } from '@soc/redis';
import { updateKeys } from './keyed-state.script';

/** Wall-clock margin on top of the two windows a campaign key can still matter for. */
const TTL_MARGIN_MS = 3_600_000;

/**
 * Cross-member campaign state in Redis, shared by every replica: per campaign key, which members
 * saw the observable and when. Same scheme as the window store: one MGET per batch, `mergeCampaign`
 * in memory, compare-and-set, re-merge only the keys another replica changed in between.
 */
export class CampaignStateRepository implements CampaignStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  /** `<prefix>:campaign:<key>`; on a Redis Cluster with a tag per campaign key (`spreadTag`), as windows. */
  private redisKey(campaign: string): string {
    return this.redis.isCluster ? `${this.keyPrefix}:campaign:${spreadTag(campaign)}:${campaign}` : `${this.keyPrefix}:campaign:${campaign}`;
  }

  async recordSightings(sightings: readonly CampaignSighting[], windowMs: number): Promise<CampaignState[]> {
    const byKey = sightingsByKey(sightings);
    const keys = [...byKey.keys()];
    return updateKeys(
      this.redis,
      keys.map((k) => this.redisKey(k)),
      (index, previous) => {
        const key = keys[index]!;
        const stored = mergeCampaign(previous === null ? undefined : (JSON.parse(previous) as StoredCampaign), byKey.get(key)!, windowMs);
        return {
          write: { value: JSON.stringify(stored), ttlMs: 2 * windowMs + TTL_MARGIN_MS },
          result: { key, observable: stored.observable, members: stored.members, firedUntil: stored.firedUntil },
        };
      },
    );
  }

  async markFired(fired: ReadonlyArray<{ key: string; until: number }>): Promise<void> {
    if (fired.length === 0) return;
    await updateKeys(
      this.redis,
      fired.map((f) => this.redisKey(f.key)),
      (index, previous) => {
        if (previous === null) return { result: undefined };
        const stored = markCampaignFired(JSON.parse(previous) as StoredCampaign, fired[index]!.until);
        return { write: { value: JSON.stringify(stored), ttlMs: 'keep' }, result: undefined };
      },
    );
  }
}
