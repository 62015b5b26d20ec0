import jwt from 'jsonwebtoken';
import type { RouteOperation } from './route-table';

/** The two members the abuse suite plays: A attacks, B owns the objects A must not reach. */
export const memberA = '0751';
export const memberB = '0461';

/** The registered claims every accepted token carries (JWT_ISSUER, JWT_AUDIENCE defaults, docs/API.md). */
const issuer = 'soc-cli';
const audience = 'soc-api';

export type PrincipalKind = 'anonymous' | 'invalid' | 'token' | 'forwarder-key';

/** A caller: the headers it sends, and what the route table lets it do. */
export interface AbusePrincipal {
  name: string;
  kind: PrincipalKind;
  role?: string;
  /** The member whose data the caller may see, for member tokens and forwarder keys. */
  member?: string;
  headers: Record<string, string>;
}

/** A signed HS256 token, minted as an operator's issuer would (not through the product's own issuer). */
export function signToken(secret: string, claims: Record<string, unknown>, lifetimeSeconds = 3600): string {
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign({ iss: issuer, aud: audience, iat: now, exp: now + lifetimeSeconds, ...claims }, secret, { algorithm: 'HS256' });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Every principal of the suite: no credentials, three kinds of bad token, each role, a forwarder key. */
export function abusePrincipals(secret: string, forwarderKeyOfA: string): AbusePrincipal[] {
  const token = (claims: Record<string, unknown>) => bearer(signToken(secret, claims));
  return [
    { name: 'no credentials', kind: 'anonymous', headers: {} },
    { name: 'a garbage token', kind: 'invalid', headers: bearer('not-a-jwt.at.all') },
    { name: 'a token signed with another secret', kind: 'invalid', headers: bearer(signToken(`${secret}-not-ours`, { sub: 'x', role: 'soc_admin' })) },
    { name: 'an expired token', kind: 'invalid', headers: bearer(signToken(secret, { sub: 'x', role: 'soc_admin' }, -120)) },
    { name: `member A (${memberA})`, kind: 'token', role: 'member', member: memberA, headers: token({ sub: 'abuse-a', role: 'member', member_id: memberA }) },
    { name: `member B (${memberB})`, kind: 'token', role: 'member', member: memberB, headers: token({ sub: 'abuse-b', role: 'member', member_id: memberB }) },
    { name: 'soc_analyst', kind: 'token', role: 'soc_analyst', headers: token({ sub: 'abuse-analyst', role: 'soc_analyst' }) },
    { name: 'soc_admin', kind: 'token', role: 'soc_admin', headers: token({ sub: 'abuse-admin', role: 'soc_admin' }) },
    { name: 'kl_reporter', kind: 'token', role: 'kl_reporter', headers: token({ sub: 'abuse-kl', role: 'kl_reporter' }) },
    { name: `member A's forwarder key`, kind: 'forwarder-key', member: memberA, headers: { authorization: `ApiKey ${forwarderKeyOfA}` } },
  ];
}

/** What the route table promises a principal: let through, 401 (no valid credentials) or 403 (a role not in x-roles). */
export function promisedAnswer(op: RouteOperation, principal: AbusePrincipal): 'allowed' | 401 | 403 {
  if (op.auth === 'none') return 'allowed';
  const takesKeys = op.auth === 'forwarder-key' || op.auth === 'forwarder-key-or-bearer';
  const takesTokens = op.auth === 'bearer' || op.auth === 'forwarder-key-or-bearer';
  if (principal.kind === 'forwarder-key') return takesKeys ? 'allowed' : 401;
  if (principal.kind !== 'token' || !takesTokens) return 401;
  return op.roles.includes(principal.role!) ? 'allowed' : 403;
}
