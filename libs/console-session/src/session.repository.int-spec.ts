import { createRedis } from '@soc/redis';
import { redisUrl, uniqueId } from '../../../test/support';
import { sessionOf } from './session-tokens';
import { SessionRepository } from './session.repository';

const user = { sub: 'u', name: 'Anna', role: 'soc_analyst' as const, member_id: null };

describe(SessionRepository.name, () => {
  const redis = createRedis(redisUrl, 'worker', 'console-session-int');
  const prefix = `int:${uniqueId()}:console`;
  const sessions = new SessionRepository(redis, prefix);
  const session = sessionOf({ accessToken: 'a1', expiresInSeconds: 300, refreshToken: 'r1', idToken: 'i1' }, user, Date.now());

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('stores a session under the hash of its id with the TTL given, and reads it back by the id', async () => {
    const id = await sessions.create(session, 1800);
    expect(await sessions.read(id)).toEqual(session);
    const [key] = await redis.keys(`${prefix}:session:*`);
    expect(key).not.toContain(id);
    expect(await redis.ttl(key!)).toBeGreaterThan(1790);
    expect(await redis.get(key!)).not.toContain(id);
  });

  it('answers nothing for an unknown or tampered id, and after deletion', async () => {
    const id = await sessions.create(session, 60);
    const tampered = `${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}`;
    expect(await sessions.read(tampered)).toBeUndefined();
    expect(await sessions.read('not-a-session-id')).toBeUndefined();
    await sessions.delete(id);
    expect(await sessions.read(id)).toBeUndefined();
  });

  it('replaces a session only while it exists, so a sign-out during a refresh is not undone', async () => {
    const id = await sessions.create(session, 60);
    expect(await sessions.replace(id, { ...session, accessToken: 'a2' }, 120)).toBe(true);
    expect((await sessions.read(id))?.accessToken).toBe('a2');
    await sessions.delete(id);
    expect(await sessions.replace(id, { ...session, accessToken: 'a3' }, 120)).toBe(false);
    expect(await sessions.read(id)).toBeUndefined();
  });

  it('hands out a pending sign-in once', async () => {
    const pending = { state: 's', nonce: 'n', codeVerifier: 'v' };
    const id = await sessions.beginSignIn(pending);
    expect(await sessions.takeSignIn(id)).toEqual(pending);
    expect(await sessions.takeSignIn(id)).toBeUndefined();
  });
});
