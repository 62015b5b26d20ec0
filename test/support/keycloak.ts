import { createHash, randomBytes } from 'node:crypto';

/**
 * The Keycloak every integration and e2e test signs in at: the one `scripts/services.sh` starts
 * with the realms of deploy/keycloak, unless KEYCLOAK_URL names another. The realm's clients,
 * secrets and users are development values documented in docs/AUTH.md ("The realm").
 */
export const keycloakUrl = (process.env.KEYCLOAK_URL ?? 'http://127.0.0.1:8180').replace(/\/$/, '');

/** The master realm's bootstrap admin services.sh creates (development values). */
export const keycloakAdmin = {
  username: process.env.KEYCLOAK_ADMIN_USER ?? 'admin',
  password: process.env.KEYCLOAK_ADMIN_PASSWORD ?? 'admin-dev-pw',
};

export const issuerOf = (realm: string): string => `${keycloakUrl}/realms/${realm}`;

const tokenEndpointOf = (realm: string): string => `${issuerOf(realm)}/protocol/openid-connect/token`;

/** The token endpoint's JSON answer, success or OAuth error, with its HTTP status. */
export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

export async function requestToken(realm: string, form: Record<string, string>): Promise<TokenAnswer> {
  const response = await fetch(tokenEndpointOf(realm), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** An access token from the client credentials grant; throws with Keycloak's error otherwise. */
export async function clientCredentialsToken(realm: string, clientId: string, clientSecret: string): Promise<string> {
  const answer = await requestToken(realm, { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
  if (answer.status !== 200 || typeof answer.body.access_token !== 'string') {
    throw new Error(`client credentials for ${clientId} in realm ${realm}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return answer.body.access_token;
}

/** The decoded parts of a JWT, unverified: tests that read claims, not tests of signatures. */
export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = token
    .split('.')
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown);
  if (typeof header !== 'object' || typeof payload !== 'object' || header === null || payload === null) {
    throw new Error('not a JWT: header and payload must be JSON objects');
  }
  return { header: header as Record<string, unknown>, payload: payload as Record<string, unknown> };
}

/**
 * Keycloak marks its login cookies Secure even on http://127.0.0.1 (a browser treats loopback as
 * secure and sends them); a script has to send them back itself, so this jar ignores the flag.
 */
class LoginCookies {
  private readonly values = new Map<string, string>();

  keep(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const equals = pair.indexOf('=');
      if (equals > 0) this.values.set(pair.slice(0, equals).trim(), pair.slice(equals + 1).trim());
    }
  }

  header(): string {
    return [...this.values].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export interface BrowserSignIn {
  realm?: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  username: string;
  password: string;
}

export interface SignedIn {
  accessToken: string;
  refreshToken: string;
  idToken: string;
  /** Where Keycloak sent the "browser" after the password: redirect_uri with code, state and iss. */
  callback: URL;
}

/**
 * Signs a person in the way a browser does with a server-side client: the authorization code
 * flow with PKCE (S256), the login form posted with username and password, then the code
 * exchanged with the client's secret. Throws naming the step that did not go as a browser's would.
 */
export async function signInThroughLoginForm(signIn: BrowserSignIn): Promise<SignedIn> {
  const realm = signIn.realm ?? 'soc';
  const verifier = randomBytes(48).toString('base64url');
  const state = randomBytes(12).toString('base64url');
  const authorize = new URL(`${issuerOf(realm)}/protocol/openid-connect/auth`);
  authorize.search = new URLSearchParams({
    client_id: signIn.clientId,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: signIn.redirectUri,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const cookies = new LoginCookies();
  const form = await fetch(authorize, { redirect: 'manual' });
  cookies.keep(form);
  const html = await form.text();
  const action = /<form[^>]*\saction="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
  if (form.status !== 200 || !action) throw new Error(`authorization request: HTTP ${form.status}, no login form (${signIn.redirectUri})`);

  const posted = await fetch(action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.header() },
    body: new URLSearchParams({ username: signIn.username, password: signIn.password }),
  });
  const location = posted.headers.get('location');
  if (posted.status !== 302 || !location) throw new Error(`login form for ${signIn.username}: HTTP ${posted.status} instead of a redirect to the client`);
  const callback = new URL(location);
  const code = callback.searchParams.get('code');
  if (!code || callback.searchParams.get('state') !== state) throw new Error(`callback without code or with another state: ${location}`);

  const exchanged = await requestToken(realm, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: signIn.redirectUri,
    client_id: signIn.clientId,
    client_secret: signIn.clientSecret,
    code_verifier: verifier,
  });
  const { access_token: accessToken, refresh_token: refreshToken, id_token: idToken } = exchanged.body;
  if (typeof accessToken !== 'string' || typeof refreshToken !== 'string' || typeof idToken !== 'string') {
    throw new Error(`code exchange: HTTP ${exchanged.status} ${JSON.stringify(exchanged.body)}`);
  }
  return { accessToken, refreshToken, idToken, callback };
}
