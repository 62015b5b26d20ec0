import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { allMembers, memberScope, type AccessScope } from '@soc/contracts';

export const roles = ['member', 'soc_analyst', 'soc_admin', 'kl_reporter'] as const;
export type Role = (typeof roles)[number];

const claimsSchema = z.discriminatedUnion('role', [
  z.object({ sub: z.string().min(1), role: z.literal('member'), member_id: z.string().min(1) }),
  z.object({ sub: z.string().min(1), role: z.enum(['soc_analyst', 'soc_admin', 'kl_reporter']) }),
]);

/** Who is calling: taken from a verified token, never from the request body. */
export type Principal = z.infer<typeof claimsSchema>;

export class InvalidTokenError extends Error {}

/** Verifies HS256 bearer tokens and reads the principal from their claims. */
export class TokenVerifier {
  constructor(private readonly secret: string) {}

  verify(token: string): Principal {
    let payload: unknown;
    try {
      payload = jwt.verify(token, this.secret, { algorithms: ['HS256'] });
    } catch (error) {
      throw new InvalidTokenError(`invalid token: ${(error as Error).message}`);
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) {
      const problems = claims.error.issues.map((i) => `${i.path.join('.') || 'claims'}: ${i.message}`);
      throw new InvalidTokenError(`invalid token claims: ${problems.join('; ')}`);
    }
    return claims.data;
  }

  /** Issues a token (for the CLI and tests). */
  issue(principal: Principal, expiresIn: jwt.SignOptions['expiresIn'] = '8h'): string {
    return jwt.sign(principal, this.secret, { algorithm: 'HS256', expiresIn });
  }
}

/** The data a principal may see: a member only its own; SOC roles all members. */
export function scopeOf(principal: Principal): AccessScope {
  return principal.role === 'member' ? memberScope(principal.member_id) : allMembers;
}
