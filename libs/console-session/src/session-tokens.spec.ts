import type { ConsoleSession } from './console-session';
import { accessTokenNeedsRefresh, sessionLifetimeSeconds, sessionOf } from './session-tokens';

const user = { sub: 'u', name: 'Anna', role: 'soc_analyst' as const, member_id: null };
const now = 1_700_000_000_000;

describe('sessionOf', () => {
  it('keeps the tokens with the access token expiry in epoch milliseconds', () => {
    expect(sessionOf({ accessToken: 'a1', expiresInSeconds: 300, refreshToken: 'r1', idToken: 'i1' }, user, now)).toEqual({
      user,
      accessToken: 'a1',
      accessExpiresAt: now + 300_000,
      refreshToken: 'r1',
      idToken: 'i1',
      signedInAt: now,
    });
  });

  it('keeps the previous refresh and ID token and sign-in time when a refresh answers without them', () => {
    const previous = sessionOf({ accessToken: 'a1', expiresInSeconds: 300, refreshToken: 'r1', idToken: 'i1' }, user, now);
    const next = sessionOf({ accessToken: 'a2', expiresInSeconds: 300 }, user, now + 280_000, previous);
    expect(next).toMatchObject({ accessToken: 'a2', refreshToken: 'r1', idToken: 'i1', signedInAt: now, accessExpiresAt: now + 580_000 });
  });

  it('refuses a sign-in without an ID token (sign-out needs it as id_token_hint)', () => {
    expect(() => sessionOf({ accessToken: 'a', expiresInSeconds: 300 }, user, now)).toThrow('the provider answered without an ID token');
  });
});

describe('sessionLifetimeSeconds', () => {
  it("lives as long as the provider's refresh token, else the fallback, never shorter than the access token", () => {
    expect(sessionLifetimeSeconds({ accessToken: 'a', expiresInSeconds: 300, refreshExpiresInSeconds: 1800 }, 3600)).toBe(1800);
    expect(sessionLifetimeSeconds({ accessToken: 'a', expiresInSeconds: 300, refreshExpiresInSeconds: 0 }, 3600)).toBe(3600);
    expect(sessionLifetimeSeconds({ accessToken: 'a', expiresInSeconds: 300 }, 60)).toBe(300);
  });
});

describe('accessTokenNeedsRefresh', () => {
  const session = { accessExpiresAt: now + 60_000 } as ConsoleSession;
  it('refreshes a token expiring within 30 s, not one with longer to live', () => {
    expect(accessTokenNeedsRefresh(session, now)).toBe(false);
    expect(accessTokenNeedsRefresh(session, now + 29_999)).toBe(false);
    expect(accessTokenNeedsRefresh(session, now + 30_000)).toBe(true);
    expect(accessTokenNeedsRefresh(session, now + 90_000)).toBe(true);
  });
});
