import { consoleRoles, type ConsoleRole, type SignedInUser } from './console-session';

/** Where the provider's token holds role, member and display name (Keycloak's defaults, as the APIs read them). */
export interface UserClaimNames {
  /** A dotted path to an array of role names. */
  roles: string;
  memberId: string;
  name: string;
}

export const keycloakClaimNames: UserClaimNames = { roles: 'realm_access.roles', memberId: 'member_id', name: 'name' };

/** The signed-in person cannot use the console: no product role, or an ambiguous one. Shown to them as the reason. */
export class SignInRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInRefusedError';
  }
}

function claimAt(claims: Record<string, unknown>, path: string): unknown {
  let value: unknown = claims;
  for (const step of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/**
 * Who signed in, from the claims of the provider's verified access token (the token the APIs
 * will see, so the console shows the role they apply): the role that grants most, a member's
 * member id, and a name to greet them by. A token holding `member` beside a SOC role is refused,
 * as the APIs refuse it.
 */
export function signedInUserFrom(claims: Record<string, unknown>, names: UserClaimNames = keycloakClaimNames): SignedInUser {
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub.length === 0) throw new SignInRefusedError('the provider named no subject (sub) for this sign-in');
  const listed = claimAt(claims, names.roles);
  const held = Array.isArray(listed) ? consoleRoles.filter((role) => listed.includes(role)) : [];
  const role: ConsoleRole | undefined = held[0];
  if (role === undefined) throw new SignInRefusedError(`this account has no role in the SOC (${names.roles} holds none of ${consoleRoles.join(', ')})`);
  if (role !== 'member' && held.includes('member')) {
    throw new SignInRefusedError(`this account holds member together with ${role}; an account acts either for one member or for the SOC`);
  }
  const rawMember = claimAt(claims, names.memberId);
  const member = Array.isArray(rawMember) && rawMember.length === 1 ? rawMember[0] : rawMember;
  if (role === 'member' && (typeof member !== 'string' || member.length === 0)) {
    throw new SignInRefusedError(`this account has the role member but no member id (${names.memberId})`);
  }
  const name = [claimAt(claims, names.name), claims.preferred_username, sub].find((v): v is string => typeof v === 'string' && v.trim() !== '');
  return { sub, name: name!.trim().slice(0, 200), role, member_id: role === 'member' ? (member as string) : null };
}
