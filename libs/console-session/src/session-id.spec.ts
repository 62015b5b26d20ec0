import { isSessionIdShaped, newSessionId, sessionKeyOf } from './session-id';

describe('newSessionId', () => {
  it('makes 256-bit base64url ids that differ each time and have the accepted shape', () => {
    const ids = new Set(Array.from({ length: 100 }, newSessionId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(isSessionIdShaped(id)).toBe(true);
  });

  it('refuses values no session id has: tampered lengths, other alphabets, separators', () => {
    const id = newSessionId();
    for (const bad of ['', id.slice(1), `${id}x`, `${id.slice(0, 42)}=`, `${id.slice(0, 42)}:`, '../../etc/passwd']) expect(isSessionIdShaped(bad)).toBe(false);
  });
});

describe('sessionKeyOf', () => {
  it('keys a session by the SHA-256 of its id under the prefix, never by the id itself', () => {
    const id = newSessionId();
    const key = sessionKeyOf('soc:console', 'session', id);
    expect(key).toMatch(/^soc:console:session:[0-9a-f]{64}$/);
    expect(key).not.toContain(id);
    expect(sessionKeyOf('soc:console', 'sign-in', id)).toBe(key.replace(':session:', ':sign-in:'));
  });
});
