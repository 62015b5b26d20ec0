import type { MemberDirectory } from '@soc/members';
import { principalClaimsSchema, type Principal } from './principal';

/** A bearer token that must not be honoured; the message says why (it is shown to the caller). */
export class InvalidTokenError extends Error {}

/** What every accepted token must carry, whoever signed it (docs/API.md, Authentication). */
export interface TokenPolicy {
  issuer: string;
  audience: string;
  /** Longest accepted `exp - iat`, in seconds. */
  maxLifetimeSeconds: number;
}

/** The defaults of JWT_ISSUER, JWT_AUDIENCE and JWT_MAX_LIFETIME_SECONDS (libs/config). */
export const defaultTokenPolicy: TokenPolicy = { issuer: 'soc-cli', audience: 'soc-api', maxLifetimeSeconds: 12 * 3600 };

/**
 * Organisation ids the product itself uses (campaign alerts, global exceptions, audit entries).
 * A member token naming one would see what only the SOC may see, even if a members file listed it.
 */
export const socOrganizationIds: ReadonlySet<string> = new Set(['shared-soc', 'global']);

/** Allowed difference between the issuer's clock and ours when checking `iat`. */
const clockToleranceSeconds = 60;

export type MemberLookup = Pick<MemberDirectory, 'has'>;

/**
 * The registered claims every accepted token must carry, whoever signed it: `iss` and `aud` of
 * the policy, `exp` and `iat` present, `iat` not in the future and `exp - iat` bounded. Whether
 * `exp` has passed is the signature check's (it knows the clock it verified against).
 */
export function checkRegisteredClaims(claims: Record<string, unknown>, policy: TokenPolicy, nowSeconds: number): void {
  if (claims.iss !== policy.issuer) throw new InvalidTokenError(`invalid token: iss must be "${policy.issuer}"`);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(policy.audience)) throw new InvalidTokenError(`invalid token: aud must be "${policy.audience}"`);
  if (typeof claims.exp !== 'number') throw new InvalidTokenError('invalid token: exp is required (every token must expire)');
  if (typeof claims.iat !== 'number') throw new InvalidTokenError('invalid token: iat is required (to bound the lifetime)');
  // A future iat would stretch the lifetime measured from now beyond the maximum.
  if (claims.iat > nowSeconds + clockToleranceSeconds) throw new InvalidTokenError('invalid token: iat lies in the future');
  if (claims.exp - claims.iat > policy.maxLifetimeSeconds) {
    throw new InvalidTokenError(
      `invalid token: lifetime exp - iat of ${claims.exp - claims.iat} s is longer than the maximum of ${policy.maxLifetimeSeconds} s`,
    );
  }
}

/** A member token's member must be in the member directory and never one of the SOC's own organisations. */
export function checkMemberId(memberId: string, members: MemberLookup): void {
  if (socOrganizationIds.has(memberId) || !members.has(memberId)) throw new InvalidTokenError(`invalid token: member_id "${memberId}" is not a member`);
}

/**
 * The principal of a token whose signature has already been checked: the registered claims
 * and then the principal's own (`sub`, `role`, `member_id`, `name`), with a member token's member
 * looked up in the member directory. The OpenID Connect verifier applies the same registered-claim
 * and member rules to the provider's claims (oidc-principal.ts).
 */
export function principalFromClaims(payload: unknown, policy: TokenPolicy, members: MemberLookup, nowSeconds: number): Principal {
  if (typeof payload !== 'object' || payload === null) throw new InvalidTokenError('invalid token: the payload is not a JSON object');
  const claims = payload as Record<string, unknown>;
  checkRegisteredClaims(claims, policy, nowSeconds);
  const principal = principalClaimsSchema.safeParse(claims);
  if (!principal.success) {
    const problems = principal.error.issues.map((i) => `${i.path.join('.') || 'claims'}: ${i.message}`);
    throw new InvalidTokenError(`invalid token claims: ${problems.join('; ')}`);
  }
  const { data } = principal;
  if (data.role === 'member') checkMemberId(data.member_id, members);
  // Only the principal's own claims: nothing else of the token reaches a controller.
  const name = data.name === undefined ? {} : { name: data.name };
  return data.role === 'member' ? { sub: data.sub, role: data.role, member_id: data.member_id, ...name } : { sub: data.sub, role: data.role, ...name };
}
