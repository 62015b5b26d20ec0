import { isKnownTimeZone } from '@soc/parsing';
import { ConfigError, parseConfig } from './config';

describe('parseConfig', () => {
  it('works on an empty environment with the local defaults', () => {
    const config = parseConfig({});
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.elasticsearch.url).toBe('http://127.0.0.1:9200');
    expect(config.streams.events).toBe('soc:events');
  });

  it('names every bad key at once', () => {
    let error: unknown;
    try {
      parseConfig({ REDIS_URL: 'http://x', COLLECTOR_PORT: '70000', INDEX_PREFIX: 'Bad Prefix' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('REDIS_URL: must be a URL starting with redis:// or rediss://');
    expect(problems).toContain('COLLECTOR_PORT');
    expect(problems).toContain('INDEX_PREFIX: must be lowercase letters');
  });

  it('starts production only with an identity provider, and then without development tokens', () => {
    expect(() => parseConfig({ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(32) })).toThrow(
      "OIDC_ISSUER: required when NODE_ENV is production (the APIs then accept only the identity provider's tokens, docs/AUTH.md)",
    );
    const production = parseConfig({ NODE_ENV: 'production', OIDC_ISSUER: 'https://idp.example/realms/soc', JWT_SECRET: 's'.repeat(32) }).auth;
    expect(production.jwtSecret).toBeUndefined();
    expect(production.oidc?.issuer).toBe('https://idp.example/realms/soc');
    expect(parseConfig({ NODE_ENV: 'production', OIDC_ISSUER: 'https://idp.example/realms/soc' }).auth.jwtSecret).toBeUndefined();
  });

  it('reads the identity provider with the Keycloak claim defaults (the local Keycloak under development), development tokens beside it outside production', () => {
    expect(parseConfig({ NODE_ENV: 'test', JWT_SECRET: 's'.repeat(32) }).auth.oidc).toBeUndefined();
    expect(parseConfig({}).auth.oidc?.issuer).toBe('http://127.0.0.1:8180/realms/soc');
    const auth = parseConfig({ NODE_ENV: 'test', JWT_SECRET: 's'.repeat(32), OIDC_ISSUER: 'http://127.0.0.1:8180/realms/soc' }).auth;
    expect(auth.jwtSecret).toBe('s'.repeat(32));
    expect(auth.oidc).toEqual({
      issuer: 'http://127.0.0.1:8180/realms/soc',
      audience: 'soc-api',
      jwksUrl: undefined,
      claims: { roles: 'realm_access.roles', memberId: 'member_id', name: 'name' },
      jwksCacheSeconds: 600,
      jwksCooldownSeconds: 30,
    });
    const custom = parseConfig({
      OIDC_ISSUER: 'https://login.example/tenant/v2.0',
      OIDC_AUDIENCE: 'api://soc',
      OIDC_JWKS_URL: 'https://login.example/tenant/keys',
      OIDC_ROLES_CLAIM: 'roles',
      OIDC_MEMBER_CLAIM: 'extension_member.id',
      OIDC_NAME_CLAIM: 'display_name',
      OIDC_JWKS_CACHE_SECONDS: '60',
      OIDC_JWKS_COOLDOWN_SECONDS: '0',
    }).auth.oidc;
    expect(custom).toEqual({
      issuer: 'https://login.example/tenant/v2.0',
      audience: 'api://soc',
      jwksUrl: 'https://login.example/tenant/keys',
      claims: { roles: 'roles', memberId: 'extension_member.id', name: 'display_name' },
      jwksCacheSeconds: 60,
      jwksCooldownSeconds: 0,
    });
  });

  it('names each bad identity-provider setting', () => {
    let error: unknown;
    try {
      parseConfig({ OIDC_ISSUER: 'idp.example', OIDC_JWKS_URL: 'ftp://x/keys', OIDC_ROLES_CLAIM: 'realm_access..roles', OIDC_NAME_CLAIM: 'full name' });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems).toEqual([
      'OIDC_ISSUER: must be a URL starting with http:// or https://',
      'OIDC_JWKS_URL: must be a URL starting with http:// or https://',
      'OIDC_ROLES_CLAIM: must be a dotted claim path such as realm_access.roles (no spaces, no empty steps)',
      'OIDC_NAME_CLAIM: must be a dotted claim path such as realm_access.roles (no spaces, no empty steps)',
    ]);
  });

  it('requires a JWT secret in test too: only development may use the public development secret', () => {
    expect(() => parseConfig({ NODE_ENV: 'test' })).toThrow('JWT_SECRET: required when NODE_ENV is test (the development secret is public)');
    expect(parseConfig({}).auth.jwtSecret).toHaveLength(40);
    expect(parseConfig({ NODE_ENV: 'test', JWT_SECRET: 's'.repeat(32) }).auth.jwtSecret).toBe('s'.repeat(32));
  });

  it('reads the token issuer, audience and longest lifetime, with the defaults the CLI uses', () => {
    expect(parseConfig({}).auth).toMatchObject({ jwtIssuer: 'soc-cli', jwtAudience: 'soc-api', jwtMaxLifetimeSeconds: 43_200 });
    expect(parseConfig({ JWT_ISSUER: 'https://idp.example', JWT_AUDIENCE: 'soc', JWT_MAX_LIFETIME_SECONDS: '3600' }).auth).toMatchObject({
      jwtIssuer: 'https://idp.example',
      jwtAudience: 'soc',
      jwtMaxLifetimeSeconds: 3600,
    });
    expect(() => parseConfig({ JWT_MAX_LIFETIME_SECONDS: '0' })).toThrow('JWT_MAX_LIFETIME_SECONDS');
  });

  it('bounds the forwarder-key cache, negative answers for a shorter time by default', () => {
    expect(parseConfig({}).auth.forwarderKeyCache).toEqual({ maxEntries: 10_000, ttlMs: 5_000, negativeTtlMs: 1_000 });
  });

  it('publishes statistics only after the event-time past window, and refuses a shorter finality delay', () => {
    expect(parseConfig({}).statistics.finalAfterDays).toBe(31);
    expect(parseConfig({ EVENT_TIME_MAX_PAST_SECONDS: String(7 * 86_400) }).statistics.finalAfterDays).toBe(8);
    expect(parseConfig({ STATISTICS_FINAL_AFTER_DAYS: '40' }).statistics.finalAfterDays).toBe(40);
    expect(() => parseConfig({ STATISTICS_FINAL_AFTER_DAYS: '2' })).toThrow(
      'STATISTICS_FINAL_AFTER_DAYS: must be at least 31 (EVENT_TIME_MAX_PAST_SECONDS in days, plus one)',
    );
  });

  it('lays out the indices from ES_* settings and keeps events unless a retention at least the event-time past window is set', () => {
    expect(parseConfig({}).elasticsearch.index).toEqual({ replicas: 0, eventsShards: 1, eventsRefreshInterval: '1s', eventsRetentionDays: 0 });
    expect(
      parseConfig({ ES_REPLICAS: '1', ES_EVENTS_SHARDS: '3', ES_EVENTS_REFRESH_INTERVAL: '30s', EVENTS_RETENTION_DAYS: '395' }).elasticsearch.index,
    ).toEqual({ replicas: 1, eventsShards: 3, eventsRefreshInterval: '30s', eventsRetentionDays: 395 });
    expect(() => parseConfig({ EVENTS_RETENTION_DAYS: '7' })).toThrow('EVENTS_RETENTION_DAYS: must be 0 (keep) or at least 31');
    expect(parseConfig({ EVENTS_RETENTION_DAYS: '7', EVENT_TIME_MAX_PAST_SECONDS: String(3 * 86_400) }).elasticsearch.index.eventsRetentionDays).toBe(7);
    expect(() => parseConfig({ ES_EVENTS_REFRESH_INTERVAL: 'often' })).toThrow('ES_EVENTS_REFRESH_INTERVAL: must be an Elasticsearch time value');
    expect(() => parseConfig({ ES_EVENTS_SHARDS: '0' })).toThrow('ES_EVENTS_SHARDS');
  });

  it('takes one Elasticsearch node or the nodes of a cluster comma-separated, naming each bad one', () => {
    const nodes = 'http://es-1:9200, http://es-2:9200,https://es-3:9200';
    expect(parseConfig({ ELASTICSEARCH_URL: nodes }).elasticsearch.url).toBe(nodes);
    expect(() => parseConfig({ ELASTICSEARCH_URL: 'http://es-1:9200,es-2:9200' })).toThrow(
      "ELASTICSEARCH_URL: 'es-2:9200' must be a URL starting with http:// or https:// (several nodes: comma-separated)",
    );
    expect(() => parseConfig({ ELASTICSEARCH_URL: 'http://es-1:9200,' })).toThrow("ELASTICSEARCH_URL: '' must be a URL");
  });

  it('keeps one events stream unless EVENTS_STREAM_PARTITIONS says otherwise, 1 to 64, and refuses braces that form no hash tag when partitioned', () => {
    expect(parseConfig({}).streams.partitions).toBe(1);
    expect(parseConfig({ EVENTS_STREAM_PARTITIONS: '8' }).streams.partitions).toBe(8);
    expect(() => parseConfig({ EVENTS_STREAM_PARTITIONS: '0' })).toThrow('EVENTS_STREAM_PARTITIONS');
    expect(() => parseConfig({ EVENTS_STREAM_PARTITIONS: '65' })).toThrow('EVENTS_STREAM_PARTITIONS');
    expect(parseConfig({ EVENTS_STREAM: 'soc:{events}', EVENTS_STREAM_PARTITIONS: '4' }).streams.events).toBe('soc:{events}');
    expect(parseConfig({ EVENTS_STREAM: 'soc:{}events' }).streams.events).toBe('soc:{}events');
    expect(() => parseConfig({ EVENTS_STREAM: 'soc:{}events', EVENTS_STREAM_PARTITIONS: '4' })).toThrow(
      'EVENTS_STREAM: its braces form no hash tag; with EVENTS_STREAM_PARTITIONS > 1 use none, or one tag such as soc:{events}',
    );
  });

  it('merges stream entries into indexer bulks of up to 2000 events unless INDEXER_BULK_EVENTS says otherwise, 1 to 20,000', () => {
    expect(parseConfig({}).streams.indexerBulkEvents).toBe(2000);
    expect(parseConfig({ INDEXER_BULK_EVENTS: '1' }).streams.indexerBulkEvents).toBe(1);
    expect(() => parseConfig({ INDEXER_BULK_EVENTS: '0' })).toThrow('INDEXER_BULK_EVENTS');
    expect(() => parseConfig({ INDEXER_BULK_EVENTS: '20001' })).toThrow('INDEXER_BULK_EVENTS');
  });

  it('runs four indexer consumers per alerting process unless INDEXER_CONSUMERS says otherwise, 1 to 32', () => {
    expect(parseConfig({}).streams.indexerConsumers).toBe(4);
    expect(parseConfig({ INDEXER_CONSUMERS: '1' }).streams.indexerConsumers).toBe(1);
    expect(() => parseConfig({ INDEXER_CONSUMERS: '0' })).toThrow('INDEXER_CONSUMERS');
    expect(() => parseConfig({ INDEXER_CONSUMERS: '33' })).toThrow('INDEXER_CONSUMERS');
  });

  it('acknowledges without waiting for replicas unless INGEST_WAIT_REPLICAS asks, with a timeout that is never 0', () => {
    expect(parseConfig({}).ingest.replicaConfirmation).toEqual({ replicas: 0, timeoutMs: 500 });
    expect(parseConfig({ INGEST_WAIT_REPLICAS: '1', INGEST_WAIT_TIMEOUT_MS: '250' }).ingest.replicaConfirmation).toEqual({ replicas: 1, timeoutMs: 250 });
    expect(() => parseConfig({ INGEST_WAIT_REPLICAS: '-1' })).toThrow('INGEST_WAIT_REPLICAS');
    expect(() => parseConfig({ INGEST_WAIT_REPLICAS: 'one' })).toThrow('INGEST_WAIT_REPLICAS');
    // WAIT with timeout 0 blocks until the replicas answer, however long: refused.
    expect(() => parseConfig({ INGEST_WAIT_TIMEOUT_MS: '0' })).toThrow('INGEST_WAIT_TIMEOUT_MS');
  });

  it('bounds one event and the event-time window, with defaults and limits', () => {
    expect(parseConfig({}).ingest).toMatchObject({
      eventLimits: { maxDepth: 20, maxFields: 1000, maxBytes: 262_144 },
      eventTimeWindow: { maxPastMs: 30 * 86_400_000, maxFutureMs: 86_400_000 },
    });
    expect(parseConfig({ EVENT_TIME_MAX_PAST_SECONDS: '3600', EVENT_MAX_DEPTH: '8' }).ingest).toMatchObject({
      eventLimits: { maxDepth: 8 },
      eventTimeWindow: { maxPastMs: 3_600_000 },
    });
    expect(() => parseConfig({ EVENT_MAX_DEPTH: '1000' })).toThrow('EVENT_MAX_DEPTH');
    expect(() => parseConfig({ EVENT_TIME_MAX_FUTURE_SECONDS: '0' })).toThrow('EVENT_TIME_MAX_FUTURE_SECONDS');
  });

  it('keeps documentation addresses reserved unless a test deployment makes them public', () => {
    expect(parseConfig({}).correlator.documentationAddressesArePublic).toBe(false);
    expect(parseConfig({ DOCUMENTATION_ADDRESSES_PUBLIC: 'true' }).correlator.documentationAddressesArePublic).toBe(true);
    expect(() => parseConfig({ DOCUMENTATION_ADDRESSES_PUBLIC: 'yes' })).toThrow('DOCUMENTATION_ADDRESSES_PUBLIC');
  });

  it('reads the correlation lateness, its default and per dataset, naming a malformed pair', () => {
    expect(parseConfig({}).correlator).toMatchObject({ allowedLatenessMs: 900_000, latenessByDatasetMs: new Map() });
    const tuned = parseConfig({
      CORRELATION_ALLOWED_LATENESS_SECONDS: '60',
      CORRELATION_ALLOWED_LATENESS_BY_DATASET: 'apache.access=3600, windows.security=1800',
    });
    expect(tuned.correlator.allowedLatenessMs).toBe(60_000);
    expect(tuned.correlator.latenessByDatasetMs).toEqual(
      new Map([
        ['apache.access', 3_600_000],
        ['windows.security', 1_800_000],
      ]),
    );
    expect(() => parseConfig({ CORRELATION_ALLOWED_LATENESS_BY_DATASET: 'apache.access=soon' })).toThrow(
      /CORRELATION_ALLOWED_LATENESS_BY_DATASET.*'apache.access=soon' is not/,
    );
  });

  it('reads SYSLOG_TIME_ZONE, Europe/Copenhagen by default', () => {
    expect(parseConfig({}).syslog.timeZone).toBe('Europe/Copenhagen');
    expect(parseConfig({ SYSLOG_TIME_ZONE: 'America/New_York' }).syslog.timeZone).toBe('America/New_York');
    expect(parseConfig({ SYSLOG_TIME_ZONE: 'UTC' }).syslog.timeZone).toBe('UTC');
  });

  it.each([['Europe/Copenhagn'], ['CET+1'], [' Europe/Copenhagen'], ['']])('refuses SYSLOG_TIME_ZONE=%j at start-up, naming the variable and why', (zone) => {
    expect(() => parseConfig({ SYSLOG_TIME_ZONE: zone })).toThrow(
      'SYSLOG_TIME_ZONE: must be an IANA time zone such as Europe/Copenhagen or UTC (every timestamp without an offset is read in it)',
    );
  });

  it('accepts exactly the zones the parsers can read timestamps in', () => {
    const zones = [
      'Europe/Copenhagen',
      'UTC',
      'Etc/GMT-1',
      'America/Argentina/Buenos_Aires',
      'europe/copenhagen',
      'Mars/Olympus_Mons',
      'Europe/Copenhagen ',
      'CEST',
    ];
    for (const zone of zones) {
      let accepted = true;
      try {
        parseConfig({ SYSLOG_TIME_ZONE: zone });
      } catch {
        accepted = false;
      }
      expect([zone, accepted]).toEqual([zone, isKnownTimeZone(zone)]);
    }
  });

  it('rejects a short JWT secret', () => {
    expect(() => parseConfig({ JWT_SECRET: 'short' })).toThrow('JWT_SECRET: must be at least 32 characters');
  });

  it('reads the rule catalogue settings: third-party rule folders with their origin, and the revision poll', () => {
    expect(parseConfig({}).ruleCatalogue).toEqual({ sigmaRuleDirs: [], pollMs: 2_000 });
    expect(parseConfig({ SIGMA_RULE_DIRS: 'sigmahq=../shared/data/sigmahq/rules, /opt/rules', RULES_POLL_MS: '500' }).ruleCatalogue).toEqual({
      sigmaRuleDirs: [
        { origin: 'sigmahq', dir: '../shared/data/sigmahq/rules' },
        { origin: 'third_party', dir: '/opt/rules' },
      ],
      pollMs: 500,
    });
    expect(() => parseConfig({ SIGMA_RULE_DIRS: 'custom=/x' })).toThrow(/SIGMA_RULE_DIRS.*'custom=\/x': the origin is sigmahq or third_party/);
  });
});
