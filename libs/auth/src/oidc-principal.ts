import type { Principal, Role } from './principal';
import { checkMemberId, InvalidTokenError, type MemberLookup } from './token-policy';

/** Where in an identity provider's token the product reads role, member and display name (OIDC_*_CLAIM, libs/config). */
export interface OidcClaimNames {
  /** A dotted path to an array of role names, e.g. Keycloak's `realm_access.roles`. */
  roles: string;
  /** A dotted path to the member id (a string, or an array holding exactly one). */
  memberId: string;
  /** A dotted path to the display name; `preferred_username` when it is absent. */
  name: string;
}

/**
 * When a token carries several product roles, the one that grants most is the principal's role.
 * `member` is last and never combined with a SOC role (see `oidcPrincipalFrom`).
 */
const rolePrecedence: readonly Role[] = ['soc_admin', 'soc_analyst', 'kl_reporter', 'member'];

/** The value at a dotted path (`realm_access.roles`), or undefined where any step is missing. */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  let value: unknown = claims;
  for (const step of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

function productRolesIn(claims: Record<string, unknown>, path: string): Role[] {
  const value = claimAt(claims, path);
  if (value === undefined) throw new InvalidTokenError(`invalid token: no product role: the roles claim ${path} is missing`);
  if (!Array.isArray(value) || !value.every((role) => typeof role === 'string')) {
    throw new InvalidTokenError(`invalid token: the roles claim ${path} must be an array of strings`);
  }
  const present = rolePrecedence.filter((role) => value.includes(role));
  if (present.length === 0) throw new InvalidTokenError(`invalid token: no product role in the roles claim ${path} (one of ${rolePrecedence.join(', ')})`);
  return present;
}

function memberIdIn(claims: Record<string, unknown>, path: string): string {
  const value = claimAt(claims, path);
  const single = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (value === undefined) throw new InvalidTokenError(`invalid token: role member needs the member claim ${path}`);
  if (typeof single !== 'string' || single.length === 0) {
    throw new InvalidTokenError(`invalid token: the member claim ${path} must be one non-empty string (a member acts for exactly one member)`);
  }
  return single;
}

function nameIn(claims: Record<string, unknown>, path: string): string | undefined {
  for (const candidate of [claimAt(claims, path), claims.preferred_username]) {
    if (typeof candidate === 'string' && candidate.trim().length > 0) return candidate.trim().slice(0, 200);
  }
  return undefined;
}

/**
 * The principal of an identity provider's verified token: its product role by precedence, a
 * member's member (looked up like a shared-secret token's), the display name for the audit trail.
 * A token holding `member` beside a SOC role is refused rather than narrowed or widened: which of
 * the two scopes the person meant cannot be told, and either guess is wrong for someone.
 */
export function oidcPrincipalFrom(claims: Record<string, unknown>, names: OidcClaimNames, members: MemberLookup): Principal {
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) throw new InvalidTokenError('invalid token: sub is required (who the caller is)');
  const present = productRolesIn(claims, names.roles);
  const name = nameIn(claims, names.name);
  const named = name === undefined ? {} : { name };
  if (present.includes('member')) {
    if (present.length > 1) {
      throw new InvalidTokenError(
        `invalid token: the roles claim ${names.roles} holds member together with ${present.filter((r) => r !== 'member').join(', ')}; ` +
          'a token acts either for one member or for the SOC, so such a token is refused',
      );
    }
    const memberId = memberIdIn(claims, names.memberId);
    checkMemberId(memberId, members);
    return { sub: claims.sub, role: 'member', member_id: memberId, ...named };
  }
  return { sub: claims.sub, role: present[0] as Exclude<Role, 'member'>, ...named };
}
