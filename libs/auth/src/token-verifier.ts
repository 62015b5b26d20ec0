import jwt from 'jsonwebtoken';
import type { Principal } from './principal';
import { InvalidTokenError, principalFromClaims, type MemberLookup, type TokenPolicy } from './token-policy';

/**
 * What `BearerGuard` (libs/platform, used by every app) depends on: a token in, its principal out, or an
 * `InvalidTokenError` naming why not. Asynchronous so that a verifier fetching its keys
 * (OpenID Connect, RS256 keys from a JWKS endpoint) can be added beside the shared-secret one.
 */
export abstract class TokenVerifier {
  abstract verify(token: string): Promise<Principal>;
}

/**
 * HS256 tokens signed with JWT_SECRET (issued by `npm run cli -- token`). The algorithm is
 * pinned: `none`, other HMAC sizes and asymmetric algorithms are refused before any claim is read.
 */
export class SharedSecretTokenVerifier extends TokenVerifier {
  constructor(
    private readonly secret: string,
    private readonly policy: TokenPolicy,
    private readonly members: MemberLookup,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  async verify(token: string): Promise<Principal> {
    const nowSeconds = Math.floor(this.now() / 1000);
    let payload: unknown;
    try {
      payload = jwt.verify(token, this.secret, { algorithms: ['HS256'], clockTimestamp: nowSeconds });
    } catch (error) {
      throw new InvalidTokenError(`invalid token: ${(error as Error).message}`);
    }
    return principalFromClaims(payload, this.policy, this.members, nowSeconds);
  }
}
