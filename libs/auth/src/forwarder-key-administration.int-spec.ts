import Redis from 'ioredis';
import { allMembers, memberScope } from '@soc/contracts';
import { ForwarderKeyAdministration, ForwarderKeyAuditTrail } from './forwarder-key-administration';
import { ForwarderKeyRepository } from './forwarder-key.repository';
import { redisUrl, uniqueName } from '../../../test/support';

describe(ForwarderKeyAdministration.name, () => {
  const redis = new Redis(redisUrl);
  const prefix = uniqueName('int', ':');
  // TTLs of 1 ms on a clock that moves a second per reading: these tests read Redis's answer, never
  // the cache's. (On the real clock a revoke and the next look-up can fall within one millisecond.)
  let clockMs = 0;
  const keys = new ForwarderKeyRepository(redis, prefix, { ttlMs: 1, negativeTtlMs: 1 }, () => (clockMs += 1_000));
  const trail = new ForwarderKeyAuditTrail(redis, prefix, 5);
  const administration = new ForwarderKeyAdministration(keys, trail);
  const aarhus = memberScope('0751');
  const mads = { sub: 'mads', role: 'member', name: 'Mads Aarhus' };
  const alma = { sub: 'alma', role: 'member' };
  const admin = { sub: 'sofie', role: 'soc_admin', name: 'Sofie Admin' };

  afterAll(async () => {
    await redis.del(`${prefix}:forwarder-keys`, trail.key);
    await redis.quit();
  });

  it("lists a member's own keys only, whatever member it asks for; the SOC lists every member's or one", async () => {
    const own = await administration.create(mads, '0751', 'rsyslog', {});
    const other = await administration.create(admin, '0851', 'vector', {});
    expect((await administration.list(aarhus)).map((k) => k.id)).toEqual([own.id]);
    expect(await administration.list(aarhus, '0851')).toEqual([]);
    expect((await administration.list(aarhus, '0751')).map((k) => k.id)).toEqual([own.id]);
    expect((await administration.list(allMembers)).map((k) => k.id)).toEqual(expect.arrayContaining([own.id, other.id]));
    expect((await administration.list(allMembers, '0851')).map((k) => k.id)).toEqual([other.id]);
  });

  it("treats another member's key as missing: no rotation, no revocation, the key still works, nothing audited", async () => {
    const other = await administration.create(admin, '0851', 'beats', {});
    const before = await redis.llen(trail.key);
    expect(await administration.rotate(mads, aarhus, other.id)).toBeUndefined();
    expect(await administration.revoke(mads, aarhus, other.id)).toBe(false);
    expect(await keys.get(other.id, aarhus)).toBeUndefined();
    expect(await keys.resolve(other.key)).toBe('0851');
    expect(await redis.llen(trail.key)).toBe(before);
  });

  it('rotates and revokes its own key, the old secret refused, each change audited with who, when and what', async () => {
    const issued = await administration.create(mads, '0751', 'winlogbeat', { format: 'windows-json' });
    const rotated = await administration.rotate(mads, aarhus, issued.id);
    expect(rotated).toMatchObject({ member_id: '0751', label: 'winlogbeat', format: 'windows-json' });
    expect(await keys.resolve(issued.key)).toBeUndefined();
    expect(await keys.resolve(rotated!.key)).toBe('0751');
    expect(await administration.revoke(alma, aarhus, rotated!.id)).toBe(true);
    expect(await keys.resolve(rotated!.key)).toBeUndefined();
    expect(await administration.revoke(alma, aarhus, rotated!.id)).toBe(false);

    const entries = await administration.audit(aarhus, 3);
    expect(entries.map((e) => [e.action, e.target.id, e.actor.sub, e.organization.id, e.after])).toEqual([
      ['forwarder_key_revoked', rotated!.id, 'alma', '0751', { label: 'winlogbeat' }],
      ['forwarder_key_rotated', issued.id, 'mads', '0751', { label: 'winlogbeat', replaced_by: rotated!.id }],
      ['forwarder_key_created', issued.id, 'mads', '0751', { label: 'winlogbeat' }],
    ]);
    expect(entries[1]!.actor).toEqual(mads);
    expect(Date.now() - Date.parse(entries[0]!.at)).toBeLessThan(60_000);
    // Never a secret or a hash in the trail.
    const stored = (await redis.lrange(trail.key, 0, -1)).join('\n');
    expect(stored).not.toContain(issued.key.slice(7));
    expect(stored).not.toContain(rotated!.key.slice(7));
  });

  it("shows a member only its own keys' changes, the SOC every member's, and keeps the newest up to its capacity", async () => {
    await administration.create(admin, '0851', 'one more', {});
    expect((await administration.audit(aarhus, 100)).every((e) => e.organization.id === '0751')).toBe(true);
    expect(await administration.audit(aarhus, 100, '0851')).toEqual([]);
    const all = await administration.audit(allMembers, 100);
    expect(all).toHaveLength(5);
    expect(all[0]).toMatchObject({ action: 'forwarder_key_created', organization: { id: '0851' }, actor: admin, after: { label: 'one more' } });
    expect((await administration.audit(allMembers, 100, '0851')).every((e) => e.organization.id === '0851')).toBe(true);
  });
});
