import jwt from 'jsonwebtoken';
import type { Principal } from './principal';
import { defaultTokenPolicy, type TokenPolicy } from './token-policy';

/**
 * Issues HS256 tokens that `SharedSecretTokenVerifier` accepts: the principal's claims with the
 * policy's `iss` and `aud`, `iat` and `exp`. Used by the CLI and the tests; an identity provider
 * issues the tokens of an OpenID Connect deployment.
 */
export class TokenIssuer {
  constructor(
    private readonly secret: string,
    private readonly policy: TokenPolicy = defaultTokenPolicy,
  ) {}

  /** `expiresIn` as `jwt.sign` takes it (`'8h'`, seconds); refused when longer than the policy allows. */
  issue(principal: Principal, expiresIn: jwt.SignOptions['expiresIn'] = '8h'): string {
    const token = jwt.sign(principal, this.secret, {
      algorithm: 'HS256',
      expiresIn,
      issuer: this.policy.issuer,
      audience: this.policy.audience,
    });
    const { iat, exp } = jwt.decode(token) as { iat: number; exp: number };
    if (exp - iat > this.policy.maxLifetimeSeconds) {
      throw new RangeError(`a token may live at most ${this.policy.maxLifetimeSeconds} s (JWT_MAX_LIFETIME_SECONDS); asked for ${exp - iat} s`);
    }
    return token;
  }
}
