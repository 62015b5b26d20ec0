import { hostname } from 'node:os';
import { envSchema, type Env } from './config.schema';
import { isRedisClusterUrl } from './redis-url';

/** The structured configuration every app receives; built once from the environment. */
export interface AppConfig {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  /** SHUTDOWN_TIMEOUT_MS: the deadline of a graceful shutdown. */
  shutdownTimeoutMs: number;
  redis: { url: string; keyPrefix: string };
  elasticsearch: {
    url: string;
    indexPrefix: string;
    /** Settings of the index templates (libs/storage `IndexSettings`). */
    index: { replicas: number; eventsShards: number; eventsRefreshInterval: string; eventsRetentionDays: number };
  };
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
    /** Acknowledged entries older than this are trimmed from the events stream (EVENTS_STREAM_RETAIN_SECONDS). */
    retainAcknowledgedMs: number;
    /** Consumers of the "indexer" group in one alerting process (INDEXER_CONSUMERS). */
    indexerConsumers: number;
    /** Partitions of the events stream (EVENTS_STREAM_PARTITIONS); `eventStreamPartitions` in @soc/event-stream names their keys. */
    partitions: number;
    /** Events per indexer bulk request, merged from the entries of one read (INDEXER_BULK_EVENTS). */
    indexerBulkEvents: number;
  };
  queues: { detections: string };
  ingest: {
    backlogLimitEntries: number;
    /** Replicas that must confirm an append before the sender is acknowledged, and how long to wait (INGEST_WAIT_REPLICAS, INGEST_WAIT_TIMEOUT_MS). */
    replicaConfirmation: { replicas: number; timeoutMs: number };
    rateEventsPerSecond: number;
    rateBurstEvents: number;
    /** Bounds on one event (libs/ingest `EventLimits`). */
    eventLimits: { maxDepth: number; maxFields: number; maxBytes: number };
    /** How far an event's own time may lie from its arrival (libs/contracts `EventTimeWindow`). */
    eventTimeWindow: { maxPastMs: number; maxFutureMs: number };
  };
  /** When dead letters make readiness `degraded`, and the indexer's retry budget (docs/OPERATIONS.md). */
  deadLetters: { warnCount: number; warnAgeSeconds: number; indexerMaxDeliveries: number };
  /** Snapshots of the product's indices (docs/OPERATIONS.md "Backups and restore"); names default from the index prefix. */
  backups: {
    repository: string;
    location: string;
    schedule: string;
    retention: { expireAfter: string; minCount: number; maxCount: number };
  };
  rulesDir: string;
  /** The rule catalogue (docs/RULES.md): third-party folders imported at start, and the revision poll. */
  ruleCatalogue: { sigmaRuleDirs: Array<{ origin: 'sigmahq' | 'third_party'; dir: string }>; pollMs: number };
  membersFile?: string;
  /** `documentationAddressesArePublic`: see `AddressScopePolicy` in @soc/indicators (campaigns, promotions, feed imports). */
  correlator: {
    campaignMinMembers: number;
    campaignWindowMs: number;
    documentationAddressesArePublic: boolean;
    /** Correlation windows' allowed lateness: the default, and per `event.dataset` (milliseconds). */
    allowedLatenessMs: number;
    latenessByDatasetMs: ReadonlyMap<string, number>;
  };
  auth: AuthConfig;
  statistics: { threshold: number; minMunicipalities: number; nameMunicipalities: boolean; definitionFile?: string; finalAfterDays: number };
  alerting: {
    suppressionSeconds: number;
    slaSeconds: Record<string, number>;
    incidentsQueue: string;
    webhookAttempts: number;
    webhookBackoffMs: number;
    exceptionsRefreshMs: number;
    webhookSecrets: Record<string, string>;
  };
  syslog: SyslogConfig;
  taxii: TaxiiConfig;
}

/** The correlator's TAXII 2.1 feeds (docs/INDICATORS.md): the feeds file and the secrets it may name. */
export interface TaxiiConfig {
  feedsFile?: string;
  requestTimeoutMs: number;
  maxPagesPerPull: number;
  /** Every `TAXII_SECRET_*` variable by its full name: the only variables a feeds file may name. */
  secrets: Record<string, string>;
}

/** Bearer tokens (docs/API.md) and the collector's forwarder-key cache (docs/INGEST.md). */
export interface AuthConfig {
  /** The HS256 secret of development tokens; undefined in production, where only the provider's tokens are accepted. */
  jwtSecret?: string;
  jwtIssuer: string;
  jwtAudience: string;
  jwtMaxLifetimeSeconds: number;
  /** The OpenID Connect provider whose tokens are accepted (OIDC_ISSUER); undefined: none. */
  oidc?: OidcConfig;
  forwarderKeyCache: { maxEntries: number; ttlMs: number; negativeTtlMs: number };
}

/** An OpenID Connect provider (docs/AUTH.md, Tokens the APIs accept); the shape libs/auth `OidcSettings` takes. */
export interface OidcConfig {
  issuer: string;
  audience: string;
  jwksUrl?: string;
  /** Dotted paths in the provider's tokens. */
  claims: { roles: string; memberId: string; name: string };
  jwksCacheSeconds: number;
  jwksCooldownSeconds: number;
}

/** The collector's syslog inputs (docs/FORWARDERS.md). */
export interface SyslogConfig {
  inputs: Array<'tcp' | 'udp' | 'tls' | 'relp' | 'relp_tls'>;
  host: string;
  ports: { tcp: number; udp: number; tls: number; relp: number; relp_tls: number };
  tls: { certFile?: string; keyFile?: string; caFile?: string };
  maxMessageBytes: number;
  timeZone: string;
}

/** Raised when the environment is invalid: names every bad key at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

// Only for local use: a fixed secret lets the README's examples mint tokens without set-up. It is
// in the source, so every other NODE_ENV (test included) must bring its own.
const DEVELOPMENT_JWT_SECRET = 'development-only-secret-change-me-000000';

// The Keycloak of `scripts/services.sh` (docs/AUTH.md): under development the APIs accept its tokens
// without set-up, as the console signs in at it (apps/console). Everywhere else OIDC_ISSUER is explicit.
export const DEVELOPMENT_OIDC_ISSUER = 'http://127.0.0.1:8180/realms/soc';

export function parseConfig(source: Record<string, string | undefined>): AppConfig {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const env = result.data;
  if (env.NODE_ENV === 'production' && !env.OIDC_ISSUER) {
    throw new ConfigError(["OIDC_ISSUER: required when NODE_ENV is production (the APIs then accept only the identity provider's tokens, docs/AUTH.md)"]);
  }
  if (env.NODE_ENV === 'test' && !env.JWT_SECRET) {
    throw new ConfigError([`JWT_SECRET: required when NODE_ENV is ${env.NODE_ENV} (the development secret is public)`]);
  }
  // A statistics cell is published only once no event can still be indexed into it, or asking
  // again later would difference the late events out (docs/STATISTICS.md).
  const minimumFinalAfterDays = Math.ceil(env.EVENT_TIME_MAX_PAST_SECONDS / 86_400) + 1;
  const finalAfterDays = env.STATISTICS_FINAL_AFTER_DAYS ?? minimumFinalAfterDays;
  if (finalAfterDays < minimumFinalAfterDays) {
    throw new ConfigError([`STATISTICS_FINAL_AFTER_DAYS: must be at least ${minimumFinalAfterDays} (EVENT_TIME_MAX_PAST_SECONDS in days, plus one)`]);
  }
  // An events index deleted while events may still arrive for its day would be created again with
  // only the late ones, and the roll-up recount of that day would lose the rest (docs/OPERATIONS.md).
  if (env.EVENTS_RETENTION_DAYS > 0 && env.EVENTS_RETENTION_DAYS < minimumFinalAfterDays) {
    throw new ConfigError([
      `EVENTS_RETENTION_DAYS: must be 0 (keep) or at least ${minimumFinalAfterDays} (EVENT_TIME_MAX_PAST_SECONDS in days, plus one: events may still arrive for younger days)`,
    ]);
  }
  // On a cluster each key family carries its own hash tag (docs/SCALING.md); a tag in the prefix
  // would come first in every key and put them all in one slot, on one shard.
  if (isRedisClusterUrl(env.REDIS_URL) && /[{}]/.test(env.KEY_PREFIX)) {
    throw new ConfigError([
      `KEY_PREFIX: must not contain '{' or '}' on a Redis Cluster (REDIS_URL redis+cluster://): the keys carry their own hash tags, and one in the prefix would put every key in one slot (docs/SCALING.md)`,
    ]);
  }
  // Each partition's key carries a hash tag of its own, made from the stream name's tag if it has
  // one (docs/SCALING.md); braces that form no tag would leave the partitions' slots to chance.
  const streamTagOpen = env.EVENTS_STREAM.indexOf('{');
  const streamTagClose = streamTagOpen < 0 ? -1 : env.EVENTS_STREAM.indexOf('}', streamTagOpen + 1);
  if (env.EVENTS_STREAM_PARTITIONS > 1 && /[{}]/.test(env.EVENTS_STREAM) && (streamTagClose < 0 || streamTagClose === streamTagOpen + 1)) {
    throw new ConfigError([
      `EVENTS_STREAM: its braces form no hash tag; with EVENTS_STREAM_PARTITIONS > 1 use none, or one tag such as soc:{events} (docs/SCALING.md)`,
    ]);
  }
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    redis: { url: env.REDIS_URL, keyPrefix: env.KEY_PREFIX },
    elasticsearch: {
      url: env.ELASTICSEARCH_URL,
      indexPrefix: env.INDEX_PREFIX,
      index: {
        replicas: env.ES_REPLICAS,
        eventsShards: env.ES_EVENTS_SHARDS,
        eventsRefreshInterval: env.ES_EVENTS_REFRESH_INTERVAL,
        eventsRetentionDays: env.EVENTS_RETENTION_DAYS,
      },
    },
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
      retainAcknowledgedMs: env.EVENTS_STREAM_RETAIN_SECONDS * 1000,
      indexerConsumers: env.INDEXER_CONSUMERS,
      partitions: env.EVENTS_STREAM_PARTITIONS,
      indexerBulkEvents: env.INDEXER_BULK_EVENTS,
    },
    queues: { detections: env.DETECTIONS_QUEUE },
    ingest: {
      backlogLimitEntries: env.INGEST_BACKLOG_LIMIT_ENTRIES,
      replicaConfirmation: { replicas: env.INGEST_WAIT_REPLICAS, timeoutMs: env.INGEST_WAIT_TIMEOUT_MS },
      rateEventsPerSecond: env.INGEST_RATE_EVENTS_PER_SECOND,
      rateBurstEvents: env.INGEST_RATE_BURST_EVENTS,
      eventLimits: { maxDepth: env.EVENT_MAX_DEPTH, maxFields: env.EVENT_MAX_FIELDS, maxBytes: env.EVENT_MAX_BYTES },
      eventTimeWindow: { maxPastMs: env.EVENT_TIME_MAX_PAST_SECONDS * 1000, maxFutureMs: env.EVENT_TIME_MAX_FUTURE_SECONDS * 1000 },
    },
    deadLetters: {
      warnCount: env.DEAD_LETTER_WARN_COUNT,
      warnAgeSeconds: env.DEAD_LETTER_WARN_AGE_SECONDS,
      indexerMaxDeliveries: env.INDEXER_MAX_DELIVERIES,
    },
    backups: {
      repository: env.SNAPSHOT_REPOSITORY ?? `${env.INDEX_PREFIX}-backups`,
      location: env.SNAPSHOT_REPOSITORY_LOCATION ?? env.INDEX_PREFIX,
      schedule: env.SNAPSHOT_SCHEDULE,
      retention: { expireAfter: env.SNAPSHOT_RETENTION_EXPIRE_AFTER, minCount: env.SNAPSHOT_RETENTION_MIN_COUNT, maxCount: env.SNAPSHOT_RETENTION_MAX_COUNT },
    },
    rulesDir: env.RULES_DIR,
    ruleCatalogue: { sigmaRuleDirs: env.SIGMA_RULE_DIRS, pollMs: env.RULES_POLL_MS },
    membersFile: env.MEMBERS_FILE,
    correlator: {
      campaignMinMembers: env.CAMPAIGN_MIN_MEMBERS,
      campaignWindowMs: env.CAMPAIGN_WINDOW_MS,
      documentationAddressesArePublic: env.DOCUMENTATION_ADDRESSES_PUBLIC === 'true',
      allowedLatenessMs: env.CORRELATION_ALLOWED_LATENESS_SECONDS * 1000,
      latenessByDatasetMs: env.CORRELATION_ALLOWED_LATENESS_BY_DATASET,
    },
    auth: {
      // Production accepts only the provider's tokens: a JWT_SECRET left in its environment is not used.
      jwtSecret: env.NODE_ENV === 'production' ? undefined : (env.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET),
      jwtIssuer: env.JWT_ISSUER,
      jwtAudience: env.JWT_AUDIENCE,
      jwtMaxLifetimeSeconds: env.JWT_MAX_LIFETIME_SECONDS,
      oidc: oidcConfigOf(env),
      forwarderKeyCache: {
        maxEntries: env.FORWARDER_KEY_CACHE_MAX_ENTRIES,
        ttlMs: env.FORWARDER_KEY_CACHE_TTL_MS,
        negativeTtlMs: env.FORWARDER_KEY_CACHE_NEGATIVE_TTL_MS,
      },
    },
    statistics: {
      threshold: env.STATISTICS_THRESHOLD,
      minMunicipalities: env.STATISTICS_MIN_MUNICIPALITIES,
      nameMunicipalities: env.STATISTICS_NAME_MUNICIPALITIES === 'true',
      definitionFile: env.STATISTICS_DEFINITION_FILE,
      finalAfterDays,
    },
    alerting: {
      suppressionSeconds: env.ALERT_SUPPRESSION_SECONDS,
      slaSeconds: Object.fromEntries(Object.entries(env.SLA_SECONDS).map(([k, v]) => [k, Number(v)])),
      incidentsQueue: env.INCIDENTS_QUEUE,
      webhookAttempts: env.WEBHOOK_ATTEMPTS,
      webhookBackoffMs: env.WEBHOOK_BACKOFF_MS,
      exceptionsRefreshMs: env.EXCEPTIONS_REFRESH_MS,
      webhookSecrets: Object.fromEntries(
        Object.entries(source)
          .filter(([k, v]) => k.startsWith('WEBHOOK_SECRET_') && v)
          .map(([k, v]) => [k.slice('WEBHOOK_SECRET_'.length), v as string]),
      ),
    },
    syslog: {
      inputs: env.SYSLOG_INPUTS,
      host: env.SYSLOG_HOST,
      ports: {
        tcp: env.SYSLOG_TCP_PORT,
        udp: env.SYSLOG_UDP_PORT,
        tls: env.SYSLOG_TLS_PORT,
        relp: env.SYSLOG_RELP_PORT,
        relp_tls: env.SYSLOG_RELP_TLS_PORT,
      },
      tls: { certFile: env.SYSLOG_TLS_CERT_FILE, keyFile: env.SYSLOG_TLS_KEY_FILE, caFile: env.SYSLOG_TLS_CA_FILE },
      maxMessageBytes: env.SYSLOG_MAX_MESSAGE_BYTES,
      timeZone: env.SYSLOG_TIME_ZONE,
    },
    taxii: {
      feedsFile: env.TAXII_FEEDS_FILE,
      requestTimeoutMs: env.TAXII_REQUEST_TIMEOUT_MS,
      maxPagesPerPull: env.TAXII_MAX_PAGES_PER_PULL,
      secrets: Object.fromEntries(
        Object.entries(source)
          .filter(([k, v]) => k.startsWith('TAXII_SECRET_') && v)
          .map(([k, v]) => [k, v as string]),
      ),
    },
  };
}

function oidcConfigOf(env: Env): OidcConfig | undefined {
  const issuer = env.OIDC_ISSUER ?? (env.NODE_ENV === 'development' ? DEVELOPMENT_OIDC_ISSUER : undefined);
  if (issuer === undefined) return undefined;
  return {
    issuer,
    audience: env.OIDC_AUDIENCE,
    jwksUrl: env.OIDC_JWKS_URL,
    claims: { roles: env.OIDC_ROLES_CLAIM, memberId: env.OIDC_MEMBER_CLAIM, name: env.OIDC_NAME_CLAIM },
    jwksCacheSeconds: env.OIDC_JWKS_CACHE_SECONDS,
    jwksCooldownSeconds: env.OIDC_JWKS_COOLDOWN_SECONDS,
  };
}

let cached: AppConfig | undefined;

/** The configuration of this process, read from `process.env` once. */
export function loadConfig(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}
