import { spreadTag, type Redis } from '@soc/redis';
import {
  markWindowFired,
  mergeWindow,
  flatWindowKey,
  storedWindowJson,
  type FiredWindow,
  type StoredWindow,
  type WindowState,
  type WindowKey,
  type WindowStore,
  type WindowUpdate,
} from '@soc/sigma';
import { updateKeys } from './keyed-state.script';

/**
 * Correlation windows in Redis, shared by every correlator replica. A batch touches each group key
 * once: one MGET, `mergeWindow` in memory, one compare-and-set script. A key another replica
 * changed in between is re-read and merged again, so two replicas racing on one key end exactly
 * where one replica applying both batches would (merging is order-independent per entry key).
 */
export class WindowStateRepository implements WindowStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  /**
   * `<prefix>:window:<scope and group>`; on a Redis Cluster with a tag of its own in between
   * (`spreadTag`), so windows spread over every master (docs/SCALING.md "Redis Cluster").
   */
  private redisKey(key: WindowKey): string {
    const flat = flatWindowKey(key);
    return this.redis.isCluster ? `${this.keyPrefix}:window:${spreadTag(flat)}:${flat}` : `${this.keyPrefix}:window:${flat}`;
  }

  async applyBatch(updates: readonly WindowUpdate[]): Promise<WindowState[]> {
    if (updates.length === 0) return [];
    return updateKeys(
      this.redis,
      updates.map((u) => this.redisKey(u)),
      (index, previous) => {
        const update = updates[index]!;
        const { stored, state } = mergeWindow(previous === null ? undefined : (JSON.parse(previous) as StoredWindow), update);
        return { write: { value: storedWindowJson(stored), ttlMs: update.ttlMs }, result: state };
      },
    );
  }

  async markFired(fired: readonly FiredWindow[]): Promise<void> {
    if (fired.length === 0) return;
    await updateKeys(
      this.redis,
      fired.map((f) => this.redisKey(f)),
      (index, previous) => {
        // An expired key has nothing left to spend.
        if (previous === null) return { result: undefined };
        const mark = fired[index]!;
        const stored = markWindowFired(JSON.parse(previous) as StoredWindow, mark.until, mark.marks, mark.starts);
        return { write: { value: storedWindowJson(stored), ttlMs: 'keep' }, result: undefined };
      },
    );
  }
}
