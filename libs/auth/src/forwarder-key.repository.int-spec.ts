import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { ForwarderKeyRepository, hashForwarderKey } from './forwarder-key.repository';
import { redisUrl, uniqueName } from '../../../test/support';

describe(ForwarderKeyRepository.name, () => {
  const redis = new Redis(redisUrl);
  const prefix = uniqueName('int', ':');
  // TTLs of 1 ms on a clock that moves a second per reading: these tests read Redis's answer, never
  // the cache's. (On the real clock a change and the next look-up can fall within one millisecond.)
  let clockMs = 0;
  const keys = new ForwarderKeyRepository(redis, prefix, { ttlMs: 1, negativeTtlMs: 1 }, () => (clockMs += 1_000));

  afterAll(async () => {
    await redis.del(`${prefix}:forwarder-keys`);
    await redis.quit();
  });

  it('lists records of a member without hashes or keys', async () => {
    const issued = await keys.create('0751', 'rsyslog');
    await keys.create('0101', 'vector');
    const listed = await keys.list('0751');
    expect(listed).toEqual([{ id: issued.id, member_id: '0751', label: 'rsyslog', created_at: issued.created_at }]);
    expect(JSON.stringify(await keys.list())).not.toContain(issued.key.slice(7, 20));
  });

  it('rotates a key: the new one resolves, the old one no longer does', async () => {
    const old = await keys.create('0461', 'old');
    const rotated = await keys.rotate(old.id);
    expect(rotated).toMatchObject({ member_id: '0461', label: 'old' });
    expect(rotated!.key).not.toBe(old.key);
    expect(await keys.resolve(rotated!.key)).toBe('0461');
    expect(await keys.resolve(old.key)).toBeUndefined();
    expect((await keys.list('0461')).map((r) => r.id)).toEqual([rotated!.id]);
  });

  it('keeps the format a key declares, through rotation, and answers it with the member', async () => {
    const issued = await keys.create('0330', 'winlogbeat on the WEC', { format: 'windows-json' });
    expect(issued).toMatchObject({ member_id: '0330', format: 'windows-json' });
    expect(await keys.resolveKey(issued.key)).toEqual({ memberId: '0330', format: 'windows-json' });
    const rotated = await keys.rotate(issued.id);
    expect(await keys.resolveKey(rotated!.key)).toEqual({ memberId: '0330', format: 'windows-json' });
    expect((await keys.list('0330')).map((record) => record.format)).toEqual(['windows-json']);
    const plain = await keys.create('0330', 'no format');
    expect(await keys.resolveKey(plain.key)).toEqual({ memberId: '0330' });
  });

  it('keeps the dataset and zone a key declares, through rotation, answers them, and lists them', async () => {
    const declared = { format: 'nginx-access', dataset: 'nginx.access', time_zone: 'America/New_York' } as const;
    const issued = await keys.create('0615', 'nginx web1', declared);
    expect(issued).toMatchObject({ member_id: '0615', label: 'nginx web1', ...declared });
    const resolved = { memberId: '0615', format: 'nginx-access', dataset: 'nginx.access', timeZone: 'America/New_York' };
    expect(await keys.resolveKey(issued.key)).toEqual(resolved);
    const rotated = await keys.rotate(issued.id);
    expect(rotated).toMatchObject(declared);
    expect(await keys.resolveKey(rotated!.key)).toEqual(resolved);
    expect(await keys.list('0615')).toEqual([{ id: rotated!.id, member_id: '0615', label: 'nginx web1', created_at: rotated!.created_at, ...declared }]);
  });

  it('reads a key stored before keys declared a dataset or zone as declaring none', async () => {
    const old = { id: randomUUID(), member_id: '0101', label: 'stored in 2025', created_at: '2025-06-01T00:00:00.000Z', format: 'sshd' };
    const key = `sockey_old-${randomUUID()}`;
    await redis.hset(`${prefix}:forwarder-keys`, hashForwarderKey(key), JSON.stringify(old));
    expect(await keys.resolveKey(key)).toEqual({ memberId: '0101', format: 'sshd' });
    expect((await keys.list('0101')).find((record) => record.id === old.id)).toEqual(old);
    const rotated = await keys.rotate(old.id);
    expect(Object.keys(rotated!).sort()).toEqual(['created_at', 'format', 'id', 'key', 'label', 'member_id']);
  });

  it('revokes a key, and answers false for an unknown id', async () => {
    const issued = await keys.create('0147');
    expect(await keys.revoke(issued.id)).toBe(true);
    expect(await keys.resolve(issued.key)).toBeUndefined();
    expect(await keys.revoke(issued.id)).toBe(false);
    expect(await keys.rotate(issued.id)).toBeUndefined();
  });

  describe('its look-up cache', () => {
    let clock = 0;
    const now = () => clock;
    const record = (memberId: string) => JSON.stringify({ id: randomUUID(), member_id: memberId, label: '', created_at: new Date().toISOString() });

    it('keeps answering a known key from its cache until the TTL has passed, so a revoked key stops within it', async () => {
      const cached = new ForwarderKeyRepository(redis, prefix, { ttlMs: 5_000, negativeTtlMs: 1_000 }, now);
      const issued = await keys.create('0751');
      clock = 1_000_000;
      expect(await cached.resolve(issued.key)).toBe('0751');
      await keys.revoke(issued.id);
      clock += 5_000;
      expect(await cached.resolve(issued.key)).toBe('0751');
      clock += 1;
      expect(await cached.resolve(issued.key)).toBeUndefined();
    });

    it('remembers an unknown key as unknown, for the shorter negative TTL', async () => {
      const cached = new ForwarderKeyRepository(redis, prefix, { ttlMs: 5_000, negativeTtlMs: 1_000 }, now);
      const key = `sockey_unknown-${randomUUID()}`;
      clock = 2_000_000;
      expect(await cached.resolve(key)).toBeUndefined();
      expect(cached.cachedEntries).toBe(1);
      // The key becomes known in Redis; the cached "unknown" still answers until the negative TTL ends.
      await redis.hset(`${prefix}:forwarder-keys`, hashForwarderKey(key), record('0461'));
      clock += 1_000;
      expect(await cached.resolve(key)).toBeUndefined();
      clock += 1;
      expect(await cached.resolve(key)).toBe('0461');
    });

    it('stays at its maximum size however many random keys are tried', async () => {
      const cached = new ForwarderKeyRepository(redis, prefix, { maxEntries: 100 }, now);
      const known = await keys.create('0101');
      clock = 3_000_000;
      for (let i = 0; i < 2_000; i++) {
        expect(await cached.resolve(`sockey_random-${i}-${randomUUID()}`)).toBeUndefined();
        expect(cached.cachedEntries).toBeLessThanOrEqual(100);
        // A forwarder in use is looked up often, so it is never the least recently used entry.
        if (i % 50 === 0) expect(await cached.resolve(known.key)).toBe('0101');
      }
      expect(cached.cachedEntries).toBe(100);
    });

    it('caches no answer when Redis fails, so the next look-up asks again', async () => {
      const broken = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
      const cached = new ForwarderKeyRepository(broken, prefix, {}, now);
      await expect(cached.resolve('sockey_any')).rejects.toThrow();
      expect(cached.cachedEntries).toBe(0);
      broken.disconnect();
    });
  });
});
