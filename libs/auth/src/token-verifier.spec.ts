import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { parseConfig } from '@soc/config';
import { MemberDirectory, membersFileSchema } from '@soc/members';
import { scopeOf } from './principal';
import { TokenIssuer } from './token-issuer';
import { defaultTokenPolicy, InvalidTokenError } from './token-policy';
import { SharedSecretTokenVerifier } from './token-verifier';
import { tokenPolicyOf } from './tokens';

const secret = 'a-test-secret-that-is-long-enough-000000';
const members = MemberDirectory.withDefaults(membersFileSchema.parse({ members: [{ id: 'kombit', kind: 'other', name: 'KOMBIT' }] }));
const nowSeconds = 1_800_000_000;
const verifier = new SharedSecretTokenVerifier(secret, defaultTokenPolicy, members, () => nowSeconds * 1000);
const issuer = new TokenIssuer(secret);

/** A token with exactly these claims (no defaults added), signed with the shared secret. */
function signed(claims: Record<string, unknown>, algorithm: jwt.Algorithm = 'HS256', key: string = secret): string {
  const present = Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
  // jsonwebtoken adds iat unless told not to; a given iat is kept.
  return jwt.sign(present, key, { algorithm, noTimestamp: !('iat' in present) });
}

const valid = { sub: 'anna', role: 'member', member_id: '0751', iss: 'soc-cli', aud: 'soc-api', iat: nowSeconds - 60, exp: nowSeconds + 3600 };

async function refusal(token: string): Promise<string> {
  const error = await verifier.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  return (error as Error).message;
}

describe(SharedSecretTokenVerifier.name, () => {
  it('reads a member principal and scopes it to its own member', async () => {
    const principal = await verifier.verify(signed(valid));
    expect(principal).toEqual({ sub: 'anna', role: 'member', member_id: '0751' });
    expect(scopeOf(principal)).toEqual({ kind: 'member', memberId: '0751' });
  });

  it('gives SOC analysts every member', async () => {
    const principal = await verifier.verify(signed({ ...valid, sub: 'soc1', role: 'soc_analyst', member_id: undefined }));
    expect(scopeOf(principal)).toEqual({ kind: 'all-members' });
  });

  it('accepts a member from the members file and an audience list that contains ours', async () => {
    expect(await verifier.verify(signed({ ...valid, member_id: 'kombit', aud: ['other-api', 'soc-api'] }))).toMatchObject({ member_id: 'kombit' });
  });

  it('accepts what the issuer issues, with the issuer clock', async () => {
    const live = new SharedSecretTokenVerifier(secret, defaultTokenPolicy, members);
    expect(await live.verify(issuer.issue({ sub: 'x', role: 'member', member_id: '0461' }))).toEqual({ sub: 'x', role: 'member', member_id: '0461' });
  });

  it('rejects a token signed with another secret', async () => {
    expect(await refusal(signed(valid, 'HS256', 'another-secret-another-secret-0000'))).toBe('invalid token: invalid signature');
  });

  it('rejects a token without exp', async () => {
    expect(await refusal(signed({ ...valid, exp: undefined }))).toBe('invalid token: exp is required (every token must expire)');
  });

  it('rejects a token without iat, whose lifetime cannot be bounded', async () => {
    expect(await refusal(signed({ ...valid, iat: undefined }))).toBe('invalid token: iat is required (to bound the lifetime)');
  });

  it('rejects a lifetime longer than the maximum', async () => {
    const long = signed({ ...valid, iat: nowSeconds, exp: nowSeconds + 12 * 3600 + 1 });
    expect(await refusal(long)).toBe('invalid token: lifetime exp - iat of 43201 s is longer than the maximum of 43200 s');
    expect(await verifier.verify(signed({ ...valid, iat: nowSeconds, exp: nowSeconds + 12 * 3600 }))).toMatchObject({ sub: 'anna' });
  });

  it('rejects an iat in the future, which would stretch the lifetime from now', async () => {
    const future = signed({ ...valid, iat: nowSeconds + 365 * 86400, exp: nowSeconds + 365 * 86400 + 3600 });
    expect(await refusal(future)).toBe('invalid token: iat lies in the future');
  });

  it('rejects an expired token', async () => {
    expect(await refusal(signed({ ...valid, iat: nowSeconds - 7200, exp: nowSeconds - 3600 }))).toBe('invalid token: jwt expired');
  });

  it('rejects a wrong or missing issuer', async () => {
    expect(await refusal(signed({ ...valid, iss: 'someone-else' }))).toBe('invalid token: iss must be "soc-cli"');
    expect(await refusal(signed({ ...valid, iss: undefined }))).toBe('invalid token: iss must be "soc-cli"');
  });

  it('rejects a wrong or missing audience', async () => {
    expect(await refusal(signed({ ...valid, aud: 'another-api' }))).toBe('invalid token: aud must be "soc-api"');
    expect(await refusal(signed({ ...valid, aud: undefined }))).toBe('invalid token: aud must be "soc-api"');
  });

  it('rejects a member token naming no member', async () => {
    expect(await refusal(signed({ ...valid, member_id: '9999' }))).toBe('invalid token: member_id "9999" is not a member');
  });

  it('rejects the SOC organisations as members, even when a members file lists them', async () => {
    const listing = MemberDirectory.withDefaults(
      membersFileSchema.parse({
        members: [
          { id: 'shared-soc', kind: 'other', name: 'SOC' },
          { id: 'global', kind: 'other', name: 'x' },
        ],
      }),
    );
    const lenient = new SharedSecretTokenVerifier(secret, defaultTokenPolicy, listing, () => nowSeconds * 1000);
    for (const id of ['shared-soc', 'global']) {
      await expect(lenient.verify(signed({ ...valid, member_id: id }))).rejects.toThrow(`invalid token: member_id "${id}" is not a member`);
    }
  });

  it('rejects a member token without a member id', async () => {
    expect(await refusal(signed({ ...valid, member_id: undefined }))).toMatch(/^invalid token claims: member_id:/);
  });

  it('rejects an unsigned token (alg none), also one carrying a signature', async () => {
    const unsigned = jwt.sign(valid, '', { algorithm: 'none' } as jwt.SignOptions);
    expect(await refusal(unsigned)).toBe('invalid token: jwt signature is required');
    const [header, payload] = unsigned.split('.');
    const withSignature = `${header}.${payload}.${signed(valid).split('.')[2]}`;
    expect(await refusal(withSignature)).toBe('invalid token: invalid algorithm');
  });

  it('rejects other HMAC sizes signed with the right secret: the algorithm is pinned to HS256', async () => {
    expect(await refusal(signed(valid, 'HS384'))).toBe('invalid token: invalid algorithm');
    expect(await refusal(signed(valid, 'HS512'))).toBe('invalid token: invalid algorithm');
  });

  it('rejects an RS256 token (alg confusion: an asymmetric token is never checked as if HMAC)', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rs256 = jwt.sign(valid, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { algorithm: 'RS256' });
    expect(await refusal(rs256)).toBe('invalid token: invalid algorithm');
  });

  it('returns only the principal claims, never the rest of the token', async () => {
    expect(await verifier.verify(signed({ ...valid, role: 'soc_admin', member_id: '0751', extra: 'x' }))).toEqual({ sub: 'anna', role: 'soc_admin' });
  });
});

describe(TokenIssuer.name, () => {
  it('issues iss, aud, iat and exp', () => {
    const claims = jwt.decode(issuer.issue({ sub: 's', role: 'soc_admin' }, 3600)) as Record<string, number | string>;
    expect(claims).toMatchObject({ iss: 'soc-cli', aud: 'soc-api', sub: 's', role: 'soc_admin' });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
  });

  it('refuses to issue a token longer than the maximum lifetime', () => {
    expect(() => issuer.issue({ sub: 's', role: 'soc_admin' }, '30d')).toThrow(
      'a token may live at most 43200 s (JWT_MAX_LIFETIME_SECONDS); asked for 2592000 s',
    );
  });
});

describe('the token defaults', () => {
  it('are the configuration defaults, so the CLI and the apps agree without settings', () => {
    expect(tokenPolicyOf(parseConfig({}).auth)).toEqual(defaultTokenPolicy);
  });
});
