import { z } from 'zod';
import { isRedisClusterUrl, parseRedisClusterUrl } from './redis-url';

export const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
export const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
  );

/** `redis://` or `rediss://` for one Redis; `redis+cluster://` or `rediss+cluster://` and seed nodes for a cluster. */
const redisUrl = z.string().superRefine((value, ctx) => {
  if (isRedisClusterUrl(value)) {
    const parsed = parseRedisClusterUrl(value);
    if ('problems' in parsed) for (const message of parsed.problems) ctx.addIssue({ code: 'custom', message });
  } else if (!url(['redis:', 'rediss:']).safeParse(value).success) {
    ctx.addIssue({
      code: 'custom',
      message:
        'must be a URL starting with redis:// or rediss:// (one Redis), or redis+cluster:// or rediss+cluster:// and seed nodes host:port,host:port (a Redis Cluster)',
    });
  }
});
/** One URL or several, comma-separated: the nodes of one cluster, each checked like `url`. */
export const urlList = (protocols: string[]) =>
  z.string().superRefine((value, ctx) => {
    const urls = value.split(',').map((u) => u.trim());
    for (const item of urls) {
      if (!url(protocols).safeParse(item).success) {
        ctx.addIssue({
          code: 'custom',
          message: `'${item}' must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')} (several nodes: comma-separated)`,
        });
      }
    }
  });

/**
 * An IANA zone the runtime's `Intl` knows: the same test as `isKnownTimeZone` in @soc/parsing
 * (config.spec.ts holds the two to the same answers), written here because libs/config imports
 * zod only (docs/ARCHITECTURE.md).
 */
const ianaTimeZone = z.string().refine((value) => {
  if (value.length === 0 || value.trim() !== value) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Copenhagen or UTC (every timestamp without an offset is read in it)');

/** A claim's dotted path in a token (`realm_access.roles`): names without spaces, joined by dots. */
const claimPath = z.string().regex(/^[^.\s]+(\.[^.\s]+)*$/, 'must be a dotted claim path such as realm_access.roles (no spaces, no empty steps)');

/** `name=seconds,…` as a map of milliseconds; each malformed pair is an issue naming it. */
function secondsByName(value: string, ctx: z.RefinementCtx): Map<string, number> {
  const byName = new Map<string, number>();
  for (const pair of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([^=\s]+)=(\d+)$/.exec(pair);
    if (match === null || Number(match[2]) <= 0) ctx.addIssue({ code: 'custom', message: `'${pair}' is not <name>=<positive seconds>` });
    else byName.set(match[1], Number(match[2]) * 1000);
  }
  return byName;
}

/**
 * Every setting of every app, read from the environment. The defaults run on a developer's
 * machine with the local services of `scripts/services.sh`; see docs/CONFIGURATION.md.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How long a graceful shutdown (SIGTERM, SIGINT) may take before the app exits anyway (code 1). */
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(25_000),

  /** One Redis, or a Redis Cluster as redis+cluster://host:port,host:port (redis-url.ts, docs/CONFIGURATION.md). */
  REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
  /** One node, or the nodes of a cluster comma-separated: the client spreads requests and fails over among them. */
  ELASTICSEARCH_URL: urlList(['http:', 'https:']).default('http://127.0.0.1:9200'),

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

  /**
   * The product's indices on Elasticsearch (docs/OPERATIONS.md, "Index settings and retention"):
   * replicas of every index (0 on one node; 1 or more on a cluster), primary shards of each daily
   * events index, how often new events become searchable, and after how many days an events index
   * is deleted by its lifecycle policy (0: never; alerts, audit entries and the statistics'
   * roll-ups are never deleted by it).
   */
  ES_REPLICAS: z.coerce.number().int().min(0).max(10).default(0),
  ES_EVENTS_SHARDS: z.coerce.number().int().min(1).max(64).default(1),
  ES_EVENTS_REFRESH_INTERVAL: z
    .string()
    .regex(/^(-1|[1-9][0-9]*(ms|s|m))$/, 'must be an Elasticsearch time value such as 1s, 500ms or 1m, or -1 (refresh only when asked)')
    .default('1s'),
  EVENTS_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),

  /** Events per stream entry: the unit of batching between collector and consumers. */
  STREAM_BATCH_SIZE: positiveInt.default(500),
  /** Stream entries a consumer reads at once. */
  CONSUMER_READ_COUNT: positiveInt.default(10),
  /** A pending entry idle this long belonged to a dead consumer and is claimed by another. */
  CONSUMER_CLAIM_IDLE_MS: positiveInt.default(30_000),
  CONSUMER_NAME: z.string().min(1).optional(),
  /**
   * Events-stream entries every consumer group has acknowledged are trimmed by the collector once
   * they are this old: kept a while for inspection, then gone, so Redis does not keep every event.
   */
  EVENTS_STREAM_RETAIN_SECONDS: z.coerce.number().int().min(0).default(900),
  /**
   * Partitions of the events stream (docs/SCALING.md): 1 keeps the one key EVENTS_STREAM; P > 1
   * writes each member's events to partition N (its member id's hash modulo P), a key with a hash tag of its own.
   */
  EVENTS_STREAM_PARTITIONS: z.coerce.number().int().min(1).max(64).default(1),
  /** Consumers of the "indexer" group one alerting process runs: bulk requests in flight to Elasticsearch. */
  INDEXER_CONSUMERS: z.coerce.number().int().min(1).max(32).default(4),
  /** Events per bulk request of the indexer: the entries of one read are merged up to this many (1: one entry per bulk). */
  INDEXER_BULK_EVENTS: z.coerce.number().int().min(1).max(20_000).default(2000),
  HTTP_BODY_LIMIT_BYTES: positiveInt.default(10 * 1024 * 1024),
  /** Collector admission: refuse (503) while the slowest consumer group is this many stream entries behind. */
  INGEST_BACKLOG_LIMIT_ENTRIES: positiveInt.default(20_000),
  /**
   * Replica-confirmed acknowledgements (docs/SCALING.md): after each append's EXEC the collector
   * sends `WAIT <replicas> <timeout>` to the master holding the stream key and refuses (503) when
   * fewer replicas confirmed in time. 0: acknowledged once the master has the events, as before.
   */
  INGEST_WAIT_REPLICAS: z.coerce.number().int().min(0).max(16).default(0),
  /** How long one append waits for those replicas; never 0, which would make WAIT block forever. */
  INGEST_WAIT_TIMEOUT_MS: z.coerce.number().int().min(1).max(60_000).default(500),
  INGEST_RATE_EVENTS_PER_SECOND: positiveInt.default(20_000),
  INGEST_RATE_BURST_EVENTS: positiveInt.default(100_000),
  /** One event's bounds (docs/INGEST.md): nesting levels, keys, UTF-8 bytes; beyond them, 400. */
  EVENT_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(20),
  EVENT_MAX_FIELDS: positiveInt.default(1000),
  EVENT_MAX_BYTES: positiveInt.default(256 * 1024),
  /** Event-time window around arrival (docs/INGEST.md): outside it an event is indexed at its arrival time. */
  EVENT_TIME_MAX_PAST_SECONDS: positiveInt.default(30 * 86_400),
  EVENT_TIME_MAX_FUTURE_SECONDS: positiveInt.default(86_400),
  /** Dead letters (docs/OPERATIONS.md): readiness says `degraded` above this many of one kind (0: any)… */
  DEAD_LETTER_WARN_COUNT: z.coerce.number().int().min(0).default(100),
  /** …or when one has waited longer than this. */
  DEAD_LETTER_WARN_AGE_SECONDS: positiveInt.default(86_400),
  /** Failed deliveries of an events-stream entry before the indexer dead-letters it (~50 min at the default claim period). */
  INDEXER_MAX_DELIVERIES: positiveInt.default(100),
  /** Backups (docs/OPERATIONS.md "Backups and restore"): the snapshot repository's name and folder (under the node's path.repo)… */
  SNAPSHOT_REPOSITORY: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower-case letters, digits, ".", "_" or "-"')
    .optional(),
  SNAPSHOT_REPOSITORY_LOCATION: z.string().min(1).optional(),
  /** …the snapshot lifecycle policy's schedule (Elasticsearch cron, UTC) and retention. */
  SNAPSHOT_SCHEDULE: z.string().min(1).default('0 30 1 * * ?'),
  SNAPSHOT_RETENTION_EXPIRE_AFTER: z
    .string()
    .regex(/^\d+[dhm]$/, 'must be a number of days, hours or minutes such as 30d')
    .default('30d'),
  SNAPSHOT_RETENTION_MIN_COUNT: positiveInt.default(7),
  SNAPSHOT_RETENTION_MAX_COUNT: positiveInt.default(60),

  RULES_DIR: z.string().min(1).default('rules'),
  /**
   * Third-party rule folders the correlator imports into the rule catalogue at start (docs/RULES.md):
   * `<origin>=<dir>,…` with origin sigmahq or third_party (a bare `<dir>` is third_party).
   */
  SIGMA_RULE_DIRS: z
    .string()
    .default('')
    .transform((value, ctx) =>
      value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((entry) => {
          const [origin, dir] = entry.includes('=') ? entry.split('=', 2) : ['third_party', entry];
          if (origin !== 'sigmahq' && origin !== 'third_party') ctx.addIssue({ code: 'custom', message: `'${entry}': the origin is sigmahq or third_party` });
          return { origin: origin as 'sigmahq' | 'third_party', dir };
        }),
    ),
  /** How often each correlator reads the catalogue revision, in case it missed a change announcement (docs/RULES.md). */
  RULES_POLL_MS: positiveInt.default(2_000),
  MEMBERS_FILE: z.string().min(1).optional(),
  /** Correlator (docs/CORRELATOR.md): a campaign is the same indicator or actor at >= K members within T ms. */
  CAMPAIGN_MIN_MEMBERS: z.coerce.number().int().min(2).default(3),
  CAMPAIGN_WINDOW_MS: positiveInt.default(24 * 3_600_000),
  /** How far behind its group's newest event an event may arrive and still count in correlation windows (docs/CORRELATION.md). */
  CORRELATION_ALLOWED_LATENESS_SECONDS: positiveInt.default(900),
  /** Per dataset, overriding the default: `<event.dataset>=<seconds>,…` (a member's own is `allowed_lateness_seconds` in the members file). */
  CORRELATION_ALLOWED_LATENESS_BY_DATASET: z
    .string()
    .default('')
    .transform((value, ctx) => secondsByName(value, ctx)),
  /**
   * Treat the documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32)
   * as public attackers: only for test deployments; production keeps them reserved (docs/CORRELATION.md).
   */
  DOCUMENTATION_ADDRESSES_PUBLIC: z.enum(['true', 'false']).default('false'),

  /** Syslog inputs to open (comma list of tcp, udp, tls, relp, relp_tls; empty: none), see docs/FORWARDERS.md. */
  SYSLOG_INPUTS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(['tcp', 'udp', 'tls', 'relp', 'relp_tls']))),
  SYSLOG_HOST: z.string().min(1).default('127.0.0.1'),
  SYSLOG_TCP_PORT: port.default(5514),
  SYSLOG_UDP_PORT: port.default(5514),
  SYSLOG_TLS_PORT: port.default(6514),
  /** RELP (docs/FORWARDERS.md): 2514 as in rsyslog's omrelp examples; over TLS one port up. */
  SYSLOG_RELP_PORT: port.default(2514),
  SYSLOG_RELP_TLS_PORT: port.default(2515),
  SYSLOG_TLS_CERT_FILE: z.string().min(1).optional(),
  SYSLOG_TLS_KEY_FILE: z.string().min(1).optional(),
  SYSLOG_TLS_CA_FILE: z.string().min(1).optional(),
  SYSLOG_MAX_MESSAGE_BYTES: positiveInt.default(64 * 1024),
  /** Checked at start-up: a typo would otherwise fail every offset-less line of every member without a zone. */
  SYSLOG_TIME_ZONE: ianaTimeZone.default('Europe/Copenhagen'),

  /** Alerting (docs/ALERTING.md): suppression window, SLA per severity, queues, webhooks, exception cache. */
  ALERT_SUPPRESSION_SECONDS: z.coerce.number().int().min(0).default(3600),
  SLA_SECONDS: z
    .string()
    .default('critical=900,high=3600,medium=14400,low=86400,informational=259200')
    .transform((v, ctx) => {
      const m = Object.fromEntries(v.split(',').map((p) => p.trim().split('=')));
      for (const s of ['critical', 'high', 'medium', 'low', 'informational'])
        if (!(Number(m[s]) > 0)) ctx.addIssue({ code: 'custom', message: `needs a positive number of seconds for ${s}` });
      return m as Record<string, number>;
    }),
  INCIDENTS_QUEUE: z.string().min(1).default('incidents'),
  WEBHOOK_ATTEMPTS: positiveInt.default(5),
  WEBHOOK_BACKOFF_MS: positiveInt.default(1000),
  EXCEPTIONS_REFRESH_MS: positiveInt.default(5000),
  /** KL statistics (docs/STATISTICS.md): threshold, small-cell limit, naming, attack definition. */
  STATISTICS_THRESHOLD: z.coerce.number().int().min(0).default(200),
  STATISTICS_MIN_MUNICIPALITIES: positiveInt.default(5),
  STATISTICS_NAME_MUNICIPALITIES: z.enum(['true', 'false']).default('false'),
  STATISTICS_DEFINITION_FILE: z.string().min(1).optional(),
  /** Days after its last day before KL sees a cell; default and minimum: the event-time past window (EVENT_TIME_MAX_PAST_SECONDS) in days, plus one. */
  STATISTICS_FINAL_AFTER_DAYS: z.coerce.number().int().min(0).optional(),

  /** TAXII 2.1 feeds the correlator pulls (docs/INDICATORS.md, TAXII 2.1 feeds); credentials come from TAXII_SECRET_<name>. */
  TAXII_FEEDS_FILE: z.string().min(1).optional(),
  TAXII_REQUEST_TIMEOUT_MS: positiveInt.default(30_000),
  TAXII_MAX_PAGES_PER_PULL: positiveInt.default(100),

  /** HS256 secret of the CLI's development tokens; required in test, ignored in production (docs/AUTH.md). */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** A token's `iss` and `aud` must be these; the CLI issues tokens with them. */
  JWT_ISSUER: z.string().min(1).default('soc-cli'),
  JWT_AUDIENCE: z.string().min(1).default('soc-api'),
  /** Longest accepted token lifetime, `exp - iat`. */
  JWT_MAX_LIFETIME_SECONDS: positiveInt.default(12 * 3600),
  /**
   * The OpenID Connect provider whose tokens the APIs accept (docs/AUTH.md): its issuer exactly as
   * its tokens' `iss` (required in production), their audience, and optionally the JWKS address
   * (otherwise the discovery document's `jwks_uri`).
   */
  OIDC_ISSUER: url(['http:', 'https:']).optional(),
  OIDC_AUDIENCE: z.string().min(1).default('soc-api'),
  OIDC_JWKS_URL: url(['http:', 'https:']).optional(),
  /** Where in the provider's tokens role, member and display name are: dotted paths. */
  OIDC_ROLES_CLAIM: claimPath.default('realm_access.roles'),
  OIDC_MEMBER_CLAIM: claimPath.default('member_id'),
  OIDC_NAME_CLAIM: claimPath.default('name'),
  /** A fetched JWKS is used this long; a token with an unknown `kid` fetches again at most once per cooldown. */
  OIDC_JWKS_CACHE_SECONDS: positiveInt.default(600),
  OIDC_JWKS_COOLDOWN_SECONDS: z.coerce.number().int().min(0).default(30),
  /** Collector: forwarder-key look-ups cached in a bounded LRU (known keys, and unknown ones for a shorter time). */
  FORWARDER_KEY_CACHE_MAX_ENTRIES: positiveInt.default(10_000),
  FORWARDER_KEY_CACHE_TTL_MS: positiveInt.default(5_000),
  FORWARDER_KEY_CACHE_NEGATIVE_TTL_MS: positiveInt.default(1_000),
});

export type Env = z.infer<typeof envSchema>;
