import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { MemberDirectory } from '@soc/members';
import { waitFor } from '../../../test/support';
import { OidcTokenVerifier, type OidcSettings } from './oidc-token-verifier';
import { IdentityProviderUnavailableError } from './provider-signing-keys';
import { InvalidTokenError } from './token-policy';

interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyLike;
  publicKey: KeyLike;
  jwk: JWK;
}

async function signingKey(kid: string, alg: 'RS256' | 'ES256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/**
 * A real HTTP server standing in for the identity provider: a discovery document and a JWKS whose
 * keys a test can swap (rotation), counting the JWKS requests.
 */
class KeyServer {
  keys: SigningKey[] = [];
  jwksRequests = 0;
  /** The issuer the discovery document names; the server's own address unless a test changes it. */
  discoveredIssuer?: string;
  private server?: Server;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const send = (body: unknown) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (request.url === '/realms/soc/.well-known/openid-configuration')
        return send({ issuer: this.discoveredIssuer ?? this.issuer, jwks_uri: `${this.base}/keys` });
      if (request.url === '/keys') {
        this.jwksRequests += 1;
        return send({ keys: this.keys.map((k) => k.jwk) });
      }
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  get base(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  get issuer(): string {
    return `${this.base}/realms/soc`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

const members = MemberDirectory.withDefaults();
const server = new KeyServer();
let rsa: SigningKey;
let ec: SigningKey;

function settings(overrides: Partial<OidcSettings> = {}): OidcSettings {
  return {
    issuer: server.issuer,
    audience: 'soc-api',
    claims: { roles: 'realm_access.roles', memberId: 'member_id', name: 'name' },
    jwksCacheSeconds: 600,
    jwksCooldownSeconds: 30,
    ...overrides,
  };
}

const maxLifetimeSeconds = 12 * 3600;

function verifierWith(overrides: Partial<OidcSettings> = {}): OidcTokenVerifier {
  return new OidcTokenVerifier(settings(overrides), maxLifetimeSeconds, members);
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Claims of a Keycloak access token for an analyst; `undefined` drops a claim. */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const all: Record<string, unknown> = {
    iss: server.issuer,
    aud: ['soc-api', 'account'],
    sub: '5f0c7a1e-analyst',
    iat: nowSeconds(),
    exp: nowSeconds() + 300,
    realm_access: { roles: ['default-roles-soc', 'offline_access', 'soc_analyst'] },
    name: 'Anna Analytiker',
    preferred_username: 'anna',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

function sign(key: SigningKey, payload: Record<string, unknown> = claims(), header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header }).sign(key.privateKey);
}

async function refusal(verifier: OidcTokenVerifier, token: string): Promise<string> {
  const error = await verifier.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  return (error as Error).message;
}

beforeAll(async () => {
  await server.start();
  [rsa, ec] = await Promise.all([signingKey('rsa-1', 'RS256'), signingKey('ec-1', 'ES256')]);
  server.keys = [rsa, ec];
});
afterAll(() => server.stop());

describe(OidcTokenVerifier.name, () => {
  let verifier: OidcTokenVerifier;
  beforeAll(() => {
    verifier = verifierWith();
  });

  it('accepts an RS256 token, its role from realm_access.roles and the display name', async () => {
    expect(await verifier.verify(await sign(rsa))).toEqual({ sub: '5f0c7a1e-analyst', role: 'soc_analyst', name: 'Anna Analytiker' });
  });

  it('accepts an ES256 token of a member service account, named by preferred_username without a name', async () => {
    const token = await sign(
      ec,
      claims({
        sub: 'sa-0751',
        realm_access: { roles: ['member'] },
        member_id: '0751',
        name: undefined,
        preferred_username: 'service-account-soc-automation-0751',
      }),
    );
    expect(await verifier.verify(token)).toEqual({ sub: 'sa-0751', role: 'member', member_id: '0751', name: 'service-account-soc-automation-0751' });
  });

  it('refuses a token of another issuer without fetching keys for it', async () => {
    const before = server.jwksRequests;
    expect(await refusal(verifier, await sign(rsa, claims({ iss: 'http://127.0.0.1:8180/realms/foreign' })))).toBe(
      `invalid token: iss "http://127.0.0.1:8180/realms/foreign" is not the identity provider; iss must be "${server.issuer}"`,
    );
    expect(server.jwksRequests).toBe(before);
  });

  it('refuses a token for another audience', async () => {
    expect(await refusal(verifier, await sign(rsa, claims({ aud: 'account' })))).toBe('invalid token: aud must be "soc-api"');
  });

  it('refuses a token without exp', async () => {
    expect(await refusal(verifier, await sign(rsa, claims({ exp: undefined })))).toBe('invalid token: exp is required (every token must expire)');
  });

  it('refuses an expired token, naming exp and when it passed', async () => {
    const exp = nowSeconds() - 60;
    expect(await refusal(verifier, await sign(rsa, claims({ iat: exp - 300, exp })))).toBe(
      `invalid token: exp ${new Date(exp * 1000).toISOString()} has passed (the token expired)`,
    );
  });

  it('keeps the lifetime bound of every token', async () => {
    const long = claims({ iat: nowSeconds(), exp: nowSeconds() + maxLifetimeSeconds + 1 });
    expect(await refusal(verifier, await sign(rsa, long))).toBe('invalid token: lifetime exp - iat of 43201 s is longer than the maximum of 43200 s');
  });

  it('refuses alg none', async () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims())}.`;
    expect(await refusal(verifier, unsigned)).toBe(
      `invalid token: alg "none" is not accepted; tokens must be signed by the identity provider ${server.issuer} with RS256, ES256, PS256`,
    );
  });

  it('refuses HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    const publicPem = new TextEncoder().encode(await exportSPKI(rsa.publicKey));
    const confused = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: rsa.kid }).sign(publicPem);
    expect(await refusal(verifier, confused)).toMatch(/^invalid token: alg "HS256" is not accepted; /);
  });

  it('refuses a token that is not a signed JWT', async () => {
    expect(await refusal(verifier, 'not-a-jwt')).toBe('invalid token: malformed (not a signed JWT: header.payload.signature in base64url)');
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: rsa.kid })).toString('base64url');
    expect(await refusal(verifier, `${header}.bm90IGpzb24.c2ln`)).toBe('invalid token: malformed (the payload is not a base64url JSON object)');
  });

  it('refuses a token that is not valid yet (nbf)', async () => {
    expect(await refusal(verifier, await sign(rsa, claims({ nbf: nowSeconds() + 600 })))).toBe('invalid token: nbf lies in the future');
  });

  it('refuses a signature that does not verify', async () => {
    const [header, , signature] = (await sign(rsa)).split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify(claims({ realm_access: { roles: ['soc_admin'] } }))).toString('base64url')}.${signature}`;
    expect(await refusal(verifier, tampered)).toBe('invalid token: invalid signature');
  });

  it('refuses an unknown kid, and random kids do not make it fetch the keys again within the cooldown', async () => {
    await verifier.verify(await sign(rsa));
    const before = server.jwksRequests;
    const stranger = await signingKey('stranger', 'RS256');
    for (let i = 0; i < 5; i += 1) {
      expect(await refusal(verifier, await sign(stranger))).toBe(`invalid token: kid "stranger" is not among the signing keys of ${server.issuer}`);
    }
    expect(server.jwksRequests).toBe(before);
  });

  it('refuses a token holding member beside a SOC role (ambiguous scope)', async () => {
    const both = claims({ realm_access: { roles: ['member', 'soc_analyst'] }, member_id: '0751' });
    expect(await refusal(verifier, await sign(rsa, both))).toBe(
      'invalid token: the roles claim realm_access.roles holds member together with soc_analyst; a token acts either for one member or for the SOC, so such a token is refused',
    );
  });

  it('refuses a token with no product role, naming the claim', async () => {
    expect(await refusal(verifier, await sign(rsa, claims({ realm_access: { roles: ['offline_access'] } })))).toBe(
      'invalid token: no product role in the roles claim realm_access.roles (one of soc_admin, soc_analyst, kl_reporter, member)',
    );
    expect(await refusal(verifier, await sign(rsa, claims({ realm_access: undefined })))).toBe(
      'invalid token: no product role: the roles claim realm_access.roles is missing',
    );
  });

  it('refuses a member that is not in the member directory, and the SOC organisations', async () => {
    for (const memberId of ['9999', 'shared-soc']) {
      const token = await sign(rsa, claims({ realm_access: { roles: ['member'] }, member_id: memberId }));
      expect(await refusal(verifier, token)).toBe(`invalid token: member_id "${memberId}" is not a member`);
    }
  });

  it('refuses a member token without a member claim', async () => {
    expect(await refusal(verifier, await sign(rsa, claims({ realm_access: { roles: ['member'] } })))).toBe(
      'invalid token: role member needs the member claim member_id',
    );
  });

  it('picks up a rotated key without a restart, and drops the retired one', async () => {
    const rotating = verifierWith({ jwksCooldownSeconds: 0 });
    const old = await sign(rsa);
    expect(await rotating.verify(old)).toMatchObject({ role: 'soc_analyst' });
    const next = await signingKey('rsa-2', 'RS256');
    server.keys = [next, ec];
    try {
      expect(await rotating.verify(await sign(next))).toMatchObject({ role: 'soc_analyst' });
      expect(await refusal(rotating, old)).toBe(`invalid token: kid "rsa-1" is not among the signing keys of ${server.issuer}`);
    } finally {
      server.keys = [rsa, ec];
    }
  });

  it('with a cooldown, takes a rotated key once the cooldown since the last fetch has passed', async () => {
    const cooling = verifierWith({ jwksCooldownSeconds: 2 });
    const next = await signingKey('ec-2', 'ES256');
    const token = await sign(next);
    await cooling.verify(await sign(rsa));
    server.keys = [rsa, ec, next];
    try {
      expect(await refusal(cooling, token)).toBe(`invalid token: kid "ec-2" is not among the signing keys of ${server.issuer}`);
      await waitFor(
        () => cooling.verify(token).then(() => true),
        5_000,
        () => 'the key ec-2 was not picked up after the cooldown',
      );
    } finally {
      server.keys = [rsa, ec];
    }
  });

  it('reads the keys from OIDC_JWKS_URL when it is set, without the discovery document', async () => {
    const direct = new OidcTokenVerifier(settings({ jwksUrl: `${server.base}/keys` }), maxLifetimeSeconds, members);
    server.discoveredIssuer = 'http://elsewhere.example';
    try {
      expect(await direct.verify(await sign(ec))).toMatchObject({ role: 'soc_analyst' });
    } finally {
      server.discoveredIssuer = undefined;
    }
  });

  it('does not trust a discovery document naming another issuer (not the caller’s fault: no 401)', async () => {
    server.discoveredIssuer = 'http://elsewhere.example';
    try {
      await expect(verifierWith().verify(await sign(rsa))).rejects.toThrow(
        new IdentityProviderUnavailableError(
          `the discovery document ${server.issuer}/.well-known/openid-configuration names issuer "http://elsewhere.example", not ${server.issuer} (OIDC_ISSUER)`,
        ),
      );
    } finally {
      server.discoveredIssuer = undefined;
    }
  });

  it('reports an unreachable provider as unavailable, not as a bad token', async () => {
    const away = new OidcTokenVerifier(settings({ jwksUrl: 'http://127.0.0.1:9/keys' }), maxLifetimeSeconds, members);
    const error = await away.verify(await sign(rsa)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdentityProviderUnavailableError);
    expect((error as Error).message).toMatch(/^the signing keys of http:\/\/127\.0\.0\.1:\d+\/realms\/soc could not be fetched: /);
  });
});
