import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SocEvent } from '@soc/contracts';
import { createRedis, type Redis } from '@soc/redis';
import { createElasticsearchClient, IndexNames } from '@soc/storage';
import { removeIndices, removeRedisKeys } from './support/cleanup';
import { createForwarderKey } from './support/deployment-start';
import { rawRequest } from './support/raw-http';
import { AppProcess, freePort, isolatedEnv, waitFor } from './support/stack';
import { loopbackForwarderMembersFile } from './support/syslog-senders';
import { elasticsearchUrl } from '../support';

/**
 * Findings 1-3 of issue 13, as an attacker with member A's forwarder key would try them, against
 * the collector and the alerting indexer started as real processes: a forged member or product
 * field in any spelling, events Elasticsearch cannot index, and event times in any year.
 */
describe('ingest hardening: stamping, index safety, event time', () => {
  const memberA = '0751';
  const memberB = '0461';
  let env: Record<string, string>;
  let collector: AppProcess;
  let alerting: AppProcess;
  let redis: Redis;
  let dir: string;
  let key: string;
  let syslogPort: number;
  const es = createElasticsearchClient(elasticsearchUrl);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ingest-hardening-'));
    syslogPort = await freePort();
    env = await isolatedEnv({
      MEMBERS_FILE: loopbackForwarderMembersFile(dir, memberA),
      SYSLOG_INPUTS: 'tcp',
      SYSLOG_TCP_PORT: String(syslogPort),
      CONSUMER_CLAIM_IDLE_MS: '1000',
    });
    redis = createRedis(env.REDIS_URL, 'worker', 'e2e-ingest-hardening');
    key = await createForwarderKey(env, memberA);
    collector = new AppProcess('collector', env).start();
    alerting = new AppProcess('alerting', env).start();
    await Promise.all([collector.waitReady(), alerting.waitReady()]);
  });

  afterAll(async () => {
    await Promise.all([collector?.kill(), alerting?.kill()]);
    await removeRedisKeys(redis, env);
    redis.disconnect();
    await removeIndices(es, env);
    await es.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: string) =>
    rawRequest(`${collector.url}/v1/events`, 'POST', { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson' }, body);
  const ndjson = (events: unknown[]) => events.map((event) => JSON.stringify(event)).join('\n');

  /** Every stored event whose message starts with `marker`, once `count` of them are searchable. */
  const storedEvents = async (marker: string, count: number): Promise<SocEvent[]> => {
    let hits: SocEvent[] = [];
    await waitFor(
      async () => {
        const result = await es
          .search<SocEvent>({
            index: new IndexNames(env.INDEX_PREFIX).eventsPattern,
            size: 1000,
            ignore_unavailable: true,
            allow_no_indices: true,
            query: { match_phrase_prefix: { message: marker } },
          })
          // A daily index just created may not have its shard ready yet: ask again.
          .catch(() => undefined);
        hits = result?.hits.hits.map((hit) => hit._source!) ?? hits;
        return hits.length >= count;
      },
      60_000,
      () => `${hits.length} of ${count} events stored\n${alerting.log.slice(-3000)}`,
    );
    return hits;
  };

  it("stores every event sent with A's key under A only, with product-set ids, however the payload spelled the reserved fields", async () => {
    const marker = 'stamp-probe';
    const forged = { id: 'forged-id', ingested: '2000-01-01T00:00:00.000Z' };
    const variants: Array<Record<string, unknown>> = [
      { 'organization.id': memberB },
      { organization: { name: 'B' }, 'organization.id': memberB },
      { organization: [{ id: memberB }, { id: '0101' }] },
      { organization: { id: [memberB] } },
      { related: [{ organization: { id: memberB } }], 'labels.organization.id': memberB, labels: { 'organization.name': 'B' } },
      { 'event.id': forged.id, 'event.ingested': forged.ingested },
      { event: { id: forged.id }, 'event.ingested': forged.ingested },
      { 'event.kind': 'event', event: { ingested: forged.ingested, id: forged.id } },
      { 'soc.claimed_timestamp': 'forged', tags: ['timestamp_out_of_range'] },
    ];
    const events = variants.map((variant, i) => ({ ...variant, message: `${marker} ${i}` }));
    const answer = await post(ndjson(events));
    expect([answer.status, answer.body]).toEqual([202, JSON.stringify({ accepted: events.length })]);

    const stored = await storedEvents(marker, events.length);
    // What Elasticsearch indexed, not just what `_source` shows: nothing is found under B or the forged id.
    const index = new IndexNames(env.INDEX_PREFIX).eventsPattern;
    const underB = await es.count({ index, query: { term: { 'organization.id': memberB } } });
    const forgedIds = await es.count({ index, query: { terms: { 'event.id': [forged.id] } } });
    const underA = await es.count({
      index,
      query: { bool: { filter: [{ term: { 'organization.id': memberA } }, { match_phrase_prefix: { message: marker } }] } },
    });
    expect([underB.count, forgedIds.count, underA.count]).toEqual([0, 0, events.length]);
    expect(stored).toHaveLength(events.length);
    for (const event of stored) {
      expect(event.organization).toEqual({ id: memberA });
      expect(Object.keys(event).filter((field) => field.includes('.'))).toEqual([]);
      expect(event.event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(event.event.ingested).not.toBe(forged.ingested);
      expect(event.soc).toBeUndefined();
      expect(event.tags ?? []).not.toContain('timestamp_out_of_range');
    }
  });

  it('refuses a reserved field spelled twice with different values, naming it', async () => {
    const answer = await post(JSON.stringify({ organization: { id: memberA }, 'organization.id': memberB }));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({
      error: 'invalid_events',
      problems: [{ line: 1, path: 'organization.id', message: 'given twice with different values' }],
    });
  });

  it.each([
    ['http.response.status_code', { 'http.response.status_code': 'abc' }, 'must be a number of type integer'],
    ['winlog.channel', { winlog: { channel: {} } }, 'must be a string, number or boolean'],
    ['source.ip', { 'source.ip': '999.1.1.1' }, 'must be an IPv4 or IPv6 address'],
    ['labels', { labels: 'not an object' }, 'must be an object'],
  ])('answers 400 naming %s when its value does not fit the mapping', async (path, event, message) => {
    const answer = await post(JSON.stringify(event));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'invalid_events', problems: [{ line: 1, path, message: expect.stringContaining(message) }] });
  });

  it.each([1_000, 10_000])('answers 400 naming the depth limit for an event nested %i levels deep', async (levels) => {
    const answer = await post(`{"deep":${'{"x":'.repeat(levels)}1${'}'.repeat(levels)}}`);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({
      error: 'invalid_events',
      problems: [{ line: 1, path: expect.stringMatching(/^deep(\.x)+$/), message: 'nested deeper than 20 levels (limit EVENT_MAX_DEPTH)' }],
    });
  });

  it('indexes an event whose time is outside the window at its arrival, keeping the claimed time, on HTTP and syslog', async () => {
    const marker = 'time-probe';
    const inWindow = new Date(Date.now() - 3_600_000).toISOString();
    const claims = ['0001-01-01T00:00:00.000Z', '1999-12-31T23:59:59.000Z', '9999-12-31T23:59:59.999Z'];
    const before = Date.now();
    const answer = await post(
      ndjson([{ '@timestamp': inWindow, message: `${marker} in` }, ...claims.map((claim, i) => ({ '@timestamp': claim, message: `${marker} out ${i}` }))]),
    );
    expect(answer.status).toBe(202);
    // RFC 5424 with a full timestamp from 2001, over syslog TCP from the member's allow-listed address.
    const socket = connect({ host: '127.0.0.1', port: syslogPort });
    socket.end(`<38>1 2001-09-09T01:46:40.000Z web01 sshd 1 - - ${marker} syslog\n`);

    const stored = await storedEvents(marker, claims.length + 2);
    const byMessage = new Map(stored.map((event) => [event.message, event]));
    expect(byMessage.get(`${marker} in`)).toMatchObject({ '@timestamp': inWindow });
    expect(byMessage.get(`${marker} in`)?.soc).toBeUndefined();
    for (const [message, claim] of [...claims.map((claim, i) => [`${marker} out ${i}`, claim]), [`${marker} syslog`, '2001-09-09T01:46:40.000Z']]) {
      const event = byMessage.get(message)!;
      expect(event.soc).toEqual({ claimed_timestamp: claim });
      expect(event.tags).toContain('timestamp_out_of_range');
      expect(Date.parse(event['@timestamp'])).toBeGreaterThanOrEqual(before - 1000);
      expect(event['@timestamp']).toBe(event.event.ingested);
    }
    const metrics = await (await fetch(`${collector.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^soc_ingest_events_retimed_total\\{member="${memberA}",transport="http"\\} 3$`, 'm'));
    expect(metrics).toMatch(new RegExp(`^soc_ingest_events_retimed_total\\{member="${memberA}",transport="syslog_tcp"\\} 1$`, 'm'));
  });

  it('lets one request of 800 events claiming 800 far-apart days create at most the window of daily indices', async () => {
    const marker = 'days-probe';
    const days = Array.from({ length: 800 }, (_, i) => new Date(Date.UTC(1 + i * 12, i % 12, 1 + (i % 28))).toISOString());
    const answer = await post(ndjson(days.map((day, i) => ({ '@timestamp': day, message: `${marker} ${i}` }))));
    expect(answer.status).toBe(202);
    await storedEvents(marker, days.length);
    const indices = Object.keys(await es.indices.get({ index: new IndexNames(env.INDEX_PREFIX).eventsPattern }));
    // The default window (30 days back, 1 ahead) allows 34 daily indices; these all arrived today.
    expect(indices.length).toBeLessThanOrEqual(2);
  });
});
