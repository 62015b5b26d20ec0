import { hostname } from 'node:os';
import { envSchema, type Env } from './config.schema';

/** The structured configuration every app receives; built once from the environment. */
export interface AppConfig {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  redis: { url: string; keyPrefix: string };
  elasticsearch: { url: string; indexPrefix: string };
  http: {
    collector: { host: string; port: number; bodyLimitBytes: number };
    correlator: { host: string; port: number };
    alerting: { host: string; port: number };
  };
  streams: {
    events: string;
    batchSize: number;
    readCount: number;
    claimIdleMs: number;
    consumerName: string;
  };
  queues: { detections: string };
  rulesDir: string;
  membersFile?: string;
  auth: { jwtSecret: string };
}

/** Raised when the environment is invalid: names every bad key at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

// Only for local use: a fixed secret lets the README's examples mint tokens without set-up.
const DEVELOPMENT_JWT_SECRET = 'development-only-secret-change-me-000000';

export function parseConfig(source: Record<string, string | undefined>): AppConfig {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const env = result.data;
  if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
    throw new ConfigError(['JWT_SECRET: required when NODE_ENV is production']);
  }
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    redis: { url: env.REDIS_URL, keyPrefix: env.KEY_PREFIX },
    elasticsearch: { url: env.ELASTICSEARCH_URL, indexPrefix: env.INDEX_PREFIX },
    http: {
      collector: { host: env.COLLECTOR_HOST, port: env.COLLECTOR_PORT, bodyLimitBytes: env.HTTP_BODY_LIMIT_BYTES },
      correlator: { host: env.CORRELATOR_HOST, port: env.CORRELATOR_PORT },
      alerting: { host: env.ALERTING_HOST, port: env.ALERTING_PORT },
    },
    streams: {
      events: env.EVENTS_STREAM,
      batchSize: env.STREAM_BATCH_SIZE,
      readCount: env.CONSUMER_READ_COUNT,
      claimIdleMs: env.CONSUMER_CLAIM_IDLE_MS,
      consumerName: env.CONSUMER_NAME ?? `${hostname()}-${process.pid}`,
    },
    queues: { detections: env.DETECTIONS_QUEUE },
    rulesDir: env.RULES_DIR,
    membersFile: env.MEMBERS_FILE,
    auth: { jwtSecret: env.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET },
  };
}

let cached: AppConfig | undefined;

/** The configuration of this process, read from `process.env` once. */
export function loadConfig(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}
