import { createRemoteJWKSet, errors, type FlattenedJWSInput, type JWSHeaderParameters, type KeyLike } from 'jose';

/**
 * The identity provider could not be asked for its signing keys (discovery document or JWKS
 * unreachable, not JSON, naming another issuer). Not the caller's fault: the APIs answer 503,
 * and the reason goes to the log, never to the caller.
 */
export class IdentityProviderUnavailableError extends Error {
  override readonly name = 'IdentityProviderUnavailableError';
}

/** How the provider's keys are found and kept (OIDC_JWKS_*, libs/config). */
export interface SigningKeySource {
  issuer: string;
  /** The JWKS address; without it, the `jwks_uri` of `<issuer>/.well-known/openid-configuration`. */
  jwksUrl?: string;
  /** A fetched key set is used this long before it is fetched again. */
  cacheSeconds: number;
  /** After a fetch, a token naming an unknown `kid` fetches again only after this long. */
  cooldownSeconds: number;
  /** Per request to the provider. */
  timeoutMs?: number;
}

type KeyLookup = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<KeyLike>;

/**
 * The provider's public signing keys, fetched on first use and cached (jose's remote key set).
 * A token whose `kid` is not in the cached set makes it fetch again, at most once per cooldown,
 * so a key the provider rotated in is picked up without a restart while random `kid`s cannot
 * make the service hammer the provider. The discovery document is read once (again after a failure).
 */
export class ProviderSigningKeys {
  private keySet: Promise<KeyLookup> | undefined;

  constructor(private readonly source: SigningKeySource) {}

  /** The key for a token's protected header; `JWKSNoMatchingKey` when the provider has none with its `kid`. */
  readonly keyFor = async (header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<KeyLike> => {
    const lookup = await this.lookup();
    try {
      return await lookup(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      throw new IdentityProviderUnavailableError(`the signing keys of ${this.source.issuer} could not be fetched: ${(error as Error).message}`);
    }
  };

  private lookup(): Promise<KeyLookup> {
    this.keySet ??= this.jwksUrl().then(
      (url) =>
        createRemoteJWKSet(url, {
          cacheMaxAge: this.source.cacheSeconds * 1000,
          cooldownDuration: this.source.cooldownSeconds * 1000,
          timeoutDuration: this.timeoutMs(),
        }) as KeyLookup,
      (error: unknown) => {
        this.keySet = undefined;
        throw error;
      },
    );
    return this.keySet;
  }

  private timeoutMs(): number {
    return this.source.timeoutMs ?? 5_000;
  }

  private async jwksUrl(): Promise<URL> {
    if (this.source.jwksUrl) return new URL(this.source.jwksUrl);
    const discovery = `${this.source.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    let document: unknown;
    try {
      const response = await fetch(discovery, { signal: AbortSignal.timeout(this.timeoutMs()), headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      document = await response.json();
    } catch (error) {
      throw new IdentityProviderUnavailableError(`the discovery document ${discovery} could not be read: ${(error as Error).message}`);
    }
    const { issuer, jwks_uri: jwksUri } = (document ?? {}) as { issuer?: unknown; jwks_uri?: unknown };
    // OpenID Connect Discovery 1.0, section 4.3: the document must name exactly the issuer it was fetched for.
    if (issuer !== this.source.issuer) {
      throw new IdentityProviderUnavailableError(
        `the discovery document ${discovery} names issuer ${JSON.stringify(issuer)}, not ${this.source.issuer} (OIDC_ISSUER)`,
      );
    }
    if (typeof jwksUri !== 'string') throw new IdentityProviderUnavailableError(`the discovery document ${discovery} has no jwks_uri`);
    try {
      return new URL(jwksUri);
    } catch {
      throw new IdentityProviderUnavailableError(`the discovery document ${discovery} has jwks_uri ${JSON.stringify(jwksUri)}, which is not a URL`);
    }
  }
}
