import type { Redis } from '@soc/redis';

export interface RateLimit {
  eventsPerSecond: number;
  burstEvents: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

// A token bucket per member, kept in Redis so that every collector replica draws from the same
// bucket. Redis' own clock is the time base (replicas' clocks may differ). A batch larger than
// the burst is admitted when the bucket is full and leaves it in debt, so big batches are slowed
// to the rate rather than refused forever.
const TOKEN_BUCKET = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - at) * rate / 1000)
local need = math.min(cost, burst)
if tokens < need then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
  redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
  return math.ceil((need - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - cost), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil((burst + cost) * 1000 / rate) + 1000)
return 0
`;

/** Per-member ingest rate limits, shared by all collector replicas through Redis. */
export class MemberRateLimitRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {
    redis.defineCommand('socTakeTokens', { numberOfKeys: 1, lua: TOKEN_BUCKET });
  }

  /** Takes `events` tokens from the member's bucket, or says how long until they would be there. */
  async take(memberId: string, events: number, limit: RateLimit): Promise<RateDecision> {
    const take = (this.redis as unknown as Record<string, (...args: unknown[]) => Promise<number>>).socTakeTokens;
    const waitMs = await take.call(this.redis, this.key(memberId), limit.eventsPerSecond, limit.burstEvents, events);
    return waitMs === 0 ? { allowed: true } : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  key(memberId: string): string {
    return `${this.keyPrefix}:ingest-rate:${memberId}`;
  }
}
