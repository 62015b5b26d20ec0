/**
 * The CSRF measure of the console's unsafe requests (sign-out, and POST/PUT/PATCH/DELETE through
 * the API proxy): the browser must say the request comes from the console's own page. Browsers
 * mark every request with `Sec-Fetch-Site`, which a page cannot set: it must be `same-origin`.
 * Without it (an older browser) `Origin` must be the console's public origin. A form or script on
 * another site (another port of localhost included: SameSite=Lax still sends the cookie there, as
 * that is the same site) is refused.
 */
export function isSameOriginRequest(headers: Record<string, string | string[] | undefined>, publicOrigin: string): boolean {
  const site = headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin';
  return headers['origin'] === publicOrigin;
}

/** Methods that change something, which must pass `isSameOriginRequest`. */
export function isUnsafeMethod(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}
