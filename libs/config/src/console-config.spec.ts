import { ConsoleConfigError, parseConsoleConfig } from './console-config';

describe('parseConsoleConfig', () => {
  it('runs in development with the local realm, its public development secret and the apps on their default ports', () => {
    const config = parseConsoleConfig({});
    expect(config).toMatchObject({
      http: { host: '127.0.0.1', port: 4103 },
      publicUrl: 'http://127.0.0.1:4103',
      oidc: { issuer: 'http://127.0.0.1:8180/realms/soc', audience: 'soc-api', clientId: 'soc-console', clientSecret: 'soc-console-dev-secret' },
      session: { prefix: 'soc:console', fallbackSeconds: 1800, refreshMarginMs: 30_000 },
      apis: { alerting: 'http://127.0.0.1:4102', correlator: 'http://127.0.0.1:4101', collector: 'http://127.0.0.1:4100' },
    });
  });

  it('takes the public URL without a trailing slash', () => {
    expect(parseConsoleConfig({ CONSOLE_PUBLIC_URL: 'https://soc.example.dk/' }).publicUrl).toBe('https://soc.example.dk');
  });

  it('requires the issuer and the client secret outside development, naming both', () => {
    expect(() => parseConsoleConfig({ NODE_ENV: 'production' })).toThrow(
      new ConsoleConfigError([
        'OIDC_ISSUER: required when NODE_ENV is production (the console signs people in only through the identity provider)',
        'CONSOLE_OIDC_CLIENT_SECRET: required when NODE_ENV is production (the development secret is public)',
      ]),
    );
  });

  it('names every malformed key at once', () => {
    expect(() => parseConsoleConfig({ CONSOLE_PORT: '70000', OIDC_ISSUER: 'keycloak', CONSOLE_ALERTING_URL: 'ftp://x', REDIS_URL: 'http://r' })).toThrow(
      new ConsoleConfigError([
        'CONSOLE_PORT: Too big: expected number to be <=65535',
        'OIDC_ISSUER: must be a URL starting with http:// or https://',
        'REDIS_URL: must be a URL starting with redis:// or rediss:// (one Redis), or redis+cluster:// or rediss+cluster:// and seed nodes host:port,host:port (a Redis Cluster)',
        'CONSOLE_ALERTING_URL: must be a URL starting with http:// or https://',
      ]),
    );
  });
});
