import { InMemoryCampaignStore, type CampaignSighting } from '@soc/correlation';
import { CampaignStateRepository } from './campaign-state.repository';
import { twoReplicaRedis } from './two-replica-redis.testing';
import { redisUrl } from '../../../test/support';

const base = Date.UTC(2026, 10, 28, 9, 0, 0);
const windowMs = 3_600_000;

function sighting(key: string, memberId: string, minute: number): CampaignSighting {
  return { key, observable: { field: 'source.ip', value: key }, memberId, time: base + minute * 60_000, eventId: `${memberId}-${minute}` };
}

describe(CampaignStateRepository.name, () => {
  const db = twoReplicaRedis('campaign', redisUrl);

  it('gathers the members that saw one observable across batches', async () => {
    const store = new CampaignStateRepository(db.redis, db.prefix);
    await store.recordSightings([sighting('ip1', '0751', 1), sighting('ip1', '0101', 2)], windowMs);
    const [state] = await store.recordSightings([sighting('ip1', '0461', 3), sighting('ip1', '0751', 4)], windowMs);
    expect(state!.members.map((m) => m.memberId)).toEqual(['0751', '0101', '0461']);
    expect(state!.members[0]!.lastSeen).toBe(base + 4 * 60_000);
    expect(await db.redis.pttl(`${db.prefix}:campaign:ip1`)).toBeGreaterThan(2 * windowMs);
  });

  it('remembers the fired window of a key', async () => {
    const store = new CampaignStateRepository(db.redis, db.prefix);
    await store.recordSightings([sighting('ip1', '0751', 1)], windowMs);
    await store.markFired([
      { key: 'ip1', until: base + windowMs },
      { key: 'gone', until: base },
    ]);
    const [state] = await store.recordSightings([sighting('ip1', '0101', 2)], windowMs);
    expect(state!.firedUntil).toBe(base + windowMs);
    expect(await db.redis.exists(`${db.prefix}:campaign:gone`)).toBe(0);
  });

  it('ends two replicas racing on the same keys in the state one replica reaches alone', async () => {
    const members = Array.from({ length: 30 }, (_, i) => String(100 + i).padStart(4, '0'));
    const batches = members.map((m, i) => ['ip1', 'ip2', 'ip3'].map((ip) => sighting(ip, m, i)));
    const replicaA = new CampaignStateRepository(db.redis, db.prefix);
    const replicaB = new CampaignStateRepository(db.other, db.prefix);
    await Promise.all(batches.flatMap((b) => [replicaA.recordSightings(b, windowMs), replicaB.recordSightings(b, windowMs)]));

    const alone = new InMemoryCampaignStore();
    for (const b of batches) await alone.recordSightings(b, windowMs);
    const expected = await alone.recordSightings([sighting('ip1', '0100', 0), sighting('ip2', '0100', 0), sighting('ip3', '0100', 0)], windowMs);
    const shared = await replicaA.recordSightings([sighting('ip1', '0100', 0), sighting('ip2', '0100', 0), sighting('ip3', '0100', 0)], windowMs);
    expect(shared).toEqual(expected);
    expect(shared[0]!.members).toHaveLength(30);
  });
});
