import Redis from 'ioredis';
import { MemberRateLimitRepository } from './member-rate-limit.repository';
import { redisUrl, uniqueName } from '../../../test/support';

describe(MemberRateLimitRepository.name, () => {
  const redis = new Redis(redisUrl);
  const prefix = uniqueName('int', ':');
  const limits = new MemberRateLimitRepository(redis, prefix);
  const limit = { eventsPerSecond: 100, burstEvents: 500 };

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('admits a burst, then refuses with the time until enough tokens are back', async () => {
    expect(await limits.take('0751', 500, limit)).toEqual({ allowed: true });
    expect(await limits.take('0751', 200, limit)).toEqual({ allowed: false, retryAfterSeconds: 2 });
  });

  it('keeps one bucket per member: a noisy member does not use up another one', async () => {
    expect(await limits.take('0461', 500, limit)).toEqual({ allowed: true });
    expect((await limits.take('0461', 100, limit)).allowed).toBe(false);
    expect(await limits.take('0101', 100, limit)).toEqual({ allowed: true });
  });

  it('admits a batch larger than the burst from a full bucket and leaves it in debt', async () => {
    expect(await limits.take('0147', 1_000, limit)).toEqual({ allowed: true });
    expect(await limits.take('0147', 1, limit)).toEqual({ allowed: false, retryAfterSeconds: 6 });
  });

  it('refills at the configured rate', async () => {
    const fast = { eventsPerSecond: 10_000, burstEvents: 100 };
    // The clock starts before the bucket is emptied: the bucket counts from when Redis ran the
    // first take, and under load its answer can arrive several milliseconds after that.
    const start = Date.now();
    expect(await limits.take('0330', 100, fast)).toEqual({ allowed: true });
    let decision = await limits.take('0330', 100, fast);
    while (!decision.allowed) decision = await limits.take('0330', 100, fast);
    expect(Date.now() - start).toBeGreaterThanOrEqual(8);
  });
});
