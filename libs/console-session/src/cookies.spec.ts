import { clearedCookieHeader, cookieHeader, cookieValue } from './cookies';

describe('cookieValue', () => {
  it('finds a cookie among others, and the first of two with the same name', () => {
    expect(cookieValue('a=1; soc_console=abc; b=2', 'soc_console')).toBe('abc');
    expect(cookieValue('soc_console=first; soc_console=second', 'soc_console')).toBe('first');
  });

  it('answers undefined without the header, without the cookie, or for a name that only ends like it', () => {
    expect(cookieValue(undefined, 'soc_console')).toBeUndefined();
    expect(cookieValue('other=1', 'soc_console')).toBeUndefined();
    expect(cookieValue('x_soc_console=1', 'soc_console')).toBeUndefined();
  });
});

describe('cookieHeader', () => {
  it('is HttpOnly, Secure and SameSite=Lax, a browser-session cookie unless given a lifetime', () => {
    expect(cookieHeader('soc_console', 'v', { path: '/' })).toBe('soc_console=v; Path=/; HttpOnly; Secure; SameSite=Lax');
    expect(cookieHeader('s', 'v', { path: '/auth/callback', maxAgeSeconds: 600 })).toBe(
      's=v; Path=/auth/callback; HttpOnly; Secure; SameSite=Lax; Max-Age=600',
    );
  });

  it('removes a cookie with an empty value that expires at once', () => {
    expect(clearedCookieHeader('soc_console', '/')).toBe('soc_console=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0');
  });
});
