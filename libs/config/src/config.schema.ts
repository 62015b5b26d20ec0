import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.join(' or ')}//`);

/**
 * Every setting of every app, read from the environment. The defaults run on a developer's
 * machine with the local services of `scripts/services.sh`; see docs/CONFIGURATION.md.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  ELASTICSEARCH_URL: url(['http:', 'https:']).default('http://127.0.0.1:9200'),

  COLLECTOR_HOST: z.string().min(1).default('127.0.0.1'),
  COLLECTOR_PORT: port.default(4100),
  CORRELATOR_HOST: z.string().min(1).default('127.0.0.1'),
  CORRELATOR_PORT: port.default(4101),
  ALERTING_HOST: z.string().min(1).default('127.0.0.1'),
  ALERTING_PORT: port.default(4102),

  /** Names, so that tests and several deployments can share one Redis and one Elasticsearch. */
  EVENTS_STREAM: z.string().min(1).default('soc:events'),
  DETECTIONS_QUEUE: z.string().min(1).default('detections'),
  KEY_PREFIX: z.string().min(1).default('soc'),
  INDEX_PREFIX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lowercase letters, digits, - or _ (an Elasticsearch index name)')
    .default('soc'),

  /** Events per stream entry: the unit of batching between collector and consumers. */
  STREAM_BATCH_SIZE: positiveInt.default(500),
  /** Stream entries a consumer reads at once. */
  CONSUMER_READ_COUNT: positiveInt.default(10),
  /** A pending entry idle this long belonged to a dead consumer and is claimed by another. */
  CONSUMER_CLAIM_IDLE_MS: positiveInt.default(30_000),
  CONSUMER_NAME: z.string().min(1).optional(),
  HTTP_BODY_LIMIT_BYTES: positiveInt.default(10 * 1024 * 1024),

  RULES_DIR: z.string().min(1).default('rules'),
  MEMBERS_FILE: z.string().min(1).optional(),

  /** HS256 secret for analyst and member tokens; required outside development and test. */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
});

export type Env = z.infer<typeof envSchema>;
