import { z } from 'zod';
import { DEVELOPMENT_OIDC_ISSUER } from './config';
import { envSchema, port, url } from './config.schema';

const httpUrl = url(['http:', 'https:']);

// Only for local use, like JWT_SECRET's development default: the secret of deploy/keycloak's
// development realm, public in the source, so every other NODE_ENV must bring its own.
const DEVELOPMENT_CLIENT_SECRET = 'soc-console-dev-secret';

// The settings it shares with the APIs come from their one definition (config.schema.ts): the same
// claim paths, so the console names the role the APIs apply.
const shared = envSchema.shape;
/** The console's environment (docs/CONFIGURATION.md, "Console"); read once, every bad key named at once. */
const consoleEnvSchema = z.object({
  NODE_ENV: shared.NODE_ENV,
  LOG_LEVEL: shared.LOG_LEVEL,
  SHUTDOWN_TIMEOUT_MS: shared.SHUTDOWN_TIMEOUT_MS,
  CONSOLE_HOST: z.string().min(1).default('127.0.0.1'),
  CONSOLE_PORT: port.default(4103),
  CONSOLE_PUBLIC_URL: httpUrl.optional(),
  OIDC_ISSUER: shared.OIDC_ISSUER,
  OIDC_AUDIENCE: shared.OIDC_AUDIENCE,
  OIDC_ROLES_CLAIM: shared.OIDC_ROLES_CLAIM,
  OIDC_MEMBER_CLAIM: shared.OIDC_MEMBER_CLAIM,
  OIDC_NAME_CLAIM: shared.OIDC_NAME_CLAIM,
  CONSOLE_OIDC_CLIENT_ID: z.string().min(1).default('soc-console'),
  CONSOLE_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  REDIS_URL: shared.REDIS_URL,
  CONSOLE_SESSION_PREFIX: z.string().min(1).default('soc:console'),
  CONSOLE_SESSION_FALLBACK_SECONDS: z.coerce.number().int().positive().default(1800),
  CONSOLE_REFRESH_MARGIN_SECONDS: z.coerce.number().int().min(0).default(30),
  CONSOLE_ALERTING_URL: httpUrl.default('http://127.0.0.1:4102'),
  CONSOLE_CORRELATOR_URL: httpUrl.default('http://127.0.0.1:4101'),
  CONSOLE_COLLECTOR_URL: httpUrl.default('http://127.0.0.1:4100'),
});

/** Every setting the console reads (the deployment specs check their files against it). */
export const consoleSettingNames: readonly string[] = Object.keys(consoleEnvSchema.shape);

/** The APIs the console proxies, by the path segment after `/api/`. */
export const proxiedApps = ['alerting', 'correlator', 'collector'] as const;
export type ProxiedApp = (typeof proxiedApps)[number];

export interface ConsoleConfig {
  env: 'development' | 'test' | 'production';
  logLevel: string;
  /** SHUTDOWN_TIMEOUT_MS: the deadline of a graceful shutdown. */
  shutdownTimeoutMs: number;
  http: { host: string; port: number };
  /** Where browsers reach the console: the origin unsafe requests must come from, and the base of the callback URL. */
  publicUrl: string;
  oidc: { issuer: string; audience: string; clientId: string; clientSecret: string; claimNames: { roles: string; memberId: string; name: string } };
  redisUrl: string;
  session: { prefix: string; fallbackSeconds: number; refreshMarginMs: number };
  apis: Record<ProxiedApp, string>;
}

export class ConsoleConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid console configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConsoleConfigError';
  }
}

export function parseConsoleConfig(source: Record<string, string | undefined>): ConsoleConfig {
  const result = consoleEnvSchema.safeParse(source);
  if (!result.success) throw new ConsoleConfigError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  const env = result.data;
  const development = env.NODE_ENV === 'development';
  const problems: string[] = [];
  if (!env.OIDC_ISSUER && !development)
    problems.push(`OIDC_ISSUER: required when NODE_ENV is ${env.NODE_ENV} (the console signs people in only through the identity provider)`);
  if (!env.CONSOLE_OIDC_CLIENT_SECRET && !development) {
    problems.push(`CONSOLE_OIDC_CLIENT_SECRET: required when NODE_ENV is ${env.NODE_ENV} (the development secret is public)`);
  }
  if (problems.length > 0) throw new ConsoleConfigError(problems);
  const publicUrl = (env.CONSOLE_PUBLIC_URL ?? `http://${env.CONSOLE_HOST}:${env.CONSOLE_PORT}`).replace(/\/+$/, '');
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    http: { host: env.CONSOLE_HOST, port: env.CONSOLE_PORT },
    publicUrl,
    oidc: {
      issuer: env.OIDC_ISSUER ?? DEVELOPMENT_OIDC_ISSUER,
      audience: env.OIDC_AUDIENCE,
      clientId: env.CONSOLE_OIDC_CLIENT_ID,
      clientSecret: env.CONSOLE_OIDC_CLIENT_SECRET ?? DEVELOPMENT_CLIENT_SECRET,
      claimNames: { roles: env.OIDC_ROLES_CLAIM, memberId: env.OIDC_MEMBER_CLAIM, name: env.OIDC_NAME_CLAIM },
    },
    redisUrl: env.REDIS_URL,
    session: {
      prefix: env.CONSOLE_SESSION_PREFIX,
      fallbackSeconds: env.CONSOLE_SESSION_FALLBACK_SECONDS,
      refreshMarginMs: env.CONSOLE_REFRESH_MARGIN_SECONDS * 1000,
    },
    apis: { alerting: env.CONSOLE_ALERTING_URL, correlator: env.CONSOLE_CORRELATOR_URL, collector: env.CONSOLE_COLLECTOR_URL },
  };
}

/** The console process's configuration, read from `process.env` here in libs/config like every app's. */
export function loadConsoleConfig(): ConsoleConfig {
  return parseConsoleConfig(process.env);
}
