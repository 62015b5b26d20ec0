import { MemberRateLimitRepository, type RateDecision, type RateLimit } from './member-rate-limit.repository';

/** Tokens a replica takes from the shared bucket at once: a tenth of a second at the member's rate. */
const LEASE_FRACTION_OF_RATE = 0.1;
/** Unused leased tokens are dropped after this long, so an idle replica does not hoard them. */
const LEASE_TTL_MS = 1_000;

/**
 * Per-member rate limiting without a Redis round trip per request: a replica leases a chunk of
 * tokens from the member's shared bucket and spends it locally. Leased tokens are gone from the
 * shared bucket, so the members' rates hold across replicas; unused ones expire with the lease
 * (a replica can only under-admit, never over-admit). Profiling showed the per-request script
 * call at ~15 % of the collector's CPU with batches of 100.
 */
export class MemberRateLimiter {
  private readonly leases = new Map<string, { tokens: number; until: number }>();

  constructor(private readonly buckets: MemberRateLimitRepository) {}

  async take(memberId: string, events: number, limit: RateLimit, now = Date.now()): Promise<RateDecision> {
    const lease = this.leases.get(memberId);
    if (lease && lease.until > now && lease.tokens >= events) {
      lease.tokens -= events;
      return { allowed: true };
    }
    const chunk = Math.max(events, Math.min(limit.burstEvents, Math.floor(limit.eventsPerSecond * LEASE_FRACTION_OF_RATE)));
    let decision = await this.buckets.take(memberId, chunk, limit);
    let taken = chunk;
    if (!decision.allowed && chunk > events) {
      decision = await this.buckets.take(memberId, events, limit);
      taken = events;
    }
    if (!decision.allowed) return decision;
    this.leases.set(memberId, { tokens: taken - events, until: now + LEASE_TTL_MS });
    return decision;
  }
}
