/**
 * The CSRF measure of the console's unsafe requests (sign-out, and POST/PUT/PATCH/DELETE through
 * the API proxy): the browser must say the request comes from the console's own page. Browsers
 * send `Origin` on every POST and on cross-origin fetches, and `Sec-Fetch-Site` on all of them; a
 * form or script on another site (another port of localhost included: SameSite=Lax still sends the
 * cookie there, as that is the same site) carries its own origin and is refused.
 */
export function isSameOriginRequest(headers: Record<string, string | string[] | undefined>, publicOrigin: string): boolean {
  const origin = headers['origin'];
  if (typeof origin === 'string') return origin === publicOrigin;
  return headers['sec-fetch-site'] === 'same-origin';
}

/** Methods that change something, which must pass `isSameOriginRequest`. */
export function isUnsafeMethod(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}
