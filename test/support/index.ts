// Support shared by the integration specs (apps/**, libs/**) and the e2e specs (test/e2e). Only
// spec files import it (relatively, e.g. '../../../test/support'); no source file of a lib or app may.
export { elasticsearchUrl, redisUrl } from './services';
export { uniqueId, uniqueName } from './unique-names';
export { waitFor } from './wait-for';
export { clientCredentialsToken, decodeJwt, issuerOf, keycloakAdmin, keycloakUrl, requestToken, signInThroughLoginForm } from './keycloak';
export type { BrowserSignIn, SignedIn, TokenAnswer } from './keycloak';
