import { HttpException } from '@nestjs/common';
import { TokenVerifier } from '@soc/auth';
import { bearerPrincipal } from './bearer-principal';

const verifier = new TokenVerifier('a-test-secret-that-is-long-enough-000000');

function refusal(headers: Record<string, string>, allowed = ['soc_admin'] as const): { status: number; body: unknown } {
  try {
    bearerPrincipal(verifier, headers, allowed);
  } catch (error) {
    return { status: (error as HttpException).getStatus(), body: (error as HttpException).getResponse() };
  }
  throw new Error('expected a refusal');
}

describe('bearerPrincipal', () => {
  it('returns the principal of a valid token with an allowed role', () => {
    const token = verifier.issue({ sub: 'admin', role: 'soc_admin' });
    expect(bearerPrincipal(verifier, { authorization: `Bearer ${token}` }, ['soc_admin'])).toMatchObject({ sub: 'admin', role: 'soc_admin' });
  });

  it('asks for a bearer token when there is none', () => {
    expect(refusal({})).toEqual({
      status: 401,
      body: { error: 'unauthenticated', message: 'send a bearer token as "Authorization: Bearer <JWT>"' },
    });
  });

  it('names why a token is invalid', () => {
    expect(refusal({ authorization: 'Bearer not-a-jwt' })).toEqual({
      status: 401,
      body: { error: 'unauthenticated', message: 'invalid token: jwt malformed' },
    });
  });

  it('refuses a valid token of another role', () => {
    const token = verifier.issue({ sub: 'kl', role: 'kl_reporter' });
    expect(refusal({ authorization: `Bearer ${token}` })).toEqual({
      status: 403,
      body: { error: 'forbidden', message: 'requires role soc_admin' },
    });
  });
});
