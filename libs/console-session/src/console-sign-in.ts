import type { SignedInUser } from './console-session';
import { ProviderUnavailableError, type OidcProvider } from './oidc-provider';
import { accessTokenNeedsRefresh, sessionLifetimeSeconds, sessionOf } from './session-tokens';
import type { SessionRepository } from './session.repository';
import { SignInRefusedError } from './signed-in-user';
import { SingleFlight } from './single-flight';

/** Why a request is refused, as the console answers it (`error` code and HTTP status). */
export type SessionRefusal = 'not_signed_in' | 'session_expired' | 'sign_in_failed' | 'sign_in_refused';

export class SessionError extends Error {
  constructor(
    readonly code: SessionRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'SessionError';
  }
}

export interface ConsoleSignInOptions {
  /** Seconds a session is kept when the provider does not say how long its refresh token lives. */
  fallbackSessionSeconds: number;
  /** How long before its expiry an access token is refreshed; 30 s unless a test needs every call to refresh. */
  refreshMarginMs?: number;
}

/**
 * The console's sign-in as a backend-for-frontend: the provider's tokens stay in the server-side
 * session; the browser is given an opaque session id only. Before a token is used it is refreshed
 * when it expires within 30 s, once per session however many requests wait for it; a refresh the
 * provider refuses (its session ended or expired) ends the console's session too.
 */
export class ConsoleSignIn {
  private readonly refreshes = new SingleFlight<string>();

  constructor(
    private readonly sessions: SessionRepository,
    private readonly provider: OidcProvider,
    private readonly options: ConsoleSignInOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts a sign-in: the provider URL to redirect to and the id for the browser's sign-in cookie. */
  async begin(): Promise<{ url: string; signInId: string }> {
    const { url, pending } = await this.provider.authorizationRequest();
    return { url, signInId: await this.sessions.beginSignIn(pending) };
  }

  /** Completes a sign-in at the callback; answers the new session's id. */
  async complete(signInId: string | undefined, callbackQuery: string): Promise<{ sessionId: string; user: SignedInUser }> {
    const pending = signInId ? await this.sessions.takeSignIn(signInId) : undefined;
    if (!pending) {
      throw new SessionError(
        'sign_in_failed',
        'no sign-in is in progress in this browser (it expired after 10 minutes or was already used); start again at /auth/login',
      );
    }
    const providerError = new URLSearchParams(callbackQuery).get('error');
    if (providerError) throw new SessionError('sign_in_failed', `the identity provider refused the sign-in: ${providerError}`);
    let signIn;
    try {
      signIn = await this.provider.completeSignIn(callbackQuery, pending);
    } catch (error) {
      if (error instanceof SignInRefusedError) throw new SessionError('sign_in_refused', error.message);
      if (error instanceof ProviderUnavailableError) throw error;
      // openid-client's messages go on with the expected values ("state mismatch, expected …"): the first clause is the reason.
      throw new SessionError('sign_in_failed', `the sign-in could not be completed: ${(error as Error).message.split(',')[0]}`);
    }
    const session = sessionOf(signIn.tokens, signIn.user, this.now());
    const sessionId = await this.sessions.create(session, sessionLifetimeSeconds(signIn.tokens, this.options.fallbackSessionSeconds));
    return { sessionId, user: signIn.user };
  }

  /** Who a session id belongs to; `not_signed_in` for none, an unknown or an expired one. */
  async user(sessionId: string | undefined): Promise<SignedInUser> {
    const session = sessionId ? await this.sessions.read(sessionId) : undefined;
    if (!session) throw notSignedIn();
    return session.user;
  }

  /** An access token for the APIs that is valid for at least 30 s more, refreshing it first if needed. */
  async accessToken(sessionId: string | undefined): Promise<string> {
    const session = sessionId ? await this.sessions.read(sessionId) : undefined;
    if (!sessionId || !session) throw notSignedIn();
    if (!accessTokenNeedsRefresh(session, this.now(), this.options.refreshMarginMs)) return session.accessToken;
    return this.refreshes.run(sessionId, () => this.refresh(sessionId));
  }

  /** Ends a session; answers the provider's end-session URL when there was one to end. */
  async end(sessionId: string | undefined): Promise<string | undefined> {
    const session = sessionId ? await this.sessions.read(sessionId) : undefined;
    if (!sessionId || !session) return undefined;
    // The URL first: with the provider away the sign-out fails whole (503) and can be retried.
    const endSessionUrl = await this.provider.endSessionUrl(session.idToken);
    await this.sessions.delete(sessionId);
    return endSessionUrl;
  }

  private async refresh(sessionId: string): Promise<string> {
    // Read again inside the single flight: a refresh that finished just before has replaced it.
    const session = await this.sessions.read(sessionId);
    if (!session) throw notSignedIn();
    if (!accessTokenNeedsRefresh(session, this.now(), this.options.refreshMarginMs)) return session.accessToken;
    if (!session.refreshToken) return this.expire(sessionId, 'the access token expired and the provider gave no refresh token; sign in again at /auth/login');
    let refreshed;
    try {
      refreshed = await this.provider.refresh(session.refreshToken);
    } catch (error) {
      return this.expire(
        sessionId,
        `the sign-in has ended at the identity provider (refresh refused: ${(error as Error).message}); sign in again at /auth/login`,
      );
    }
    const next = sessionOf(refreshed.tokens, refreshed.user, this.now(), session);
    if (!(await this.sessions.replace(sessionId, next, sessionLifetimeSeconds(refreshed.tokens, this.options.fallbackSessionSeconds)))) throw notSignedIn();
    return next.accessToken;
  }

  private async expire(sessionId: string, message: string): Promise<never> {
    await this.sessions.delete(sessionId);
    throw new SessionError('session_expired', message);
  }
}

function notSignedIn(): SessionError {
  return new SessionError('not_signed_in', 'not signed in: no session, or an unknown or expired one; sign in at /auth/login');
}
