import type { Redis } from '@soc/redis';
import { IndicatorKeys } from './indicator-keys';

/**
 * A sighting not counted yet: a member's event matched an indicator at this event time.
 * `record` adds it to what is stored per indicator and member (`MemberSightings`).
 */
export interface NewIndicatorSighting {
  indicatorId: string;
  memberId: string;
  time: number;
  /** Hits this sighting stands for (default 1). */
  count?: number;
}

export interface MemberSightings {
  memberId: string;
  count: number;
  lastSeen: string;
}

/** Sightings are kept this long after the indicator's last one. */
const SIGHTINGS_TTL_SECONDS = 90 * 24 * 3600;

/**
 * Sightings per indicator per member: how many and the latest event time. One pipeline per batch;
 * counts are HINCRBY (a redelivered batch counts again: sightings are a trend, not an audit trail),
 * the last-seen time only ever moves forward.
 */
export class IndicatorSightingsRepository {
  private readonly keys: IndicatorKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new IndicatorKeys(prefix, redis.isCluster);
  }

  async record(sightings: readonly NewIndicatorSighting[]): Promise<void> {
    if (sightings.length === 0) return;
    const folded = new Map<string, { indicatorId: string; memberId: string; count: number; last: number }>();
    for (const s of sightings) {
      const id = `${s.indicatorId}\u0000${s.memberId}`;
      const current = folded.get(id);
      const hits = s.count ?? 1;
      if (current) {
        current.count += hits;
        current.last = Math.max(current.last, s.time);
      } else folded.set(id, { indicatorId: s.indicatorId, memberId: s.memberId, count: hits, last: s.time });
    }
    const pipeline = this.redis.pipeline();
    for (const { indicatorId, memberId, count, last } of folded.values()) {
      const key = this.keys.sightings(indicatorId);
      pipeline.hincrby(key, memberId, count);
      pipeline.eval(raiseLastSeen, 1, key, `${memberId}:last`, String(last));
      pipeline.expire(key, SIGHTINGS_TTL_SECONDS);
    }
    const results = await pipeline.exec();
    const error = results?.find(([e]) => e !== null)?.[0];
    if (error) throw error;
  }

  async forIndicator(indicatorId: string): Promise<MemberSightings[]> {
    const fields = await this.redis.hgetall(this.keys.sightings(indicatorId));
    return Object.entries(fields)
      .filter(([field]) => !field.endsWith(':last'))
      .map(([memberId, count]) => ({
        memberId,
        count: Number(count),
        lastSeen: new Date(Number(fields[`${memberId}:last`] ?? 0)).toISOString(),
      }))
      .sort((a, b) => a.memberId.localeCompare(b.memberId));
  }
}

const raiseLastSeen = `
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if tonumber(ARGV[2]) > current then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 0
`;
