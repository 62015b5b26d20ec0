import type { EcsObject } from './ecs-fields';

/**
 * ECS categorisation of web-server error messages shared by Apache and nginx: a refused HTTP
 * credential is a failed authentication (category `authentication` + `web`, type `start`); an
 * access refused by configuration is `denied`; anything else logged at error level is `error`.
 */
export interface WebErrorKind {
  category: string[];
  type: string[];
  outcome?: 'failure';
  action?: string;
  userName?: string;
}

export function httpAuthenticationFailure(userName: string | undefined): WebErrorKind {
  return { category: ['authentication', 'web'], type: ['start'], outcome: 'failure', action: 'http_authentication', userName };
}

export function httpAccessDenied(userName?: string): WebErrorKind {
  return { category: ['web'], type: ['denied'], outcome: 'failure', action: 'http_access_denied', userName };
}

/**
 * A TLS handshake (or the first TLS record) the server could not complete: malformed records,
 * no common key share, an alert from the client. Scanners and exploit kits cause most of them;
 * old clients cause some (docs/DETECTION.md).
 */
export const tlsHandshakeFailure: WebErrorKind = {
  category: ['network', 'web'],
  type: ['protocol', 'error'],
  outcome: 'failure',
  action: 'tls_handshake_failure',
};

/** The server asked for credentials the client had not sent yet: every browser's first request. */
export const httpAuthenticationChallenge: WebErrorKind = { category: ['authentication', 'web'], type: ['info'], action: 'http_authentication_challenge' };

/** The request failed on the server side (file not found, bad URI, TLS handshake, ...). */
export const webError: WebErrorKind = { category: ['web'], type: ['error'], outcome: 'failure' };

export function applyWebErrorKind(document: EcsObject, event: EcsObject, kind: WebErrorKind): void {
  event.category = kind.category;
  event.type = kind.type;
  if (kind.outcome !== undefined) event.outcome = kind.outcome;
  if (kind.action !== undefined) event.action = kind.action;
  if (kind.userName !== undefined && kind.userName.length > 0) document.user = { name: kind.userName };
}
