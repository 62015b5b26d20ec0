import { HttpException } from '@nestjs/common';
import { defaultTokenPolicy, SharedSecretTokenVerifier, TokenIssuer, TokenVerifier, type Principal, type Role } from '@soc/auth';
import { MemberDirectory } from '@soc/members';
import { apiBearerRefusals, bearerPrincipal, collectorBearerRefusals, type BearerRefusals } from './bearer-auth';

const secret = 'a-test-secret-that-is-long-enough-000000';
const verifier = new SharedSecretTokenVerifier(secret, defaultTokenPolicy, MemberDirectory.withDefaults());
const issuer = new TokenIssuer(secret);

async function refusal(
  headers: Record<string, string>,
  allowed: readonly Role[] = ['soc_admin'],
  refusals: BearerRefusals = collectorBearerRefusals,
): Promise<{ status: number; body: unknown }> {
  try {
    await bearerPrincipal(verifier, headers, allowed, refusals);
  } catch (error) {
    return { status: (error as HttpException).getStatus(), body: (error as HttpException).getResponse() };
  }
  throw new Error('expected a refusal');
}

describe(bearerPrincipal.name, () => {
  it('returns the principal of a valid token with an allowed role', async () => {
    const token = issuer.issue({ sub: 'admin', role: 'soc_admin' });
    expect(await bearerPrincipal(verifier, { authorization: `Bearer ${token}` }, ['soc_admin'])).toMatchObject({ sub: 'admin', role: 'soc_admin' });
  });

  it('asks for a bearer token when there is none', async () => {
    expect(await refusal({})).toEqual({
      status: 401,
      body: { error: 'unauthenticated', message: 'send a bearer token as "Authorization: Bearer <JWT>"' },
    });
  });

  it('names why a token is invalid', async () => {
    expect(await refusal({ authorization: 'Bearer not-a-jwt' })).toEqual({
      status: 401,
      body: { error: 'unauthenticated', message: 'invalid token: jwt malformed' },
    });
  });

  it('applies the shared token policy: a member token naming the SOC is refused as unauthenticated', async () => {
    const token = issuer.issue({ sub: 'm', role: 'member', member_id: 'shared-soc' });
    expect(await refusal({ authorization: `Bearer ${token}` }, ['member'])).toEqual({
      status: 401,
      body: { error: 'unauthenticated', message: 'invalid token: member_id "shared-soc" is not a member' },
    });
  });

  it('refuses a valid token of another role', async () => {
    const token = issuer.issue({ sub: 'kl', role: 'kl_reporter' });
    expect(await refusal({ authorization: `Bearer ${token}` })).toEqual({
      status: 403,
      body: { error: 'forbidden', message: 'requires role soc_admin' },
    });
  });

  it('reads only the Bearer scheme, case-insensitively, and refuses an ApiKey header as no token', async () => {
    const token = issuer.issue({ sub: 'admin', role: 'soc_admin' });
    expect(await bearerPrincipal(verifier, { authorization: `bearer ${token}` }, ['soc_admin'])).toMatchObject({ sub: 'admin' });
    expect(await refusal({ authorization: 'ApiKey some-forwarder-key' })).toMatchObject({ status: 401 });
  });

  it('speaks the API wording by default: no token, and a role the route does not allow', async () => {
    expect(await refusal({}, ['soc_admin'], apiBearerRefusals)).toEqual({
      status: 401,
      body: { error: 'unauthenticated', message: 'send "Authorization: Bearer <token>"' },
    });
    const token = issuer.issue({ sub: 'kl', role: 'kl_reporter' });
    expect(await refusal({ authorization: `Bearer ${token}` }, ['soc_analyst', 'soc_admin'], apiBearerRefusals)).toEqual({
      status: 403,
      body: { error: 'forbidden', message: 'role kl_reporter may not use this endpoint' },
    });
  });

  it('lets a verifier failure that is not about the token through (a 5xx, not a 401)', async () => {
    class UnreachableKeysVerifier extends TokenVerifier {
      verify(): Promise<Principal> {
        return Promise.reject(new Error('key server away'));
      }
    }
    await expect(bearerPrincipal(new UnreachableKeysVerifier(), { authorization: 'Bearer x' }, ['soc_admin'])).rejects.toThrow('key server away');
  });
});
