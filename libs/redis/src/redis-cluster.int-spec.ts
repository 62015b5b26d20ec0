import { LocalRedisCluster } from '../../../test/support/redis-cluster';
import { uniqueId } from '../../../test/support';
import { createRedis, familyKey, groupBySlot, pingRedis, spreadTag, type Redis } from './index';

describe('createRedis on a Redis Cluster (three masters, three replicas)', () => {
  let cluster: LocalRedisCluster;
  const clients: Redis[] = [];
  const client = (role: 'producer' | 'consumer' | 'worker') => {
    const redis = createRedis(cluster.url, role, `cluster-int-spec-${role}`);
    clients.push(redis);
    return redis;
  };

  beforeAll(async () => {
    cluster = await LocalRedisCluster.start();
  }, 180_000);

  afterAll(async () => {
    for (const redis of clients) redis.disconnect();
    await cluster?.stop();
  });

  it('connects to every master through the redis+cluster:// URL, for every role', async () => {
    for (const role of ['producer', 'consumer', 'worker'] as const) {
      const redis = client(role);
      await new Promise((resolve) => (redis.status === 'ready' ? resolve(undefined) : redis.once('ready', resolve)));
      expect(redis.isCluster).toBe(true);
      expect(await pingRedis(redis)).toBe(true);
    }
    // Keys with their own tags land on different masters: the cluster is used, not one node.
    const redis = client('worker');
    const keys = Array.from({ length: 30 }, (_, i) => `t:${spreadTag(`k${i}`)}:${i}`);
    await Promise.all(keys.map((key, i) => redis.set(key, String(i))));
    expect(new Set(await Promise.all(keys.map((key) => cluster.masterPortOf(key)))).size).toBe(3);
  });

  it('refuses an MGET over spread keys (CROSSSLOT), and takes it per slot group', async () => {
    const redis = client('worker');
    const keys = Array.from({ length: 20 }, (_, i) => `mget:${uniqueId()}:${spreadTag(String(i))}`);
    await Promise.all(keys.map((key, i) => redis.set(key, `v${i}`)));
    await expect(redis.mget(...keys)).rejects.toThrow(/CROSSSLOT|same slot/);
    const values = new Array<string | null>(keys.length);
    for (const group of groupBySlot(keys, true)) {
      const got = await redis.mget(...group.map((i) => keys[i]!));
      group.forEach((index, n) => (values[index] = got[n] ?? null));
    }
    expect(values).toEqual(keys.map((_, i) => `v${i}`));
  });

  it('runs a MULTI over the keys of one family', async () => {
    const redis = client('worker');
    const base = familyKey(`f:${uniqueId()}`, 'indicators', true);
    const results = await redis.multi().hset(base, 'a', '1').xadd(`${base}:changes`, '*', 'upsert', 'a').exec();
    expect(results?.every(([error]) => error === null)).toBe(true);
    await expect(redis.multi().set(`${base}:x`, '1').set(`other:${uniqueId()}`, '1').exec()).rejects.toThrow();
  });

  it('lets a consumer ride out the SIGKILL of the master holding its key until the replica takes over', async () => {
    const redis = client('consumer');
    const key = `failover:${uniqueId()}`;
    // Acknowledged by the replica before the kill: what this spec tests is the client, not replication's
    // lag. WAIT goes in one pipeline with the SET, so it runs on the key's master; sent alone, a
    // Cluster client routes a keyless command to any node, whose answer says nothing about this key.
    const written = await redis.pipeline().set(key, 'kept').call('WAIT', '1', '5000').exec();
    expect(written).toEqual([
      [null, 'OK'],
      [null, 1],
    ]);
    const master = await cluster.masterPortOf(key);
    await cluster.kill(master);
    // Sent while the master is dead: answered once the replica has taken over, not failed.
    const during = redis.get(key);
    await cluster.waitForFailover(master, 90_000);
    expect(await during).toBe('kept');
    expect(await cluster.masterPortOf(key)).not.toBe(master);
    expect(await redis.set(key, 'after')).toBe('OK');
  }, 120_000);
});
