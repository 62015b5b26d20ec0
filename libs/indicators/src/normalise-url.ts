/** Why a string has no canonical URL form. Shared constants, so rejecting allocates nothing. */
export class UrlRejection {
  constructor(readonly reason: string) {}
}

const missingScheme = new UrlRejection("it has no scheme such as 'http:'");
const notHierarchical = new UrlRejection("the scheme is not followed by '//'");
const hasWhitespace = new UrlRejection('it contains whitespace');
const emptyHost = new UrlRejection('it has no host');
const unclosedBracket = new UrlRejection("its IPv6 host has no closing ']'");
const invalidPort = new UrlRejection('its port is not a number from 0 to 65535');

const SLASH = 47;
const QUESTION = 63;
const HASH = 35;
const COLON = 58;
const AT = 64;
const DOT = 46;

const isUpper = (code: number): boolean => code >= 65 && code <= 90;
const isWhitespace = (code: number): boolean => code <= 32;

/**
 * The canonical form of an absolute or scheme-relative URL: scheme and host lowercased, a trailing dot on the host
 * dropped, the scheme's default port dropped, the fragment dropped (it never reaches a server),
 * path and query kept byte for byte, and a root path `/` dropped so `http://a.example/` and
 * `http://a.example` are one URL. Unlike WHATWG parsing it does not percent-decode, resolve
 * `..`, or punycode the host: an indicator and an observed URL must merely normalise alike.
 *
 * It runs on the hot path, so it scans once and returns `text` itself, allocating nothing, when
 * the URL is already canonical (the usual case for proxy logs).
 */
export function canonicalUrl(text: string): string | UrlRejection {
  const length = text.length;

  // A scheme-relative URL (`//host/path`, RFC 3986 §4.2) is how a URL indicator without a scheme
  // is stored; it matches the same host and path under any scheme (IndicatorIndex.matchUrl).
  const schemeRelative = text.charCodeAt(0) === SLASH && text.charCodeAt(1) === SLASH;
  let schemeEnd = schemeRelative ? -1 : 0;
  let schemeHasUpper = false;
  for (; !schemeRelative && schemeEnd < length; schemeEnd++) {
    const code = text.charCodeAt(schemeEnd);
    if (code === COLON) break;
    const letter = isUpper(code) || (code >= 97 && code <= 122);
    // After the first letter: digits, '+', '-' and '.' (RFC 3986 scheme syntax).
    const laterChar = (code >= 48 && code <= 57) || code === 43 || code === 45 || code === DOT;
    const allowed = letter || (schemeEnd > 0 && laterChar);
    if (!allowed) return missingScheme;
    if (isUpper(code)) schemeHasUpper = true;
  }
  if (!schemeRelative) {
    if (schemeEnd === 0 || schemeEnd === length) return missingScheme;
    if (text.charCodeAt(schemeEnd + 1) !== SLASH || text.charCodeAt(schemeEnd + 2) !== SLASH) return notHierarchical;
  }

  const authorityStart = schemeEnd + 3;
  let authorityEnd = authorityStart;
  let lastAt = -1;
  for (; authorityEnd < length; authorityEnd++) {
    const code = text.charCodeAt(authorityEnd);
    if (code === SLASH || code === QUESTION || code === HASH) break;
    if (isWhitespace(code)) return hasWhitespace;
    if (code === AT) lastAt = authorityEnd;
  }

  const hostStart = lastAt >= 0 ? lastAt + 1 : authorityStart;
  let hostEnd = hostStart;
  if (text.charCodeAt(hostStart) === 91 /* [ */) {
    const close = text.indexOf(']', hostStart);
    if (close < 0 || close >= authorityEnd) return unclosedBracket;
    hostEnd = close + 1;
  } else {
    while (hostEnd < authorityEnd && text.charCodeAt(hostEnd) !== COLON) hostEnd++;
  }
  let hostHasUpper = false;
  for (let i = hostStart; i < hostEnd; i++) {
    if (isUpper(text.charCodeAt(i))) {
      hostHasUpper = true;
      break;
    }
  }
  const hostTrailingDot = hostEnd - hostStart > 1 && text.charCodeAt(hostEnd - 1) === DOT;
  if (hostEnd - (hostTrailingDot ? 1 : 0) === hostStart) return emptyHost;

  // Port: `:` with no digits, leading zeros and the default port all canonicalise away.
  let portChanged = false;
  let port = -1;
  if (hostEnd < authorityEnd) {
    if (text.charCodeAt(hostEnd) !== COLON) return invalidPort;
    const digits = authorityEnd - hostEnd - 1;
    if (digits === 0) {
      portChanged = true;
    } else {
      if (digits > 5) return invalidPort;
      port = 0;
      for (let i = hostEnd + 1; i < authorityEnd; i++) {
        const code = text.charCodeAt(i);
        if (code < 48 || code > 57) return invalidPort;
        port = port * 10 + (code - 48);
      }
      if (port > 65535) return invalidPort;
      if (text.charCodeAt(hostEnd + 1) === 48 && digits > 1) portChanged = true;
      if (defaultPortOf(text, schemeEnd, schemeHasUpper) === port) {
        portChanged = true;
        port = -1;
      }
    }
  }

  let fragmentStart = length;
  let pathEnd = -1;
  for (let i = authorityEnd; i < length; i++) {
    const code = text.charCodeAt(i);
    if (isWhitespace(code)) return hasWhitespace;
    if (code === HASH) {
      fragmentStart = i;
      break;
    }
    if (code === QUESTION && pathEnd < 0) pathEnd = i;
  }
  if (pathEnd < 0) pathEnd = fragmentStart;
  const rootPath = pathEnd - authorityEnd === 1 && text.charCodeAt(authorityEnd) === SLASH;

  if (!schemeHasUpper && !hostHasUpper && !hostTrailingDot && !portChanged && !rootPath && fragmentStart === length) {
    return text;
  }

  const scheme = schemeRelative ? '' : `${text.slice(0, schemeEnd).toLowerCase()}:`;
  const userinfo = text.slice(authorityStart, hostStart);
  const host = text.slice(hostStart, hostTrailingDot ? hostEnd - 1 : hostEnd).toLowerCase();
  const portPart = port >= 0 ? `:${port}` : '';
  const pathAndQuery = text.slice(rootPath ? authorityEnd + 1 : authorityEnd, fragmentStart);
  return `${scheme}//${userinfo}${host}${portPart}${pathAndQuery}`;
}

/** The default port of the scheme `text[0, schemeEnd)`, or -1; compares in place to avoid a slice. */
function defaultPortOf(text: string, schemeEnd: number, schemeHasUpper: boolean): number {
  const scheme = schemeHasUpper ? text.slice(0, schemeEnd).toLowerCase() : text;
  switch (schemeEnd) {
    case 2:
      return scheme.startsWith('ws') ? 80 : -1;
    case 3:
      if (scheme.startsWith('wss')) return 443;
      return scheme.startsWith('ftp') ? 21 : -1;
    case 4:
      return scheme.startsWith('http') ? 80 : -1;
    case 5:
      return scheme.startsWith('https') ? 443 : -1;
    default:
      return -1;
  }
}
