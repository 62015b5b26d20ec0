import { createHash } from 'node:crypto';
import { freePort } from '../../../bench/support/bench-process';
import { OidcProvider, ProviderUnavailableError, type OidcClientSettings } from './oidc-provider';
import { keycloakClaimNames } from './signed-in-user';

// The Keycloak of scripts/services.sh with the realm of deploy/keycloak (docs/AUTH.md).
const keycloak = (process.env.KEYCLOAK_URL ?? 'http://127.0.0.1:8180').replace(/\/$/, '');
const settings: OidcClientSettings = {
  issuer: `${keycloak}/realms/soc`,
  clientId: 'soc-console',
  clientSecret: 'soc-console-dev-secret',
  redirectUri: 'http://127.0.0.1:4103/auth/callback',
  postLogoutRedirectUri: 'http://127.0.0.1:4103/',
  apiAudience: 'soc-api',
  claimNames: keycloakClaimNames,
};

describe(OidcProvider.name, () => {
  const provider = new OidcProvider(settings);

  it("asks the realm's authorization endpoint for a code with PKCE S256, the pending sign-in's state and nonce", async () => {
    const { url, pending } = await provider.authorizationRequest();
    const request = new URL(url);
    expect(`${request.origin}${request.pathname}`).toBe(`${settings.issuer}/protocol/openid-connect/auth`);
    expect(Object.fromEntries(request.searchParams)).toEqual({
      client_id: 'soc-console',
      response_type: 'code',
      scope: 'openid profile email',
      redirect_uri: settings.redirectUri,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: createHash('sha256').update(pending.codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    const again = await provider.authorizationRequest();
    expect([again.pending.state, again.pending.nonce, again.pending.codeVerifier]).not.toContain(pending.state);
  });

  it("names the ID token and the console's start page in the end-session URL", async () => {
    const url = new URL(await provider.endSessionUrl('an.id.token'));
    expect(`${url.origin}${url.pathname}`).toBe(`${settings.issuer}/protocol/openid-connect/logout`);
    expect(url.searchParams.get('id_token_hint')).toBe('an.id.token');
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(settings.postLogoutRedirectUri);
  });

  it('fails a refresh the provider refuses', async () => {
    await expect(provider.refresh('not-a-refresh-token')).rejects.toThrow(/invalid_grant/);
  });

  it('says which provider is not reachable, and asks again on the next call', async () => {
    const away = new OidcProvider({ ...settings, issuer: `http://127.0.0.1:${await freePort()}/realms/soc` });
    await expect(away.authorizationRequest()).rejects.toThrow(ProviderUnavailableError);
    await expect(away.reachable()).rejects.toThrow(
      /^the identity provider http:\/\/127\.0\.0\.1:\d+\/realms\/soc is not reachable \(.+\); retry after Retry-After seconds$/,
    );
  });
});
