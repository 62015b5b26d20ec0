import type { Principal } from './principal';
import { TokenVerifier } from './token-verifier';

/** The `alg` of a token's header, or undefined where the header cannot be read. */
function headerAlgorithm(token: string): string | undefined {
  try {
    const header: unknown = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && typeof (header as { alg?: unknown }).alg === 'string' ? (header as { alg: string }).alg : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Development and test (docs/AUTH.md): the identity provider's tokens and the CLI's HS256 tokens
 * both accepted. Each token goes to exactly one verifier, chosen by its header's `alg`: HMAC (and
 * `none`, and unreadable headers) to the shared secret, which refuses all but HS256, everything
 * else to the provider. Never one after the other's failure: the refusal is the reason of the
 * verifier that owns the token, not the second one's complaint about a token it was never meant for.
 */
export class ProviderOrSharedSecretTokenVerifier extends TokenVerifier {
  constructor(
    private readonly provider: TokenVerifier,
    private readonly sharedSecret: TokenVerifier,
  ) {
    super();
  }

  verify(token: string): Promise<Principal> {
    const alg = headerAlgorithm(token);
    const forSharedSecret = alg === undefined || alg === 'none' || alg.startsWith('HS');
    return (forSharedSecret ? this.sharedSecret : this.provider).verify(token);
  }
}
