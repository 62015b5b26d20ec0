import { generateKeyPair, SignJWT } from 'jose';
import { parseConfig } from '@soc/config';
import { MemberDirectory } from '@soc/members';
import { actorOf, type Principal } from './principal';
import { ProviderOrSharedSecretTokenVerifier } from './provider-or-shared-secret-token-verifier';
import { TokenIssuer } from './token-issuer';
import { InvalidTokenError } from './token-policy';
import { TokenVerifier } from './token-verifier';
import { tokenIssuerFor, tokenVerifierFor } from './tokens';

const members = MemberDirectory.withDefaults();
const secret = 's'.repeat(40);
const issuer = 'http://127.0.0.1:8180/realms/soc';

async function rs256(claims: Record<string, unknown>): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuedAt().setExpirationTime('5m').sign(privateKey);
}

async function refusal(verifier: TokenVerifier, token: string): Promise<string> {
  const error = await verifier.verify(token).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidTokenError);
  return (error as Error).message;
}

/** Records the tokens it is given and refuses them with its own name, to show which verifier a token went to. */
class NamedVerifier extends TokenVerifier {
  readonly seen: string[] = [];
  constructor(private readonly label: string) {
    super();
  }
  verify(token: string): Promise<Principal> {
    this.seen.push(token);
    return Promise.reject(new InvalidTokenError(`refused by ${this.label}`));
  }
}

describe(ProviderOrSharedSecretTokenVerifier.name, () => {
  it('sends each token to exactly one verifier by its alg, and its refusal is that verifier’s', async () => {
    const provider = new NamedVerifier('provider');
    const shared = new NamedVerifier('shared secret');
    const both = new ProviderOrSharedSecretTokenVerifier(provider, shared);
    const hs256 = new TokenIssuer(secret).issue({ sub: 'cli', role: 'soc_admin' });
    expect(await refusal(both, hs256)).toBe('refused by shared secret');
    expect(await refusal(both, await rs256({ iss: issuer }))).toBe('refused by provider');
    expect(await refusal(both, 'not-a-jwt')).toBe('refused by shared secret');
    expect(provider.seen).toHaveLength(1);
    expect(shared.seen).toHaveLength(2);
  });
});

describe(tokenVerifierFor.name, () => {
  it('in development and test with an issuer, accepts the CLI token and gives a provider token the provider’s reason', async () => {
    const auth = parseConfig({ NODE_ENV: 'test', JWT_SECRET: secret, OIDC_ISSUER: issuer }).auth;
    const verifier = tokenVerifierFor(auth, members);
    expect(await verifier.verify(tokenIssuerFor(auth).issue({ sub: 'cli', role: 'soc_analyst', name: 'Cli Bruger' }))).toEqual({
      sub: 'cli',
      role: 'soc_analyst',
      name: 'Cli Bruger',
    });
    expect(await refusal(verifier, await rs256({ iss: 'soc-cli' }))).toBe(`invalid token: iss "soc-cli" is not the identity provider; iss must be "${issuer}"`);
  });

  it('in production accepts only the provider’s tokens: an HS256 token is refused for its algorithm', async () => {
    const auth = parseConfig({ NODE_ENV: 'production', OIDC_ISSUER: issuer }).auth;
    const hs256 = new TokenIssuer(secret).issue({ sub: 'cli', role: 'soc_admin' });
    expect(await refusal(tokenVerifierFor(auth, members), hs256)).toBe(
      `invalid token: alg "HS256" is not accepted; tokens must be signed by the identity provider ${issuer} with RS256, ES256, PS256`,
    );
    expect(() => tokenIssuerFor(auth)).toThrow("no JWT_SECRET: with NODE_ENV=production the APIs accept only the identity provider's tokens");
  });

  it('without an issuer, refuses provider tokens as before: only HS256', async () => {
    const verifier = tokenVerifierFor(parseConfig({ NODE_ENV: 'test', JWT_SECRET: secret }).auth, members);
    expect(await refusal(verifier, await rs256({ iss: issuer }))).toBe('invalid token: invalid algorithm');
  });
});

describe(actorOf.name, () => {
  it('names the person beside subject and role, and nothing else of the principal', () => {
    expect(actorOf({ sub: 'u1', role: 'member', member_id: '0751', name: 'Mette M' })).toEqual({ sub: 'u1', role: 'member', name: 'Mette M' });
    expect(actorOf({ sub: 'u2', role: 'soc_admin' })).toEqual({ sub: 'u2', role: 'soc_admin' });
  });
});
