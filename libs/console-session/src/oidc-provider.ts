import { createRemoteJWKSet, jwtVerify } from 'jose';
import { generators, Issuer, type BaseClient, type TokenSet } from 'openid-client';
import type { PendingSignIn, SignedInUser } from './console-session';
import type { ProviderTokens } from './session-tokens';
import { signedInUserFrom, type UserClaimNames } from './signed-in-user';

/** The console's registration at the provider (a confidential client) and where it answers. */
export interface OidcClientSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** `<public URL>/auth/callback`. */
  redirectUri: string;
  /** Where the provider sends the browser after signing out: the console's start page. */
  postLogoutRedirectUri: string;
  /** The audience the APIs require of access tokens; the console checks it too before showing who signed in. */
  apiAudience: string;
  claimNames: UserClaimNames;
}

/** A sign-in completed or refreshed: the provider's tokens and who they name. */
export interface ProviderSignIn {
  tokens: ProviderTokens;
  user: SignedInUser;
}

/** The provider cannot be reached (its discovery document did not load); the console answers 503. */
export class ProviderUnavailableError extends Error {
  constructor(issuer: string, cause: Error) {
    super(`the identity provider ${issuer} is not reachable (${cause.message}); retry after Retry-After seconds`);
    this.name = 'ProviderUnavailableError';
  }
}

/** The scopes asked for; the realm adds the API audience and `member_id` through its default scopes. */
const scope = 'openid profile email';

/**
 * The identity provider as the console uses it, through openid-client: discovery (retried on the
 * next call while the provider is away), the authorization request with PKCE S256, `state` and
 * `nonce`, the code exchange (openid-client verifies the ID token: signature, `iss`, `aud`, `exp`,
 * `nonce`), the refresh grant and the end-session URL. The access token is verified too (JWKS,
 * `iss`, the API audience) before its claims say who signed in.
 */
export class OidcProvider {
  private client?: Promise<{ client: BaseClient; jwks: ReturnType<typeof createRemoteJWKSet> }>;

  constructor(private readonly settings: OidcClientSettings) {}

  /** True once the provider's discovery document has been read (readiness). */
  async reachable(): Promise<boolean> {
    await this.discovered();
    return true;
  }

  /** The URL to send the browser to, and what its callback must match. */
  async authorizationRequest(): Promise<{ url: string; pending: PendingSignIn }> {
    const { client } = await this.discovered();
    const pending: PendingSignIn = { state: generators.state(), nonce: generators.nonce(), codeVerifier: generators.codeVerifier() };
    const url = client.authorizationUrl({
      scope,
      redirect_uri: this.settings.redirectUri,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: generators.codeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, pending };
  }

  /** Exchanges the callback's code; refuses a `state`, `nonce` or ID token that does not match. */
  async completeSignIn(callbackQuery: string, pending: PendingSignIn): Promise<ProviderSignIn> {
    const { client } = await this.discovered();
    const params = client.callbackParams(`/auth/callback?${callbackQuery}`);
    const tokenSet = await client.callback(this.settings.redirectUri, params, {
      state: pending.state,
      nonce: pending.nonce,
      code_verifier: pending.codeVerifier,
      response_type: 'code',
    });
    return this.signInOf(tokenSet);
  }

  /** A refresh grant (the ID token it may bring is verified by openid-client, its `sub` held to the old one's). */
  async refresh(refreshToken: string): Promise<ProviderSignIn> {
    const { client } = await this.discovered();
    return this.signInOf(await client.refresh(refreshToken));
  }

  /** The provider's end-session URL: ends its own session too, then returns the browser to the console. */
  async endSessionUrl(idToken: string): Promise<string> {
    const { client } = await this.discovered();
    return client.endSessionUrl({ id_token_hint: idToken, post_logout_redirect_uri: this.settings.postLogoutRedirectUri });
  }

  private async signInOf(tokenSet: TokenSet): Promise<ProviderSignIn> {
    if (!tokenSet.access_token) throw new Error('the provider answered without an access token');
    const { jwks } = await this.discovered();
    const { payload } = await jwtVerify(tokenSet.access_token, jwks, { issuer: this.settings.issuer, audience: this.settings.apiAudience });
    const idClaims = tokenSet.id_token ? (tokenSet.claims() as Record<string, unknown>) : {};
    const user = signedInUserFrom({ ...idClaims, ...payload }, this.settings.claimNames);
    const refreshExpiresIn = Number(tokenSet['refresh_expires_in']);
    return {
      user,
      tokens: {
        accessToken: tokenSet.access_token,
        expiresInSeconds: tokenSet.expires_in ?? Math.max(0, (tokenSet.expires_at ?? 0) - Math.floor(Date.now() / 1000)),
        ...(tokenSet.refresh_token ? { refreshToken: tokenSet.refresh_token } : {}),
        ...(Number.isFinite(refreshExpiresIn) ? { refreshExpiresInSeconds: refreshExpiresIn } : {}),
        ...(tokenSet.id_token ? { idToken: tokenSet.id_token } : {}),
      },
    };
  }

  private discovered(): Promise<{ client: BaseClient; jwks: ReturnType<typeof createRemoteJWKSet> }> {
    this.client ??= Issuer.discover(this.settings.issuer).then(
      (issuer) => {
        if (!issuer.metadata.jwks_uri) throw new Error(`the provider ${this.settings.issuer} publishes no jwks_uri`);
        const client = new issuer.Client({
          client_id: this.settings.clientId,
          client_secret: this.settings.clientSecret,
          redirect_uris: [this.settings.redirectUri],
          post_logout_redirect_uris: [this.settings.postLogoutRedirectUri],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        });
        return { client, jwks: createRemoteJWKSet(new URL(issuer.metadata.jwks_uri)) };
      },
      (error: Error) => Promise.reject(new ProviderUnavailableError(this.settings.issuer, error)),
    );
    // A provider away at start-up is asked again on the next call, not remembered as failed.
    this.client.catch(() => (this.client = undefined));
    return this.client;
  }
}
