import { OidcTokenVerifier, type OidcSettings } from './oidc-token-verifier';
import { ProviderOrSharedSecretTokenVerifier } from './provider-or-shared-secret-token-verifier';
import type { MemberLookup, TokenPolicy } from './token-policy';
import { TokenIssuer } from './token-issuer';
import { SharedSecretTokenVerifier, type TokenVerifier } from './token-verifier';

/** The token settings of the configuration (`AppConfig.auth`, libs/config). */
export interface TokenSettings {
  /** The HS256 secret of development tokens; undefined where they are refused (NODE_ENV=production). */
  jwtSecret?: string;
  jwtIssuer: string;
  jwtAudience: string;
  jwtMaxLifetimeSeconds: number;
  /** The identity provider whose tokens are accepted (OIDC_ISSUER); undefined: none. */
  oidc?: OidcSettings;
}

export function tokenPolicyOf(settings: TokenSettings): TokenPolicy {
  return { issuer: settings.jwtIssuer, audience: settings.jwtAudience, maxLifetimeSeconds: settings.jwtMaxLifetimeSeconds };
}

/**
 * The one verifier the three apps' bearer guards use, built the same way in each: the identity
 * provider's tokens where OIDC_ISSUER is set, the HS256 development tokens where a secret is (never
 * in production, libs/config), both side by side where both are.
 */
export function tokenVerifierFor(settings: TokenSettings, members: MemberLookup): TokenVerifier {
  const provider = settings.oidc && new OidcTokenVerifier(settings.oidc, settings.jwtMaxLifetimeSeconds, members);
  const sharedSecret = settings.jwtSecret === undefined ? undefined : new SharedSecretTokenVerifier(settings.jwtSecret, tokenPolicyOf(settings), members);
  if (provider && sharedSecret) return new ProviderOrSharedSecretTokenVerifier(provider, sharedSecret);
  const only = provider ?? sharedSecret;
  if (!only) throw new Error('no tokens can be accepted: set OIDC_ISSUER (or JWT_SECRET outside production)');
  return only;
}

/** The CLI's development tokens; refused where the APIs accept only the provider's tokens. */
export function tokenIssuerFor(settings: TokenSettings): TokenIssuer {
  if (settings.jwtSecret === undefined) {
    throw new Error("no JWT_SECRET: with NODE_ENV=production the APIs accept only the identity provider's tokens (docs/AUTH.md, Service accounts)");
  }
  return new TokenIssuer(settings.jwtSecret, tokenPolicyOf(settings));
}
