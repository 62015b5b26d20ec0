import { HttpException, HttpStatus } from '@nestjs/common';
import { InvalidTokenError, type Principal, type Role, type TokenVerifier } from '@soc/auth';

type Headers = Record<string, string | string[] | undefined>;

/**
 * The texts of the two bearer refusals. Their shape is fixed (`401 unauthenticated`,
 * `403 forbidden`); the wording is an app's, because clients of the collector's admin API
 * already read its own texts (docs/API.md, Authentication).
 */
export interface BearerRefusals {
  /** The 401 message when the request carries no bearer token. */
  missing: string;
  /** The 403 message when a valid token's role is not one the route allows. */
  forbidden(role: Role, allowed: readonly Role[]): string;
}

/** The wording of the alerting and correlator APIs (the default). */
export const apiBearerRefusals: BearerRefusals = {
  missing: 'send "Authorization: Bearer <token>"',
  forbidden: (role) => `role ${role} may not use this endpoint`,
};

/** The wording of the collector (its admin API and ingestion health). */
export const collectorBearerRefusals: BearerRefusals = {
  missing: 'send a bearer token as "Authorization: Bearer <JWT>"',
  forbidden: (_role, allowed) => `requires role ${allowed.join(' or ')}`,
};

/** The token of `Authorization: Bearer <token>`, or undefined without one. */
export function bearerTokenFrom(headers: Headers): string | undefined {
  const authorization = headers['authorization'];
  if (typeof authorization !== 'string') return undefined;
  return /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
}

/**
 * The verified principal of `Authorization: Bearer <JWT>` whose role is one of `allowed`:
 * 401 without a token or with one the verifier refuses (its reason as the message), 403 for
 * another role. Any other verifier failure is not the caller's fault and propagates (a 5xx).
 */
export async function bearerPrincipal(
  verifier: TokenVerifier,
  headers: Headers,
  allowed: readonly Role[],
  refusals: BearerRefusals = apiBearerRefusals,
): Promise<Principal> {
  const token = bearerTokenFrom(headers);
  if (!token) throw new HttpException({ error: 'unauthenticated', message: refusals.missing }, HttpStatus.UNAUTHORIZED);
  let principal: Principal;
  try {
    principal = await verifier.verify(token);
  } catch (error) {
    if (!(error instanceof InvalidTokenError)) throw error;
    throw new HttpException({ error: 'unauthenticated', message: error.message }, HttpStatus.UNAUTHORIZED);
  }
  if (!allowed.includes(principal.role)) {
    throw new HttpException({ error: 'forbidden', message: refusals.forbidden(principal.role, allowed) }, HttpStatus.FORBIDDEN);
  }
  return principal;
}
