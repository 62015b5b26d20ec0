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

/** The request failed on the server side (file not found, bad URI, TLS handshake, ...). */
export const webError: WebErrorKind = { category: ['web'], type: ['error'], outcome: 'failure' };

export function applyWebErrorKind(document: EcsObject, event: EcsObject, kind: WebErrorKind): void {
  event.category = kind.category;
  event.type = kind.type;
  if (kind.outcome !== undefined) event.outcome = kind.outcome;
  if (kind.action !== undefined) event.action = kind.action;
  if (kind.userName !== undefined && kind.userName.length > 0) document.user = { name: kind.userName };
}
