import { randomUUID } from 'node:crypto';
import { createRedis, type Redis } from '@soc/redis';

/**
 * Test support for the state repositories: two connections to the real Redis (as two correlator
 * replicas would hold) and a fresh key prefix per test, whose keys are deleted after it. Registers
 * the jest hooks; read the fields inside tests.
 */
export function twoReplicaRedis(name: string, redisUrl: string): { redis: Redis; other: Redis; prefix: string } {
  const context = {} as { redis: Redis; other: Redis; prefix: string };
  beforeAll(() => {
    context.redis = createRedis(redisUrl, 'worker', `${name}-test`);
    context.other = createRedis(redisUrl, 'worker', `${name}-test-2`);
  });
  beforeEach(() => {
    context.prefix = `test:${randomUUID().slice(0, 8)}`;
  });
  afterEach(async () => {
    const keys = await context.redis.keys(`${context.prefix}:*`);
    if (keys.length > 0) await context.redis.del(...keys);
  });
  afterAll(() => {
    context.redis.disconnect();
    context.other.disconnect();
  });
  return context;
}
