import type { EcsObject } from './ecs-fields';
import { decodeUrlForMatching } from './url-decoding';

/**
 * ECS `url.*` from a request target as logged (`/a/b?c=d`, or an absolute URL from a proxy).
 * `url.original`, `url.path` and `url.query` stay percent-encoded exactly as sent (evidence, and
 * rules that look for an encoding itself); `url.decoded` (not ECS: ours) is the whole target
 * decoded for matching (see url-decoding.ts), the field our web-attack rules read.
 */
export function urlFieldsFromTarget(target: string): EcsObject {
  const url: EcsObject = { original: target, decoded: decodeUrlForMatching(target) };
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

/**
 * Adds `url.decoded` to an event that has `url.original` but no `url.decoded` (an ECS event a
 * forwarder mapped itself), so that web rules see every input alike. Returns the same object.
 */
export function withDecodedUrl(document: EcsObject): EcsObject {
  const url = document.url;
  if (url !== null && typeof url === 'object' && !Array.isArray(url)) {
    const fields = url as EcsObject;
    if (typeof fields.original === 'string' && fields.decoded === undefined) fields.decoded = decodeUrlForMatching(fields.original);
  }
  return document;
}
