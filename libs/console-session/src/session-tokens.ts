import type { ConsoleSession, SignedInUser } from './console-session';

/** What the provider's token endpoint answered (authorization code or refresh grant). */
export interface ProviderTokens {
  accessToken: string;
  /** Seconds from now the access token lives (`expires_in`). */
  expiresInSeconds: number;
  refreshToken?: string;
  /** Seconds the refresh token lives (Keycloak's `refresh_expires_in`: the SSO session's idle time); 0 or absent when unknown. */
  refreshExpiresInSeconds?: number;
  idToken?: string;
}

/** How long before its expiry an access token is replaced: a request proxied with it must still find it valid at the API. */
export const refreshMarginMs = 30_000;

/** The session a sign-in (or a refresh of `previous`) makes of the provider's tokens. */
export function sessionOf(tokens: ProviderTokens, user: SignedInUser, nowMs: number, previous?: ConsoleSession): ConsoleSession {
  const idToken = tokens.idToken ?? previous?.idToken;
  if (!idToken) throw new Error('the provider answered without an ID token');
  return {
    user,
    accessToken: tokens.accessToken,
    accessExpiresAt: nowMs + tokens.expiresInSeconds * 1000,
    // A provider that does not rotate refresh tokens answers a refresh without one: keep the old.
    refreshToken: tokens.refreshToken ?? previous?.refreshToken ?? null,
    idToken,
    signedInAt: previous?.signedInAt ?? nowMs,
  };
}

/**
 * Seconds the session is kept: as long as the provider keeps its refresh token (its SSO session),
 * else `fallbackSeconds`; never less than the access token's own life.
 */
export function sessionLifetimeSeconds(tokens: ProviderTokens, fallbackSeconds: number): number {
  const refresh = tokens.refreshExpiresInSeconds && tokens.refreshExpiresInSeconds > 0 ? tokens.refreshExpiresInSeconds : fallbackSeconds;
  return Math.max(refresh, tokens.expiresInSeconds);
}

/** True when the access token expires within the margin: refresh before proxying. */
export function accessTokenNeedsRefresh(session: ConsoleSession, nowMs: number, marginMs = refreshMarginMs): boolean {
  return session.accessExpiresAt - nowMs <= marginMs;
}
