export {
  ForwarderKeyRepository,
  hashForwarderKey,
  type ForwarderKeyCacheSettings,
  type ForwarderKeyRecord,
  type IssuedForwarderKey,
  type ResolvedForwarderKey,
} from './forwarder-key.repository';
export { ForwarderKeyAdministration, ForwarderKeyAuditTrail, forwarderKeyAuditCapacity, type ForwarderKeyAuditEntry } from './forwarder-key-administration';
export { declaredDatasetSchema, declaredTimeZoneSchema, forwarderKeyDeclarationSchema, type ForwarderKeyDeclaration } from './forwarder-key-declaration';
export { scopeOf, roles, principalClaimsSchema, actorOf, type Role, type Principal, type Actor } from './principal';
export { InvalidTokenError, defaultTokenPolicy, socOrganizationIds, type TokenPolicy, type MemberLookup } from './token-policy';
export { TokenVerifier, SharedSecretTokenVerifier } from './token-verifier';
export { OidcTokenVerifier, providerAlgorithms, type OidcSettings } from './oidc-token-verifier';
export { type OidcClaimNames } from './oidc-principal';
export { IdentityProviderUnavailableError } from './provider-signing-keys';
export { ProviderOrSharedSecretTokenVerifier } from './provider-or-shared-secret-token-verifier';
export { TokenIssuer } from './token-issuer';
export { tokenVerifierFor, tokenIssuerFor, tokenPolicyOf, type TokenSettings } from './tokens';
