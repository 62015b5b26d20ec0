import { z } from 'zod';
import { allMembers, memberScope, type AccessScope } from '@soc/contracts';

export const roles = ['member', 'soc_analyst', 'soc_admin', 'kl_reporter'] as const;
export type Role = (typeof roles)[number];

/** A person's or service account's display name, as the audit trail shows it beside the subject. */
const displayName = z.string().min(1).max(200).optional();

/** The principal's own claims, beside the registered ones (`iss`, `aud`, `iat`, `exp`) the token policy checks. */
export const principalClaimsSchema = z.discriminatedUnion('role', [
  z.object({ sub: z.string().min(1), role: z.literal('member'), member_id: z.string().min(1), name: displayName }),
  z.object({ sub: z.string().min(1), role: z.enum(['soc_analyst', 'soc_admin', 'kl_reporter']), name: displayName }),
]);

/** Who is calling: taken from a verified token, never from the request body. */
export type Principal = z.infer<typeof principalClaimsSchema>;

/** The data a principal may see: a member only its own; SOC roles all members. */
export function scopeOf(principal: Principal): AccessScope {
  return principal.role === 'member' ? memberScope(principal.member_id) : allMembers;
}

/** Who made a change, as audit entries record it: the subject, its role and, when the token named one, the display name. */
export interface Actor {
  sub: string;
  role: string;
  name?: string;
}

/** The actor of a principal's change (audit entries, rule change stamps, dead-letter replays). */
export function actorOf(principal: Principal): Actor {
  return principal.name === undefined ? { sub: principal.sub, role: principal.role } : { sub: principal.sub, role: principal.role, name: principal.name };
}
