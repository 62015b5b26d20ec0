import { z } from 'zod';
import { allMembers, memberScope, type AccessScope } from '@soc/contracts';

export const roles = ['member', 'soc_analyst', 'soc_admin', 'kl_reporter'] as const;
export type Role = (typeof roles)[number];

/** The principal's own claims, beside the registered ones (`iss`, `aud`, `iat`, `exp`) the token policy checks. */
export const principalClaimsSchema = z.discriminatedUnion('role', [
  z.object({ sub: z.string().min(1), role: z.literal('member'), member_id: z.string().min(1) }),
  z.object({ sub: z.string().min(1), role: z.enum(['soc_analyst', 'soc_admin', 'kl_reporter']) }),
]);

/** Who is calling: taken from a verified token, never from the request body. */
export type Principal = z.infer<typeof principalClaimsSchema>;

/** The data a principal may see: a member only its own; SOC roles all members. */
export function scopeOf(principal: Principal): AccessScope {
  return principal.role === 'member' ? memberScope(principal.member_id) : allMembers;
}
