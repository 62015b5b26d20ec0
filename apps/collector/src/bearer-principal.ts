import { HttpException, HttpStatus } from '@nestjs/common';
import { InvalidTokenError, type Principal, type Role, type TokenVerifier } from '@soc/auth';

type Headers = Record<string, string | string[] | undefined>;

export function bearerTokenFrom(headers: Headers): string | undefined {
  const authorization = headers['authorization'];
  if (typeof authorization !== 'string') return undefined;
  return /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
}

/** The verified principal of `Authorization: Bearer <JWT>`: 401 without a valid token, 403 for another role. */
export async function bearerPrincipal(verifier: TokenVerifier, headers: Headers, allowed: readonly Role[]): Promise<Principal> {
  const token = bearerTokenFrom(headers);
  if (!token) {
    throw new HttpException(
      { error: 'unauthenticated', message: 'send a bearer token as "Authorization: Bearer <JWT>"' },
      HttpStatus.UNAUTHORIZED,
    );
  }
  let principal: Principal;
  try {
    principal = await verifier.verify(token);
  } catch (error) {
    if (!(error instanceof InvalidTokenError)) throw error;
    throw new HttpException({ error: 'unauthenticated', message: error.message }, HttpStatus.UNAUTHORIZED);
  }
  if (!allowed.includes(principal.role)) {
    throw new HttpException({ error: 'forbidden', message: `requires role ${allowed.join(' or ')}` }, HttpStatus.FORBIDDEN);
  }
  return principal;
}
