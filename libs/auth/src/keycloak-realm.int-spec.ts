import { randomInt } from 'node:crypto';
import {
  clientCredentialsToken,
  decodeJwt,
  issuerOf,
  keycloakAdmin,
  keycloakUrl,
  requestToken,
  signInThroughLoginForm,
  uniqueName,
} from '../../../test/support';

// The development realm of deploy/keycloak as the real Keycloak serves it (docs/AUTH.md, "The
// realm"): these are the claims the token verifier relies on. Signatures are the verifier's tests.
const soc = issuerOf('soc');
const consoleClient = { clientId: 'soc-console', clientSecret: 'soc-console-dev-secret' };
const consoleCredentials = { client_id: consoleClient.clientId, client_secret: consoleClient.clientSecret };
const loopbackCallback = (): string => `http://127.0.0.1:${randomInt(1024, 65535)}/auth/callback`;

async function signingKeyIds(realm: string): Promise<string[]> {
  const discovery = (await (await fetch(`${issuerOf(realm)}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
  const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: { kid: string; use?: string; alg?: string }[] };
  return jwks.keys.filter((key) => key.use === 'sig' && key.alg === 'RS256').map((key) => key.kid);
}

describe('Keycloak realm soc', () => {
  it('serves its discovery document with the fixed issuer and an RS256 signing key in its JWKS', async () => {
    const response = await fetch(`${soc}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const discovery = (await response.json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: soc,
      jwks_uri: `${soc}/protocol/openid-connect/certs`,
      token_endpoint: `${soc}/protocol/openid-connect/token`,
      end_session_endpoint: `${soc}/protocol/openid-connect/logout`,
    });
    expect(discovery.code_challenge_methods_supported).toContain('S256');
    expect(await signingKeyIds('soc')).toHaveLength(1);
  });

  it.each([
    { clientId: 'soc-automation-0751', roles: ['member'], memberId: '0751' },
    { clientId: 'soc-automation-kl', roles: ['kl_reporter'], memberId: undefined },
    { clientId: 'soc-automation-analyst', roles: ['soc_analyst'], memberId: undefined },
  ])('gives service account $clientId an RS256 token for soc-api with roles $roles', async ({ clientId, roles, memberId }) => {
    const { header, payload } = decodeJwt(await clientCredentialsToken('soc', clientId, `${clientId}-dev-secret`));
    expect(header.alg).toBe('RS256');
    expect(await signingKeyIds('soc')).toContain(header.kid);
    expect(payload).toMatchObject({ iss: soc, azp: clientId, realm_access: { roles } });
    expect([payload.aud].flat()).toContain('soc-api');
    expect(payload.member_id).toBe(memberId);
    expect(Number(payload.exp) - Number(payload.iat)).toBe(300);
  });

  it('gives soc-automation-short tokens that expire 3 seconds after they are issued', async () => {
    const { payload } = decodeJwt(await clientCredentialsToken('soc', 'soc-automation-short', 'soc-automation-short-dev-secret'));
    expect(payload).toMatchObject({ iss: soc, realm_access: { roles: ['soc_analyst'] } });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(3);
  });

  it('refuses a client secret that is not the client’s', async () => {
    const answer = await requestToken('soc', {
      grant_type: 'client_credentials',
      client_id: 'soc-automation-0751',
      client_secret: 'soc-automation-kl-dev-secret',
    });
    expect(answer).toEqual({ status: 401, body: expect.objectContaining({ error: 'unauthorized_client' }) });
  });

  it('lets the console client use neither client credentials nor passwords', async () => {
    const credentials = await requestToken('soc', {
      grant_type: 'client_credentials',
      client_id: consoleClient.clientId,
      client_secret: consoleClient.clientSecret,
    });
    expect(credentials).toEqual({ status: 401, body: { error: 'unauthorized_client', error_description: 'Client not enabled to retrieve service account' } });
    const password = await requestToken('soc', {
      grant_type: 'password',
      client_id: consoleClient.clientId,
      client_secret: consoleClient.clientSecret,
      username: 'anna.analyst',
      password: 'anna.analyst-pw',
    });
    expect(password).toEqual({ status: 400, body: { error: 'unauthorized_client', error_description: 'Client not allowed for direct access grants' } });
  });

  it('signs a member in through the console client (code + PKCE, any loopback port) with name and member_id', async () => {
    const redirectUri = loopbackCallback();
    const signedIn = await signInThroughLoginForm({ ...consoleClient, redirectUri, username: 'mads.aarhus', password: 'mads.aarhus-pw' });
    expect(`${signedIn.callback.origin}${signedIn.callback.pathname}`).toBe(redirectUri);
    expect(signedIn.callback.searchParams.get('iss')).toBe(soc);
    const { payload } = decodeJwt(signedIn.accessToken);
    expect(payload).toMatchObject({
      iss: soc,
      azp: 'soc-console',
      realm_access: { roles: ['member'] },
      member_id: '0751',
      name: 'Mads Madsen',
      preferred_username: 'mads.aarhus',
    });
    expect([payload.aud].flat()).toContain('soc-api');
    expect(Number(payload.exp) - Number(payload.iat)).toBe(300);
  });

  it.each([
    { username: 'anna.analyst', roles: ['soc_analyst'], name: 'Anna Andersen' },
    { username: 'sofie.admin', roles: ['soc_admin', 'soc_analyst'], name: 'Sofie Sørensen' },
    { username: 'karen.kl', roles: ['kl_reporter'], name: 'Karen Kristensen' },
  ])('signs $username in with roles $roles and no member_id', async ({ username, roles, name }) => {
    const signedIn = await signInThroughLoginForm({
      ...consoleClient,
      redirectUri: 'http://localhost:3000/auth/callback',
      username,
      password: `${username}-pw`,
    });
    const { payload } = decodeJwt(signedIn.accessToken);
    expect(payload).toMatchObject({ iss: soc, name, preferred_username: username });
    expect([...(payload.realm_access as { roles: string[] }).roles].sort()).toEqual(roles);
    expect(payload).not.toHaveProperty('member_id');
  });

  it('ends the session at logout, back to the console on any loopback port, and its refresh token stops working', async () => {
    const signedIn = await signInThroughLoginForm({ ...consoleClient, redirectUri: loopbackCallback(), username: 'olga.odense', password: 'olga.odense-pw' });
    expect(decodeJwt(signedIn.accessToken).payload).toMatchObject({ member_id: '0461', name: 'Olga Olsen' });
    const afterLogout = `http://127.0.0.1:${randomInt(1024, 65535)}/`;
    const logout = new URL(`${soc}/protocol/openid-connect/logout`);
    logout.search = new URLSearchParams({ id_token_hint: signedIn.idToken, post_logout_redirect_uri: afterLogout, state: 'bye' }).toString();
    const ended = await fetch(logout, { redirect: 'manual' });
    expect(ended.status).toBe(302);
    expect(ended.headers.get('location')).toBe(`${afterLogout}?state=bye`);

    const refreshed = await requestToken('soc', { grant_type: 'refresh_token', refresh_token: signedIn.refreshToken, ...consoleCredentials });
    expect(refreshed).toEqual({ status: 400, body: expect.objectContaining({ error: 'invalid_grant' }) });
  });

  it('refuses a post-logout redirect outside loopback and localhost', async () => {
    const signedIn = await signInThroughLoginForm({ ...consoleClient, redirectUri: loopbackCallback(), username: 'anna.analyst', password: 'anna.analyst-pw' });
    const logout = new URL(`${soc}/protocol/openid-connect/logout`);
    logout.search = new URLSearchParams({ id_token_hint: signedIn.idToken, post_logout_redirect_uri: 'https://console.example/' }).toString();
    const refused = await fetch(logout, { redirect: 'manual' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Invalid redirect uri');
  });

  it('refuses a redirect URI outside loopback and localhost, and an authorization request without PKCE', async () => {
    const authorize = `${soc}/protocol/openid-connect/auth?client_id=soc-console&response_type=code&scope=openid`;
    const foreign = await fetch(`${authorize}&redirect_uri=${encodeURIComponent('https://console.example/auth/callback')}`, { redirect: 'manual' });
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain('Invalid parameter: redirect_uri');
    const otherPath = await fetch(`${authorize}&redirect_uri=${encodeURIComponent('http://127.0.0.1:4000/elsewhere')}`, { redirect: 'manual' });
    expect(otherPath.status).toBe(400);

    const redirectUri = loopbackCallback();
    const withoutPkce = await fetch(`${authorize}&redirect_uri=${encodeURIComponent(redirectUri)}`, { redirect: 'manual' });
    expect(withoutPkce.status).toBe(302);
    const callback = new URL(withoutPkce.headers.get('location') ?? '');
    expect(callback.searchParams.get('error')).toBe('invalid_request');
    expect(callback.searchParams.get('error_description')).toBe('Missing parameter: code_challenge_method');
  });
});

describe('Keycloak realm foreign', () => {
  it('gives the same role and audience under another issuer and another signing key', async () => {
    const { header, payload } = decodeJwt(await clientCredentialsToken('foreign', 'foreign-automation', 'foreign-automation-dev-secret'));
    expect(payload).toMatchObject({ iss: issuerOf('foreign'), realm_access: { roles: ['soc_analyst'] } });
    expect([payload.aud].flat()).toContain('soc-api');
    expect(await signingKeyIds('soc')).not.toContain(header.kid);
  });
});

describe('member_id as a user attribute', () => {
  const username = uniqueName('probe', '.').toLowerCase();
  let adminToken = '';
  let userId = '';

  const adminApi = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${keycloakUrl}/admin/realms/soc${path}`, {
      ...init,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', ...init.headers },
    });

  beforeAll(async () => {
    const answer = await requestToken('master', { grant_type: 'password', client_id: 'admin-cli', ...keycloakAdmin });
    if (typeof answer.body.access_token !== 'string') {
      throw new Error(`the master realm's admin ${keycloakAdmin.username} cannot sign in (KEYCLOAK_ADMIN_USER/KEYCLOAK_ADMIN_PASSWORD): HTTP ${answer.status}`);
    }
    adminToken = answer.body.access_token;
  });

  afterAll(async () => {
    if (userId) await adminApi(`/users/${userId}`, { method: 'DELETE' });
  });

  it('refuses a member_id that is not a municipality number', async () => {
    const response = await adminApi('/users', {
      method: 'POST',
      body: JSON.stringify({
        username: `${username}x`,
        enabled: true,
        firstName: 'Bad',
        lastName: 'Number',
        email: `${username}x@probe.example`,
        attributes: { member_id: ['Aarhus'] },
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('member_id must be a municipality number of 3 or 4 digits');
  });

  it('puts a user’s own member_id in the token, ahead of its group’s', async () => {
    const created = await adminApi('/users', {
      method: 'POST',
      body: JSON.stringify({
        username,
        enabled: true,
        firstName: 'Pia',
        lastName: 'Probe',
        email: `${username}@probe.example`,
        emailVerified: true,
        attributes: { member_id: ['0101'] },
        groups: ['/0751 Aarhus'],
        credentials: [{ type: 'password', value: `${username}-pw`, temporary: false }],
      }),
    });
    expect(created.status).toBe(201);
    userId = String(created.headers.get('location')).split('/').pop() ?? '';
    const signedIn = await signInThroughLoginForm({ ...consoleClient, redirectUri: loopbackCallback(), username, password: `${username}-pw` });
    const { payload } = decodeJwt(signedIn.accessToken);
    expect(payload).toMatchObject({ member_id: '0101', name: 'Pia Probe' });
    // A user created after the import also holds Keycloak's default roles: the APIs ignore those.
    expect(payload.realm_access).toEqual({ roles: expect.arrayContaining(['member', 'default-roles-soc']) });
  });
});
