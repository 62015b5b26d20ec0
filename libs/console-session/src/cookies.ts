/** The value of cookie `name` in a `Cookie` request header; the first one when a browser sent two. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at < 0) continue;
    if (pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

export interface CookieOptions {
  path: string;
  /** Seconds; without it the cookie lasts until the browser closes. */
  maxAgeSeconds?: number;
}

/**
 * A `Set-Cookie` value the page's JavaScript cannot read (HttpOnly), sent only over HTTPS (Secure;
 * browsers treat http://localhost and 127.0.0.1 as secure), and sent along on a top-level
 * navigation from another site (SameSite=Lax), which the provider's redirect back to
 * `/auth/callback` is, but not on another site's POST or fetch.
 */
export function cookieHeader(name: string, value: string, options: CookieOptions): string {
  const maxAge = options.maxAgeSeconds === undefined ? '' : `; Max-Age=${options.maxAgeSeconds}`;
  return `${name}=${value}; Path=${options.path}; HttpOnly; Secure; SameSite=Lax${maxAge}`;
}

/** The `Set-Cookie` value that removes cookie `name` at `path`. */
export function clearedCookieHeader(name: string, path: string): string {
  return cookieHeader(name, '', { path, maxAgeSeconds: 0 });
}
