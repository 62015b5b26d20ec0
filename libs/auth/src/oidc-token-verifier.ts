import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { oidcPrincipalFrom, type OidcClaimNames } from './oidc-principal';
import type { Principal } from './principal';
import { ProviderSigningKeys, type SigningKeySource } from './provider-signing-keys';
import { checkRegisteredClaims, InvalidTokenError, type MemberLookup } from './token-policy';
import { TokenVerifier } from './token-verifier';

/** The identity provider's settings (OIDC_*, libs/config `AuthConfig.oidc`). */
export interface OidcSettings {
  issuer: string;
  audience: string;
  jwksUrl?: string;
  claims: OidcClaimNames;
  jwksCacheSeconds: number;
  jwksCooldownSeconds: number;
}

/**
 * Asymmetric signatures only: the provider holds the private key, we only its public one. HMAC
 * (`HS*`) is never accepted here, or anyone who has the public key could sign with it as the secret.
 */
export const providerAlgorithms = ['RS256', 'ES256', 'PS256'] as const;

/** Allowed difference between the provider's clock and ours when checking `exp` and `nbf`. */
const expiryToleranceSeconds = 10;

/**
 * Tokens an OpenID Connect provider issued (Keycloak in development, docs/AUTH.md): signature
 * checked with the provider's published keys, then the same registered-claim rules as every token
 * (issuer, audience, `exp`, `iat`, bounded lifetime) and the product principal read from the
 * configured claims. Refusals name the claim or header at fault; the provider being unreachable
 * is not a refusal (`IdentityProviderUnavailableError`).
 */
export class OidcTokenVerifier extends TokenVerifier {
  private readonly keys: ProviderSigningKeys;

  constructor(
    private readonly settings: OidcSettings,
    private readonly maxLifetimeSeconds: number,
    private readonly members: MemberLookup,
    private readonly now: () => number = Date.now,
    keySource: Partial<SigningKeySource> = {},
  ) {
    super();
    this.keys = new ProviderSigningKeys({
      issuer: settings.issuer,
      jwksUrl: settings.jwksUrl,
      cacheSeconds: settings.jwksCacheSeconds,
      cooldownSeconds: settings.jwksCooldownSeconds,
      ...keySource,
    });
  }

  async verify(token: string): Promise<Principal> {
    // Refusals that need no key come first: a foreign or HMAC token never makes us fetch keys.
    const alg = this.algorithmOf(token);
    if (!(providerAlgorithms as readonly string[]).includes(alg)) {
      throw new InvalidTokenError(
        `invalid token: alg "${alg}" is not accepted; tokens must be signed by the identity provider ${this.settings.issuer} with ${providerAlgorithms.join(', ')}`,
      );
    }
    const unverifiedIssuer = this.unverifiedClaims(token).iss;
    if (unverifiedIssuer !== this.settings.issuer) {
      throw new InvalidTokenError(
        `invalid token: iss ${JSON.stringify(unverifiedIssuer ?? null)} is not the identity provider; iss must be "${this.settings.issuer}"`,
      );
    }
    const nowMs = this.now();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys.keyFor, {
        algorithms: [...providerAlgorithms],
        currentDate: new Date(nowMs),
        clockTolerance: expiryToleranceSeconds,
      }));
    } catch (error) {
      throw this.refusalOf(error, token);
    }
    const claims = payload as Record<string, unknown>;
    checkRegisteredClaims(
      claims,
      { issuer: this.settings.issuer, audience: this.settings.audience, maxLifetimeSeconds: this.maxLifetimeSeconds },
      Math.floor(nowMs / 1000),
    );
    return oidcPrincipalFrom(claims, this.settings.claims, this.members);
  }

  private algorithmOf(token: string): string {
    try {
      return String(decodeProtectedHeader(token).alg);
    } catch {
      throw new InvalidTokenError('invalid token: malformed (not a signed JWT: header.payload.signature in base64url)');
    }
  }

  private unverifiedClaims(token: string): JWTPayload {
    try {
      return decodeJwt(token);
    } catch {
      throw new InvalidTokenError('invalid token: malformed (the payload is not a base64url JSON object)');
    }
  }

  /** jose's failures as the caller's reason; anything that is not about the token passes unchanged. */
  private refusalOf(error: unknown, token: string): Error {
    if (error instanceof errors.JWTExpired) {
      const exp = Number(decodeJwt(token).exp);
      return new InvalidTokenError(`invalid token: exp ${new Date(exp * 1000).toISOString()} has passed (the token expired)`);
    }
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf') return new InvalidTokenError('invalid token: nbf lies in the future');
    if (error instanceof errors.JWKSNoMatchingKey) {
      const kid = decodeProtectedHeader(token).kid;
      return new InvalidTokenError(`invalid token: kid ${JSON.stringify(kid ?? null)} is not among the signing keys of ${this.settings.issuer}`);
    }
    if (error instanceof errors.JWKSMultipleMatchingKeys)
      return new InvalidTokenError('invalid token: the header names no kid and the provider has several keys');
    if (error instanceof errors.JWSSignatureVerificationFailed) return new InvalidTokenError('invalid token: invalid signature');
    if (error instanceof errors.JOSEAlgNotAllowed) return new InvalidTokenError(`invalid token: ${error.message}`);
    if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) {
      return new InvalidTokenError(`invalid token: ${error.message}`);
    }
    return error as Error;
  }
}
