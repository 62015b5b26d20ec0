export {
  consoleRoles,
  consoleSessionSchema,
  signedInUserSchema,
  type ConsoleRole,
  type ConsoleSession,
  type PendingSignIn,
  type SignedInUser,
} from './console-session';
export { ConsoleSignIn, SessionError, type ConsoleSignInOptions, type SessionRefusal } from './console-sign-in';
export { clearedCookieHeader, cookieHeader, cookieValue, type CookieOptions } from './cookies';
export { OidcProvider, ProviderUnavailableError, type OidcClientSettings, type ProviderSignIn } from './oidc-provider';
export { isSessionIdShaped, newSessionId } from './session-id';
export { accessTokenNeedsRefresh, refreshMarginMs, sessionLifetimeSeconds, sessionOf, type ProviderTokens } from './session-tokens';
export { SessionRepository, pendingSignInSeconds } from './session.repository';
export { keycloakClaimNames, signedInUserFrom, SignInRefusedError, type UserClaimNames } from './signed-in-user';
export { SingleFlight } from './single-flight';
