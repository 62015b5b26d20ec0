import type { EcsObject } from './ecs-fields';

/**
 * ECS `url.*` from a request target as logged (`/a/b?c=d`, or an absolute URL from a proxy).
 * Path and query stay percent-encoded exactly as sent: web-attack rules look for the encoded
 * forms (`%2e%2e`, `%3Cscript`) as well as the decoded ones.
 */
export function urlFieldsFromTarget(target: string): EcsObject {
  const url: EcsObject = { original: target };
  let pathAndQuery = target;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/.exec(target);
  if (scheme !== null) {
    url.scheme = scheme[1].toLowerCase();
    const authority = scheme[2];
    const host = authority.slice(authority.lastIndexOf('@') + 1);
    const domain = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
    if (domain.length > 0) url.domain = domain;
    pathAndQuery = target.slice(scheme[0].length);
  } else if (!target.startsWith('/')) {
    return url;
  }
  const hash = pathAndQuery.indexOf('#');
  if (hash !== -1) {
    url.fragment = pathAndQuery.slice(hash + 1);
    pathAndQuery = pathAndQuery.slice(0, hash);
  }
  const question = pathAndQuery.indexOf('?');
  const path = question === -1 ? pathAndQuery : pathAndQuery.slice(0, question);
  if (path.length > 0) url.path = path;
  if (question !== -1) url.query = pathAndQuery.slice(question + 1);
  return url;
}
