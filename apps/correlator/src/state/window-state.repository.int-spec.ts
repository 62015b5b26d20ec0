import { randomUUID } from 'node:crypto';
import { createRedis, type Redis } from '@soc/redis';
import { flatWindowKey, InMemoryWindowStore, type WindowEntry, type WindowUpdate } from '@soc/sigma';
import { WindowStateRepository } from './window-state.repository';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const base = Date.UTC(2026, 10, 28, 9, 0, 0);

function entry(n: number): WindowEntry {
  return { key: `e${n}`, time: base + n * 1000, value: `v${n % 7}`, eventId: `e${n}` };
}

function update(key: string, entries: WindowEntry[]): WindowUpdate {
  return { scope: 'rule\u00000751', group: key, entries, latenessMs: 120_000, horizonMs: 600_000, maxEntries: 1_000, ttlMs: 60_000 };
}

describe(WindowStateRepository.name, () => {
  let redis: Redis;
  let other: Redis;
  let prefix: string;

  beforeAll(() => {
    redis = createRedis(redisUrl, 'worker', 'window-test');
    other = createRedis(redisUrl, 'worker', 'window-test-2');
  });
  beforeEach(() => {
    prefix = `test:${randomUUID().slice(0, 8)}`;
  });
  afterEach(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  });
  afterAll(() => {
    redis.disconnect();
    other.disconnect();
  });

  it('keeps a group between batches with the TTL of its last update', async () => {
    const store = new WindowStateRepository(redis, prefix);
    await store.applyBatch([update('g1', [entry(1), entry(2)])]);
    const [state] = await store.applyBatch([update('g1', [entry(2), entry(3)])]);
    expect(state!.entries.map((e) => e.key)).toEqual(['e1', 'e2', 'e3']);
    expect(state!.watermark).toBe(base + 3000);
    const ttl = await redis.pttl(`${prefix}:window:${flatWindowKey(update('g1', []))}`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('reports late entries against the watermark before the batch and never stores them', async () => {
    const store = new WindowStateRepository(redis, prefix);
    await store.applyBatch([update('g1', [entry(500)])]);
    const [state] = await store.applyBatch([update('g1', [entry(1)])]);
    expect(state!.late.map((e) => e.key)).toEqual(['e1']);
    expect(state!.entries.map((e) => e.key)).toEqual(['e500']);
  });

  it('spends the entries of a fired window and keeps the key TTL', async () => {
    const store = new WindowStateRepository(redis, prefix);
    await store.applyBatch([update('g1', [entry(1), entry(2), entry(10)])]);
    const ttlBefore = await redis.pttl(`${prefix}:window:${flatWindowKey(update('g1', []))}`);
    await store.markFired([{ ...update('g1', []), until: base + 5000 }, { ...update('missing', []), until: base }]);
    const [state] = await store.applyBatch([update('g1', [entry(3)])]);
    expect(state!.entries.map((e) => e.key)).toEqual(['e10']);
    expect(state!.suppressed).toBe(1);
    expect(await redis.exists(`${prefix}:window:${flatWindowKey(update('missing', []))}`)).toBe(0);
    expect(await redis.pttl(`${prefix}:window:${flatWindowKey(update('g1', []))}`)).toBeGreaterThan(ttlBefore - 5_000);
  });

  it('ends two replicas racing on the same keys in the state one replica reaches alone', async () => {
    const groups = Array.from({ length: 20 }, (_, g) => `g${g}`);
    const batches = Array.from({ length: 8 }, (_, b) =>
      groups.map((g) => update(g, Array.from({ length: 10 }, (_, i) => entry(b * 10 + i)))),
    );
    const replicaA = new WindowStateRepository(redis, prefix);
    const replicaB = new WindowStateRepository(other, prefix);
    // Both replicas apply every batch at once (a redelivery race), on two connections.
    await Promise.all(batches.flatMap((batch) => [replicaA.applyBatch(batch), replicaB.applyBatch(batch)]));

    const alone = new InMemoryWindowStore();
    for (const batch of batches) await alone.applyBatch(batch);
    const expected = await alone.applyBatch(groups.map((g) => update(g, [])));
    const shared = await replicaA.applyBatch(groups.map((g) => update(g, [])));
    expect(shared.map(({ entries, watermark, firedUntil }) => ({ entries, watermark, firedUntil }))).toEqual(
      expected.map(({ entries, watermark, firedUntil }) => ({ entries, watermark, firedUntil })),
    );
    expect(shared[0]!.entries).toHaveLength(80);
  });
});
