import { randomUUID } from 'node:crypto';
import { familyKey, type Redis } from '@soc/redis';
import { emptyTaxiiFeedStatus, type TaxiiFeedStatus } from './taxii-feed-status';

// Each write checks in the same script that this replica still holds the feed's lock, so a
// replica whose lock expired mid-pull (paused, say) cannot move the cursor back under the new holder.
const SET_IF_HOLDING = `if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('set', KEYS[2], ARGV[2]) return 1 end return 0`;
const RENEW_IF_HOLDING = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`;
const RELEASE_IF_HOLDING = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

/** A feed's lock as this replica holds it. */
export interface TaxiiFeedLock {
  readonly feedId: string;
  readonly token: string;
}

/**
 * Per-feed state in Redis under `<prefix>:taxii:<feed id>:`: `cursor` (the `added_after` the next
 * pull starts from), `status` (JSON, `TaxiiFeedStatus`) and `lock` (the replica pulling now, with
 * an expiry), so that a restart resumes and only one replica pulls a feed at a time.
 */
export class TaxiiFeedStateRepository {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  // The scripts check the lock while writing the cursor: on a Redis Cluster a feed's keys share the tag `{taxii:<feed id>}`.
  private key(feedId: string, part: 'cursor' | 'status' | 'lock'): string {
    return `${familyKey(this.prefix, `taxii:${feedId}`, this.redis.isCluster)}:${part}`;
  }

  /** The lock, or undefined while another replica holds it. */
  async tryLock(feedId: string, ttlMs: number): Promise<TaxiiFeedLock | undefined> {
    const token = randomUUID();
    const set = await this.redis.set(this.key(feedId, 'lock'), token, 'PX', ttlMs, 'NX');
    return set === 'OK' ? { feedId, token } : undefined;
  }

  /** Extends the lock; false when it expired and may be someone else's now. */
  async renew(lock: TaxiiFeedLock, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(RENEW_IF_HOLDING, 1, this.key(lock.feedId, 'lock'), lock.token, String(ttlMs))) === 1;
  }

  async release(lock: TaxiiFeedLock): Promise<void> {
    await this.redis.eval(RELEASE_IF_HOLDING, 1, this.key(lock.feedId, 'lock'), lock.token);
  }

  async cursor(feedId: string): Promise<string | undefined> {
    return (await this.redis.get(this.key(feedId, 'cursor'))) ?? undefined;
  }

  /** Stores the cursor while holding the lock; false when the lock was lost. */
  async advanceCursor(lock: TaxiiFeedLock, cursor: string): Promise<boolean> {
    return this.setIfHolding(lock, 'cursor', cursor);
  }

  async status(feedId: string): Promise<TaxiiFeedStatus> {
    const text = await this.redis.get(this.key(feedId, 'status'));
    return text === null ? emptyTaxiiFeedStatus() : { ...emptyTaxiiFeedStatus(), ...(JSON.parse(text) as Partial<TaxiiFeedStatus>) };
  }

  /** Stores the status while holding the lock; false when the lock was lost. */
  async saveStatus(lock: TaxiiFeedLock, status: TaxiiFeedStatus): Promise<boolean> {
    return this.setIfHolding(lock, 'status', JSON.stringify(status));
  }

  private async setIfHolding(lock: TaxiiFeedLock, part: 'cursor' | 'status', value: string): Promise<boolean> {
    const keys = [this.key(lock.feedId, 'lock'), this.key(lock.feedId, part)];
    return (await this.redis.eval(SET_IF_HOLDING, 2, ...keys, lock.token, value)) === 1;
  }
}
