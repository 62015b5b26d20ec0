export {
  ForwarderKeyRepository,
  hashForwarderKey,
  type ForwarderKeyCacheSettings,
  type ForwarderKeyRecord,
  type IssuedForwarderKey,
  type ResolvedForwarderKey,
} from './forwarder-key.repository';
export { declaredDatasetSchema, declaredTimeZoneSchema, forwarderKeyDeclarationSchema, type ForwarderKeyDeclaration } from './forwarder-key-declaration';
export { scopeOf, roles, principalClaimsSchema, type Role, type Principal } from './principal';
export { InvalidTokenError, defaultTokenPolicy, socOrganizationIds, type TokenPolicy, type MemberLookup } from './token-policy';
export { TokenVerifier, SharedSecretTokenVerifier } from './token-verifier';
export { TokenIssuer } from './token-issuer';
export { tokenVerifierFor, tokenIssuerFor, tokenPolicyOf, type TokenSettings } from './tokens';
