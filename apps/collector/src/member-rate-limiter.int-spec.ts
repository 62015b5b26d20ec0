import Redis from 'ioredis';
import { MemberRateLimitRepository } from './member-rate-limit.repository';
import { MemberRateLimiter } from './member-rate-limiter';
import { redisUrl, uniqueName } from '../../../test/support';

describe(MemberRateLimiter.name, () => {
  const redis = new Redis(redisUrl);
  const prefix = uniqueName('int', ':');
  const buckets = new MemberRateLimitRepository(redis, prefix);

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('spends a leased chunk locally, then goes back to the shared bucket', async () => {
    const limiter = new MemberRateLimiter(buckets);
    const limit = { eventsPerSecond: 1_000, burstEvents: 1_000 };
    expect(await limiter.take('0751', 10, limit)).toEqual({ allowed: true }); // leases 100
    const tokensAfterLease = Number(await redis.hget(buckets.key('0751'), 'tokens'));
    for (let i = 0; i < 9; i++) expect(await limiter.take('0751', 10, limit)).toEqual({ allowed: true });
    expect(Number(await redis.hget(buckets.key('0751'), 'tokens'))).toBe(tokensAfterLease);
    expect(tokensAfterLease).toBeLessThanOrEqual(900 + 5);
  });

  it('never lets two replicas together admit more than the member bucket holds', async () => {
    const replicas = [new MemberRateLimiter(buckets), new MemberRateLimiter(buckets)];
    const limit = { eventsPerSecond: 1, burstEvents: 1_000 };
    let admitted = 0;
    for (let i = 0; i < 60; i++) {
      if ((await replicas[i % 2].take('0461', 50, limit)).allowed) admitted += 50;
    }
    expect(admitted).toBeLessThanOrEqual(1_000 + 50);
    expect(admitted).toBeGreaterThanOrEqual(900);
  });

  it('refuses with Retry-After once the shared bucket is empty', async () => {
    const limiter = new MemberRateLimiter(buckets);
    const limit = { eventsPerSecond: 10, burstEvents: 100 };
    expect(await limiter.take('0101', 100, limit)).toEqual({ allowed: true });
    expect(await limiter.take('0101', 50, limit)).toEqual({ allowed: false, retryAfterSeconds: 5 });
  });
});
