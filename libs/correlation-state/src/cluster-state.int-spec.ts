import { InMemoryCampaignStore, type CampaignSighting } from '@soc/correlation';
import { createRedis, type Redis } from '@soc/redis';
import { InMemoryWindowStore, type WindowEntry, type WindowUpdate } from '@soc/sigma';
import { LocalRedisCluster } from '../../../test/support/redis-cluster';
import { uniqueId } from '../../../test/support';
import { CampaignStateRepository } from './campaign-state.repository';
import { WindowStateRepository } from './window-state.repository';

const base = Date.UTC(2026, 10, 28, 9, 0, 0);

function entry(n: number): WindowEntry {
  return { time: base + n * 1000, value: `v${n % 7}`, eventId: `e${n}` };
}

function update(group: string, entries: WindowEntry[]): WindowUpdate {
  return { scope: 'rule\u00000751', group, entries, latenessMs: 120_000, horizonMs: 600_000, maxEntries: 1_000, ttlMs: 60_000 };
}

function sighting(key: string, memberId: string, minute: number): CampaignSighting {
  return { key, observable: { field: 'source.ip', value: key }, memberId, time: base + minute * 60_000, eventId: `${memberId}-${minute}` };
}

describe('correlation state on a Redis Cluster', () => {
  let cluster: LocalRedisCluster;
  let replicaA: Redis;
  let replicaB: Redis;

  beforeAll(async () => {
    cluster = await LocalRedisCluster.start();
    replicaA = createRedis(cluster.url, 'worker', 'cluster-state-a');
    replicaB = createRedis(cluster.url, 'worker', 'cluster-state-b');
  }, 180_000);

  afterAll(async () => {
    replicaA?.disconnect();
    replicaB?.disconnect();
    await cluster?.stop();
  });

  it('spreads the windows of one batch over every master, and two replicas racing end where one alone would', async () => {
    const prefix = `test:${uniqueId()}`;
    const groups = Array.from({ length: 40 }, (_, g) => `10.0.0.${g}`);
    const batches = Array.from({ length: 6 }, (_, b) =>
      groups.map((g) =>
        update(
          g,
          Array.from({ length: 5 }, (_, i) => entry(b * 5 + i)),
        ),
      ),
    );
    const a = new WindowStateRepository(replicaA, prefix);
    const b = new WindowStateRepository(replicaB, prefix);
    await Promise.all(batches.flatMap((batch) => [a.applyBatch(batch), b.applyBatch(batch)]));

    const alone = new InMemoryWindowStore();
    for (const batch of batches) await alone.applyBatch(batch);
    const expected = await alone.applyBatch(groups.map((g) => update(g, [])));
    const shared = await a.applyBatch(groups.map((g) => update(g, [])));
    expect(shared.map(({ entries, watermark }) => ({ entries, watermark }))).toEqual(expected.map(({ entries, watermark }) => ({ entries, watermark })));
    expect(shared[0]!.entries).toHaveLength(30);

    // Never one tag for everything: every master holds some of the batch's windows.
    const held = await cluster.keysByMaster(`${prefix}:window:*`);
    expect([...held.values()].reduce((sum, list) => sum + list.length, 0)).toBe(groups.length);
    expect([...held.values()].filter((list) => list.length > 0)).toHaveLength(3);
  });

  it('keeps campaigns per key across replicas as one store would', async () => {
    const prefix = `test:${uniqueId()}`;
    const keys = Array.from({ length: 20 }, (_, k) => `ip${k}`);
    const members = ['0751', '0101', '0461', '0851'];
    const batches = members.map((member, m) => keys.map((key) => sighting(key, member, m)));
    const a = new CampaignStateRepository(replicaA, prefix);
    const b = new CampaignStateRepository(replicaB, prefix);
    await Promise.all(batches.map((batch, i) => (i % 2 === 0 ? a : b).recordSightings(batch, 3_600_000)));
    const alone = new InMemoryCampaignStore();
    for (const batch of batches) await alone.recordSightings(batch, 3_600_000);
    const probe = keys.map((key) => sighting(key, '0751', 0));
    const [shared, expected] = await Promise.all([a.recordSightings(probe, 3_600_000), alone.recordSightings(probe, 3_600_000)]);
    expect(shared.map((s) => s.members.map((m) => m.memberId).sort())).toEqual(expected.map((s) => s.members.map((m) => m.memberId).sort()));
    expect(shared[0]!.members).toHaveLength(4);
  });
});
