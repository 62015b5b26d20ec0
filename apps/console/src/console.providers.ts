import type { Provider } from '@nestjs/common';
import { ConsoleSignIn, OidcProvider, SessionRepository } from '@soc/console-session';
import { createRedis, pingRedis, type Redis } from '@soc/redis';
import { READINESS_PROBES, type ReadinessProbe } from '@soc/platform';
import { loadConsoleConfig, type ConsoleConfig } from '@soc/config';

export const CONSOLE_CONFIG = Symbol('CONSOLE_CONFIG');
export const SESSION_REDIS = Symbol('SESSION_REDIS');

/** The session cookie (the opaque session id) and the short-lived cookie of a sign-in in progress. */
export const SESSION_COOKIE = 'soc_console_session';
export const SIGN_IN_COOKIE = 'soc_console_sign_in';

export const consoleProviders: Provider[] = [
  { provide: CONSOLE_CONFIG, useFactory: loadConsoleConfig },
  // Requests fail fast while Redis is away (503), rather than hang.
  { provide: SESSION_REDIS, inject: [CONSOLE_CONFIG], useFactory: (config: ConsoleConfig) => createRedis(config.redisUrl, 'producer', 'console-sessions') },
  {
    provide: OidcProvider,
    inject: [CONSOLE_CONFIG],
    useFactory: (config: ConsoleConfig) =>
      new OidcProvider({
        issuer: config.oidc.issuer,
        clientId: config.oidc.clientId,
        clientSecret: config.oidc.clientSecret,
        redirectUri: `${config.publicUrl}/auth/callback`,
        postLogoutRedirectUri: `${config.publicUrl}/`,
        apiAudience: config.oidc.audience,
        claimNames: config.oidc.claimNames,
      }),
  },
  {
    provide: ConsoleSignIn,
    inject: [CONSOLE_CONFIG, SESSION_REDIS, OidcProvider],
    useFactory: (config: ConsoleConfig, redis: Redis, provider: OidcProvider) =>
      new ConsoleSignIn(new SessionRepository(redis, config.session.prefix), provider, {
        fallbackSessionSeconds: config.session.fallbackSeconds,
        refreshMarginMs: config.session.refreshMarginMs,
      }),
  },
  {
    provide: READINESS_PROBES,
    inject: [SESSION_REDIS, OidcProvider],
    useFactory: (redis: Redis, provider: OidcProvider): ReadinessProbe[] => [
      { name: 'redis', check: () => pingRedis(redis) },
      { name: 'identity_provider', check: () => provider.reachable() },
    ],
  },
];
