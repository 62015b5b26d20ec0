import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { ForwarderKeyRepository } from './forwarder-key.repository';

describe(ForwarderKeyRepository.name, () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `int:${randomUUID().slice(0, 8)}`;
  const keys = new ForwarderKeyRepository(redis, prefix, 0);

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

  it('revokes a key, and answers false for an unknown id', async () => {
    const issued = await keys.create('0147');
    expect(await keys.revoke(issued.id)).toBe(true);
    expect(await keys.resolve(issued.key)).toBeUndefined();
    expect(await keys.revoke(issued.id)).toBe(false);
    expect(await keys.rotate(issued.id)).toBeUndefined();
  });

  it('keeps answering from its cache until the cache time has passed', async () => {
    const cached = new ForwarderKeyRepository(redis, prefix, 5_000);
    const issued = await keys.create('0751');
    const t0 = Date.now();
    expect(await cached.resolve(issued.key, t0)).toBe('0751');
    await keys.revoke(issued.id);
    expect(await cached.resolve(issued.key, t0 + 4_999)).toBe('0751');
    expect(await cached.resolve(issued.key, t0 + 5_000)).toBeUndefined();
  });
});
