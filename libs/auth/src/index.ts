export {
  ForwarderKeyRepository,
  hashForwarderKey,
  type ForwarderKeyRecord,
  type IssuedForwarderKey,
} from './forwarder-key.repository';
export { TokenVerifier, InvalidTokenError, scopeOf, roles, type Role, type Principal } from './principal';
