import { flatWindowKey, InMemoryWindowStore, type WindowEntry, type WindowUpdate } from '@soc/sigma';
import { WindowStateRepository } from './window-state.repository';
import { twoReplicaRedis } from './two-replica-redis.testing';
import { redisUrl } from '../../../test/support';

const base = Date.UTC(2026, 10, 28, 9, 0, 0);

function entry(n: number): WindowEntry {
  return { time: base + n * 1000, value: `v${n % 7}`, eventId: `e${n}` };
}

function update(key: string, entries: WindowEntry[]): WindowUpdate {
  return { scope: 'rule\u00000751', group: key, entries, latenessMs: 120_000, horizonMs: 600_000, maxEntries: 1_000, ttlMs: 60_000 };
}

describe(WindowStateRepository.name, () => {
  const db = twoReplicaRedis('window', redisUrl);

  it('keeps a group between batches with the TTL of its last update', async () => {
    const store = new WindowStateRepository(db.redis, db.prefix);
    await store.applyBatch([update('g1', [entry(1), entry(2)])]);
    const [state] = await store.applyBatch([update('g1', [entry(2), entry(3)])]);
    expect(state!.entries.map((e) => e.eventId)).toEqual(['e1', 'e2', 'e3']);
    expect(state!.watermark).toBe(base + 3000);
    const ttl = await db.redis.pttl(`${db.prefix}:window:${flatWindowKey(update('g1', []))}`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('reads a window an earlier version stored (entries with a key: step + event id) with the same identities', async () => {
    const store = new WindowStateRepository(db.redis, db.prefix);
    const redisKey = `${db.prefix}:window:${flatWindowKey(update('g1', []))}`;
    const old = { time: base + 1000, value: '0', eventId: 'e1', key: '0\u0000e1' };
    await db.redis.set(redisKey, JSON.stringify({ entries: [old], watermark: base + 1000, firedUntil: null }), 'PX', 60_000);
    // The same step redelivered is stored once; the same event as the next step is an entry of its own.
    const [state] = await store.applyBatch([
      update('g1', [
        { time: base + 1000, value: '0', eventId: 'e1' },
        { time: base + 1000, value: '1', eventId: 'e1' },
      ]),
    ]);
    expect(state!.entries.map((e) => `${e.eventId}:${e.value}`)).toEqual(['e1:0', 'e1:1']);
  });

  it('reports late entries against the watermark before the batch and never stores them', async () => {
    const store = new WindowStateRepository(db.redis, db.prefix);
    await store.applyBatch([update('g1', [entry(500)])]);
    const [state] = await store.applyBatch([update('g1', [entry(1)])]);
    expect(state!.late.map((e) => e.eventId)).toEqual(['e1']);
    expect(state!.entries.map((e) => e.eventId)).toEqual(['e500']);
  });

  it('marks a fired window with its start, keeps its spent entries (to know a redelivery) and the key TTL', async () => {
    const store = new WindowStateRepository(db.redis, db.prefix);
    await store.applyBatch([update('g1', [entry(1), entry(2), entry(10)])]);
    const ttlBefore = await db.redis.pttl(`${db.prefix}:window:${flatWindowKey(update('g1', []))}`);
    await store.markFired([
      { ...update('g1', []), until: base + 5000, starts: { rule: base + 1000 } },
      { ...update('missing', []), until: base },
    ]);
    const [state] = await store.applyBatch([update('g1', [entry(3), entry(2)])]);
    expect(state).toMatchObject({ firedUntil: base + 5000, firedStarts: { rule: base + 1000 }, suppressed: 1 });
    expect(state!.added.map((e) => e.eventId)).toEqual(['e3']);
    expect(state!.entries.map((e) => e.eventId)).toEqual(['e1', 'e2', 'e3', 'e10']);
    expect(await db.redis.exists(`${db.prefix}:window:${flatWindowKey(update('missing', []))}`)).toBe(0);
    expect(await db.redis.pttl(`${db.prefix}:window:${flatWindowKey(update('g1', []))}`)).toBeGreaterThan(ttlBefore - 5_000);
  });

  it("keeps a correlation family's per-member marks, and spends only what every member fired past", async () => {
    const store = new WindowStateRepository(db.redis, db.prefix);
    await store.applyBatch([update('g1', [entry(1), entry(2), entry(10)])]);
    // Member a fired a window ending at +5 s; b has not fired: nothing is spent yet.
    await store.markFired([{ ...update('g1', []), until: -Infinity, marks: { a: base + 5000 } }]);
    let [state] = await store.applyBatch([update('g1', [])]);
    expect(state!.fired).toEqual({ a: base + 5000 });
    expect(state!.firedUntil).toBeNull();
    expect(state!.entries.map((e) => e.eventId)).toEqual(['e1', 'e2', 'e10']);
    // b fires up to +1.5 s, a again up to +12 s, from another replica in the other order: marks only grow.
    await store.markFired([{ ...update('g1', []), until: base + 1500, marks: { b: base + 1500 } }]);
    await new WindowStateRepository(db.other, db.prefix).markFired([{ ...update('g1', []), until: base + 1500, marks: { a: base + 4000 } }]);
    [state] = await store.applyBatch([update('g1', [])]);
    expect(state!.fired).toEqual({ a: base + 5000, b: base + 1500 });
    expect(state!.firedUntil).toBe(base + 1500);
    expect(state!.entries.map((e) => e.eventId)).toEqual(['e1', 'e2', 'e10']);
  });

  it('ends two replicas racing on the same keys in the state one replica reaches alone', async () => {
    const groups = Array.from({ length: 20 }, (_, g) => `g${g}`);
    const batches = Array.from({ length: 8 }, (_, b) =>
      groups.map((g) =>
        update(
          g,
          Array.from({ length: 10 }, (_, i) => entry(b * 10 + i)),
        ),
      ),
    );
    const replicaA = new WindowStateRepository(db.redis, db.prefix);
    const replicaB = new WindowStateRepository(db.other, db.prefix);
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
