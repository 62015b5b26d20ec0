import fc from 'fast-check';
import { createRedis, type Redis } from '@soc/redis';
import { createElasticsearchClient, IndexNames } from '@soc/storage';
import { removeIndices, removeRedisKeys } from './support/cleanup';
import { createForwarderKey } from './support/deployment-start';
import { accountEvents, unsettled, type EventAccount } from './support/event-accounting';
import { checkAsyncProperty } from './support/fuzz';
import { requestOf, requestSpec, victimMember, type RequestSpec } from './support/ingest-arbitraries';
import { contractBreach, rawRequest } from './support/raw-http';
import { AppProcess, isolatedEnv, waitFor } from './support/stack';
import { elasticsearchUrl } from '../support';

/** The event-time window the collector runs with here (docs/CONFIGURATION.md, EVENT_TIME_MAX_*). */
const maxPastDays = 30;
const maxFutureDays = 1;
/** The collector's body limit here: small, so that oversized bodies are cheap to send. */
const bodyLimitBytes = 1024 * 1024;

/**
 * Property-based fuzzing of `POST /v1/events` (fast-check, seeded: FUZZ_SEED, docs/TESTING.md)
 * against the collector and the alerting app's indexer, started as real processes. The bodies
 * resemble real traffic and attacks: valid ECS, dotted and mixed spellings, forged member and
 * event ids, wrong types for mapped fields, deep nesting, huge strings, bad bytes, broken
 * NDJSON, gzip, wrong content types.
 */
describe('fuzzed HTTP ingest', () => {
  const sender = '0751';
  let env: Record<string, string>;
  let collector: AppProcess;
  let alerting: AppProcess;
  let redis: Redis;
  let key: string;
  const es = createElasticsearchClient(elasticsearchUrl);
  /** The total of `accepted` over every 202 the collector answered during the property (shrinking included). */
  let acceptedTotal = 0;

  beforeAll(async () => {
    env = await isolatedEnv({
      HTTP_BODY_LIMIT_BYTES: String(bodyLimitBytes),
      CONSUMER_CLAIM_IDLE_MS: '1000',
      EVENT_TIME_MAX_PAST_SECONDS: String(maxPastDays * 86_400),
      EVENT_TIME_MAX_FUTURE_SECONDS: String(maxFutureDays * 86_400),
    });
    redis = createRedis(env.REDIS_URL, 'worker', 'e2e-fuzz-http');
    key = await createForwarderKey(env, sender);
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
  });

  /**
   * Sends one fuzzed request and returns the answer; throws if it was a bad 2xx or the collector
   * went down. Undefined for a plain body over the body limit whose connection the collector
   * closed while it was still being sent: it answers 413 at once and closes with the rest of the
   * body unread, so the client may see EPIPE/ECONNRESET instead of the 413 (reported with this
   * fuzzing; not one of issue 13's findings). Any other failed connection fails the property.
   */
  const post = async (spec: RequestSpec) => {
    const { body, headers } = requestOf(spec, key);
    const oversized = headers['content-encoding'] === undefined && body.length > bodyLimitBytes;
    let reset = false;
    const answer = await rawRequest(`${collector.url}/v1/events`, 'POST', headers, body).catch((error: Error & { code?: string }) => {
      if (oversized && ['EPIPE', 'ECONNRESET'].includes(error.code ?? '')) return ((reset = true), undefined);
      throw failure(spec, `the connection failed: ${error.message}\n${collector.log.slice(-2000)}`);
    });
    const live = await fetch(`${collector.url}/health/live`).catch(() => undefined);
    if (!live?.ok) throw failure(spec, `the collector is no longer live:\n${collector.log.slice(-2000)}`);
    if (reset || !answer) return undefined;
    if (answer.status < 400) {
      if (answer.status !== 202) throw failure(spec, `answered ${answer.status}, not 202: ${answer.body}`);
      const { accepted } = JSON.parse(answer.body) as { accepted: unknown };
      if (!Number.isInteger(accepted) || (accepted as number) < 1) throw failure(spec, `202 with accepted = ${String(accepted)}`);
      acceptedTotal += accepted as number;
    }
    return answer;
  };

  it('never answers a fuzzed body with a 5xx, and stays up', async () => {
    await checkAsyncProperty(
      fc.asyncProperty(requestSpec, async (spec) => {
        const answer = await post(spec);
        if (!answer) return;
        // No outage and no backlog is real here (Redis and Elasticsearch are up, the indexer keeps
        // up): a 503, even with Retry-After, would tell a forwarder to resend a body that can never pass.
        if (answer.status >= 500)
          throw failure(spec, `answered ${answer.status} (Retry-After: ${String(answer.headers['retry-after'])}): ${answer.body.slice(0, 300)}`);
      }),
      150,
    );
    expect(acceptedTotal).toBeGreaterThan(0); // the arbitraries do produce acceptable traffic
  });

  it('answers every refused fuzzed body in the documented {error, message} shape', async () => {
    await checkAsyncProperty(
      fc.asyncProperty(requestSpec, async (spec) => {
        const answer = await post(spec);
        const breach = answer && contractBreach(answer);
        if (breach) throw failure(spec, breach);
      }),
      60,
    );
  });

  it('indexes or dead-letters every accepted event, each once, and the counts add up', async () => {
    let account: EventAccount | undefined;
    // Waits until nothing is left to settle; on time-out the report below says what is missing.
    await waitFor(async () => unsettled((account = await accountEvents(redis, es, env))).missing.length === 0, 45_000).catch((error: Error) => {
      if (!error.message.startsWith('timed out')) throw error;
    });
    const { missing, both, unknown } = unsettled(account!);
    const report = {
      accepted_by_202: acceptedTotal,
      in_stream: account!.accepted.size,
      indexed: account!.indexed.size,
      dead_lettered: account!.deadLettered.size,
      neither_indexed_nor_dead_lettered: missing.length,
      both_indexed_and_dead_lettered: both.length,
      first_missing: missing.slice(0, 3).map((e) => e.preview),
      first_both: both.slice(0, 3).map((e) => e.preview),
      indexed_but_never_accepted: unknown.slice(0, 3),
    };
    const adds =
      report.in_stream === acceptedTotal &&
      missing.length === 0 &&
      both.length === 0 &&
      unknown.length === 0 &&
      report.indexed + report.dead_lettered === acceptedTotal;
    expect(account!.indexed.size).toBeGreaterThan(0);
    if (!adds)
      throw new Error(`accepted events are not all accounted for:\n${JSON.stringify(report, null, 2)}\nthe indexer said:\n${indexerErrors(alerting.log)}`);
  });

  it('creates event indices only for days inside the event-time window (no index per year sent)', async () => {
    const days = Object.keys(
      await es.indices.get({ index: new IndexNames(env.INDEX_PREFIX).eventsPattern, ignore_unavailable: true, allow_no_indices: true }),
    ).map((name) => name.slice(`${env.INDEX_PREFIX}-events-`.length));
    const today = Math.floor(Date.now() / 86_400_000);
    // One day of grace each side: an event at the window's edge falls on the neighbouring UTC day.
    const outside = days.filter((day) => {
      const n = Date.parse(`${day.replace(/\./g, '-')}T00:00:00Z`) / 86_400_000;
      return !(n >= today - maxPastDays - 1 && n <= today + maxFutureDays + 1);
    });
    expect(days.length).toBeGreaterThan(0);
    expect(outside).toEqual([]);
  });

  it('stores every event under the sending member only, whatever the payload claimed', async () => {
    const index = new IndexNames(env.INDEX_PREFIX).eventsPattern;
    await es.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
    // What Elasticsearch indexed: a dotted "organization.id" would be indexed beside the stamp.
    const byMember = await es.search({
      index,
      size: 0,
      ignore_unavailable: true,
      allow_no_indices: true,
      aggs: { members: { terms: { field: 'organization.id', size: 10 } } },
    });
    const buckets = (byMember.aggregations?.members as { buckets: Array<{ key: string }> }).buckets.map((b) => b.key);
    expect(buckets.filter((member) => member !== sender)).toEqual([]);
    expect(await es.count({ index, ignore_unavailable: true, allow_no_indices: true, query: { term: { 'organization.id': victimMember } } })).toMatchObject({
      count: 0,
    });

    // What `_source` holds: each stamped field spelled once, with the collector's value.
    const wrong: string[] = [];
    for await (const page of es.helpers.scrollSearch<Record<string, unknown>>({
      index,
      ignore_unavailable: true,
      allow_no_indices: true,
      size: 500,
      query: { match_all: {} },
    })) {
      for (const hit of page.body.hits.hits) {
        const stamped = leafPaths(hit._source ?? {}).filter(([path]) => /^(organization\.|event\.(id|ingested)$)/.test(path));
        const paths = stamped.map(([path]) => path).sort();
        const values = Object.fromEntries(stamped);
        if (paths.join() !== 'event.id,event.ingested,organization.id' || values['organization.id'] !== sender || values['event.id'] !== hit._id) {
          wrong.push(`${hit._id}: ${JSON.stringify(stamped)}`);
        }
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});

/** A property failure that names the request in readable form (fast-check prints nested values tersely). */
function failure(spec: RequestSpec, why: string): Error {
  return new Error(`${why}\nrequest: ${JSON.stringify(spec).slice(0, 2000)}`);
}

/** The distinct reasons the indexer logged for events it could not store. */
function indexerErrors(log: string): string {
  const reasons = new Set(
    log
      .split('\n')
      .filter((line) => line.includes('not indexed'))
      .map((line) => line.replace(/^.*not indexed: /, '').slice(0, 300)),
  );
  return [...reasons].slice(0, 8).join('\n');
}

/** Every leaf of a document as (dotted path, value): nested and dotted spellings read the same. */
function leafPaths(value: unknown, prefix = ''): Array<[string, unknown]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [[prefix, value]];
  return Object.entries(value).flatMap(([key, child]) => leafPaths(child, prefix ? `${prefix}.${key}` : key));
}
