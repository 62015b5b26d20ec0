import type { MemberLookup, TokenPolicy } from './token-policy';
import { TokenIssuer } from './token-issuer';
import { SharedSecretTokenVerifier, type TokenVerifier } from './token-verifier';

/** The token settings of the configuration (`AppConfig.auth`, libs/config). */
export interface TokenSettings {
  jwtSecret: string;
  jwtIssuer: string;
  jwtAudience: string;
  jwtMaxLifetimeSeconds: number;
}

export function tokenPolicyOf(settings: TokenSettings): TokenPolicy {
  return { issuer: settings.jwtIssuer, audience: settings.jwtAudience, maxLifetimeSeconds: settings.jwtMaxLifetimeSeconds };
}

/** The one verifier the three apps' bearer guards use, built the same way in each. */
export function tokenVerifierFor(settings: TokenSettings, members: MemberLookup): TokenVerifier {
  return new SharedSecretTokenVerifier(settings.jwtSecret, tokenPolicyOf(settings), members);
}

export function tokenIssuerFor(settings: TokenSettings): TokenIssuer {
  return new TokenIssuer(settings.jwtSecret, tokenPolicyOf(settings));
}
