import { gzipSync } from 'node:zlib';
import { randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { municipalities } from '@soc/members';
import { createRedis } from '@soc/redis';
import { createElasticsearchClient, IndexNames } from '@soc/storage';
import { memberA, memberB, signToken } from './support/abuse-principals';
import { inPool, isErrorShape, leakedMarkers, send, type Answer } from './support/abuse-http';
import { AbuseStack, attackerOfB, type SeededObjects } from './support/abuse-stack';
import { AppProcess, freePort, waitFor, type AppName } from './support/stack';
import { elasticsearchUrl } from '../support';

/**
 * The eight findings of issue 13, each tried as an attacker would, from outside, against the
 * three started apps: a member's forwarder key, a member's token, KL's token, no token. Each test
 * states the target behaviour of the issue (status class, the documented `{error, message}`
 * shape, what must not leak), not how a fix is built.
 */
const cacheBound = 1_000;
/** Distinct event years in one request (finding 3); ABUSE_YEAR_EVENTS lowers it where a shared node must keep its shards. */
const yearEvents = Number(process.env.ABUSE_YEAR_EVENTS ?? 800);
/** Elasticsearch's and Node's own words, which must never reach a client. */
const rawBackendText =
  /illegal_argument_exception|search_phase_execution_exception|parse_exception|Result window is too large|index\.max_result_window|x_content|at Object\.|TypeError|RangeError/;

describe('abuse suite: the eight findings of issue 13, black-box', () => {
  let stack: AbuseStack;
  let seed: SeededObjects;
  const es = createElasticsearchClient(elasticsearchUrl);

  const now = () => new Date().toISOString();
  const ingest = (key: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    send(stack.url('collector', '/v1/events'), {
      method: 'POST',
      headers: { authorization: `ApiKey ${key}`, ...headers },
      body,
      contentType: headers['content-type'] ?? 'application/x-ndjson',
    });
  const asRole = (role: string, extra: Record<string, unknown> = {}) => stack.token({ sub: `abuse-${role}`, role, ...extra });
  const get = (app: AppName, path: string, headers: Record<string, string>) => send(stack.url(app, path), { headers });
  const eventsIndices = () => `${stack.env.INDEX_PREFIX}-events-*`;
  const refresh = () => es.indices.refresh({ index: eventsIndices(), ignore_unavailable: true, allow_no_indices: true });
  const stored = async (query: object) => {
    await refresh();
    const found = await es.search({ index: eventsIndices(), query, size: 100, ignore_unavailable: true, allow_no_indices: true });
    return found.hits.hits.map((hit) => ({ id: hit._id, source: hit._source as Record<string, unknown> }));
  };
  /** The events stream has nothing left for the indexer: delivered and acknowledged. */
  const indexerDrained = async () => {
    const redis = createRedis(stack.env.REDIS_URL, 'worker', 'e2e-abuse-check');
    try {
      const groups = (await redis.xinfo('GROUPS', stack.env.EVENTS_STREAM)) as unknown[][];
      const indexer = groups.map((g) => Object.fromEntries(chunk(g))).find((g) => g.name === 'indexer');
      if (indexer === undefined || Number(indexer.pending) !== 0) return false;
      if (indexer.lag !== null && indexer.lag !== undefined) return Number(indexer.lag) === 0;
      // Redis cannot tell the lag (the stream was trimmed): compare the last delivered id instead.
      const stream = Object.fromEntries(chunk((await redis.xinfo('STREAM', stack.env.EVENTS_STREAM)) as unknown[]));
      return indexer['last-delivered-id'] === stream['last-generated-id'];
    } finally {
      redis.disconnect();
    }
  };
  const expectRefusedCleanly = (answer: Answer, status?: number) => {
    const seen = { status: answer.status, errorShape: isErrorShape(answer), raw: rawBackendText.test(answer.text), answer: answer.text.slice(0, 400) };
    expect(seen).toEqual({ ...seen, status: status ?? (answer.status >= 400 && answer.status < 500 ? answer.status : 'a 4xx'), errorShape: true, raw: false });
  };

  beforeAll(async () => {
    stack = await AbuseStack.start({ FORWARDER_KEY_CACHE_MAX_ENTRIES: String(cacheBound), HTTP_BODY_LIMIT_BYTES: String(256 * 1024) });
    seed = await stack.seed();
  });

  afterAll(async () => {
    await stack?.close();
    await es.close();
  });

  describe('1. the member stamp cannot be bypassed', () => {
    it("stores an event posted with member A's key under A only, whatever spelling of a stamped field it carries", async () => {
      const forged = [
        { 'organization.id': memberB },
        { organization: { id: memberB } },
        { 'organization.id': memberB, 'organization.name': 'Odense Kommune' },
        { organization: { id: memberB, name: 'Odense Kommune' }, 'organization.id': memberB },
        { 'event.id': 'forged-event-id' },
        { event: { id: 'forged-event-id-2', ingested: '2000-01-01T00:00:00.000Z' } },
        { 'event.ingested': '2000-01-01T00:00:00.000Z' },
      ];
      const ips = forged.map((_, i) => `198.18.1.${i + 1}`);
      const answers = await Promise.all(
        forged.map((fields, i) => ingest(seed.keyOfA.key, JSON.stringify({ '@timestamp': now(), message: `forged ${i}`, source: { ip: ips[i] }, ...fields }))),
      );
      const accepted = ips.filter((_, i) => answers[i]!.status === 202);
      answers.filter((a) => a.status !== 202).forEach((a) => expectRefusedCleanly(a, 400));
      await waitFor(
        async () => (await stored({ terms: { 'source.ip': accepted } })).length === accepted.length,
        60_000,
        () => stack.logs,
      );
      const docs = await stored({ terms: { 'source.ip': ips } });
      const seen = docs.map((d) => ({
        ip: (d.source.source as { ip: string }).ip,
        organization: d.source.organization,
        flat: d.source['organization.id'] ?? null,
      }));
      expect(seen.sort((a, b) => a.ip.localeCompare(b.ip))).toEqual(
        [...accepted].sort().map((ip) => ({ ip, organization: expect.objectContaining({ id: memberA }), flat: null })),
      );
      expect(await stored({ bool: { filter: [{ terms: { 'source.ip': ips } }, { term: { 'organization.id': memberB } }] } })).toEqual([]);
      for (const doc of docs) {
        expect(doc.id).not.toMatch(/^forged-event-id/);
        expect(JSON.stringify(doc.source)).not.toContain('2000-01-01T00:00:00.000Z');
        expect(JSON.stringify(doc.source)).not.toContain(memberB);
      }
    });
  });

  describe('2. an event Elasticsearch cannot index is refused at the door, never backlog', () => {
    // Under a field no schema or mapping knows, so only the depth itself can refuse it.
    const deep = (levels: number) => `{"@timestamp":"${now()}","message":"deep","vendor_extra":${'{"x":'.repeat(levels)}1${'}'.repeat(levels)}}`;
    it.each([
      ['http.response.status_code', () => JSON.stringify({ '@timestamp': now(), 'http.response.status_code': 'abc' })],
      ['http.response.status_code', () => JSON.stringify({ '@timestamp': now(), http: { response: { status_code: 'abc' } } })],
      ['winlog.channel', () => JSON.stringify({ '@timestamp': now(), 'winlog.channel': {} })],
      ['winlog.channel', () => JSON.stringify({ '@timestamp': now(), winlog: { channel: { nested: true } } })],
    ])('answers 400 naming %s for a value of the wrong type', async (field, body) => {
      const answer = await ingest(seed.keyOfA.key, body());
      expectRefusedCleanly(answer, 400);
      expect(answer.text).toContain(field);
    });

    it.each([1_000, 10_000])('answers 400 to an event nested %i levels deep (never 202 or 503)', async (levels) => {
      expectRefusedCleanly(await ingest(seed.keyOfA.key, deep(levels)), 400);
    });

    it("still accepts member B's events afterwards: nothing of A's became backlog", async () => {
      const answer = await ingest(seed.keyOfB.key, JSON.stringify({ '@timestamp': now(), message: 'after the attack', source: { ip: '198.18.2.1' } }));
      expect({ status: answer.status, body: answer.text }).toEqual({ status: 202, body: '{"accepted":1}' });
      await waitFor(indexerDrained, 60_000, () => stack.logs);
    });
  });

  describe('3. no request can create unbounded indices', () => {
    it(`keeps ${yearEvents} events of distinct years to a few indices`, async () => {
      const before = await es.cat.indices({ index: eventsIndices(), format: 'json' }).catch(() => []);
      const lines = Array.from({ length: yearEvents }, (_, i) => {
        const year = i === 0 ? 0 : i === 1 ? 9999 : 1000 + i;
        return JSON.stringify({ '@timestamp': `${String(year).padStart(4, '0')}-06-15T12:00:00.000Z`, message: `year ${year}`, source: { ip: '198.18.3.1' } });
      });
      const answer = await ingest(seed.keyOfA.key, lines.join('\n'));
      if (answer.status === 202) {
        // Accepted, each must be indexed (at its arrival time, the claimed time kept: docs/INGEST.md).
        await waitFor(
          async () => (await refresh(), await es.count({ index: eventsIndices(), query: { term: { 'source.ip': '198.18.3.1' } } })).count === yearEvents,
          120_000,
          () => stack.logs,
        );
      } else {
        expectRefusedCleanly(answer, 400);
      }
      await waitFor(indexerDrained, 120_000, () => stack.logs);
      const after = (await es.cat.indices({ index: eventsIndices(), format: 'json' })) as Array<{ index: string }>;
      expect(after.length - (before as unknown[]).length).toBeLessThanOrEqual(2);
    });
  });

  describe('4. KL statistics cannot be differenced', () => {
    // KL only sees final days (weeks old), which the collector re-times to arrival: the old days
    // are written into the events indices directly, as forwarders' history would have been.
    const day = '2026-03-03';
    const nextDay = '2026-03-04';
    const byRegion = (region: string, n: number) =>
      municipalities
        .filter((m) => m.region_code === region)
        .slice(0, n)
        .map((m) => m.code);
    const published = ['1081', '1082', '1083', '1084'].flatMap((r) => byRegion(r, 6));
    const small = byRegion('1085', 2);
    const smallAttempts = 7;
    const kl = () => asRole('kl_reporter');
    const cellsOf = async (path: string) => {
      const answer = await get('alerting', path, kl());
      expect({ path, status: answer.status, body: answer.text.slice(0, 300) }).toEqual({ path, status: 200, body: expect.any(String) });
      return (answer.json as { cells: Array<{ bucket: string; group: string; suppressed: boolean; attempts?: number; share_above_threshold?: number }> }).cells;
    };

    beforeAll(async () => {
      const names = new IndexNames(stack.env.INDEX_PREFIX);
      const attempt = (d: string, code: string, i: number) => [
        { index: { _index: names.eventsIndexFor(`${d}T10:00:00.000Z`) } },
        {
          '@timestamp': `${d}T10:00:${String(i % 60).padStart(2, '0')}.000Z`,
          organization: { id: code },
          event: { category: ['authentication'], outcome: 'failure' },
          source: { ip: '203.0.113.9' },
        },
      ];
      const operations = [
        ...published.flatMap((code, n) => Array.from({ length: 1 + (n % 4) * 10 }, (_, i) => attempt(day, code, i)).flat()),
        // The small region: 3 + 4 attempts, from 2 municipalities (withheld: fewer than 5).
        ...small.flatMap((code, n) => Array.from({ length: 3 + n }, (_, i) => attempt(day, code, i)).flat()),
        // The next day: 3 municipalities only (withheld nationally).
        ...published.slice(0, 3).flatMap((code) => Array.from({ length: 5 }, (_, i) => attempt(nextDay, code, i)).flat()),
      ];
      const result = await es.bulk({ operations, refresh: true });
      expect(result.errors).toBe(false);
    });

    it('national total minus the published regions does not give the withheld region', async () => {
      const [national] = (await cellsOf(`/v1/statistics/attempts?from=${day}&to=${day}`)).filter((c) => c.group === 'all');
      const regions = (await cellsOf(`/v1/statistics/regions?from=${day}&to=${day}`)).filter((c) => c.bucket === day);
      expect(regions.find((c) => c.group === '1085')?.suppressed).toBe(true);
      if (!national!.suppressed) {
        const difference = national!.attempts! - regions.filter((c) => !c.suppressed).reduce((sum, c) => sum + c.attempts!, 0);
        expect({ difference, withheldRegions: regions.filter((c) => c.suppressed).length }).not.toEqual({ difference: smallAttempts, withheldRegions: 1 });
        expect(difference).not.toBe(smallAttempts);
      }
    });

    it('a two-day period minus one day does not give the withheld day', async () => {
      const days = await cellsOf(`/v1/statistics/attempts?from=${day}&to=${nextDay}`);
      expect(days.find((c) => c.bucket === nextDay)?.suppressed).toBe(true);
      for (const granularity of ['period', 'week']) {
        const answer = await get('alerting', `/v1/statistics/attempts?from=${day}&to=${nextDay}&granularity=${granularity}`, kl());
        if (answer.status === 200) {
          // Published, the two-day cell minus the published day would be the withheld day.
          const cells = (answer.json as { cells: Array<{ suppressed: boolean }> }).cells;
          expect({ granularity, published: cells.filter((c) => !c.suppressed) }).toEqual({ granularity, published: [] });
        } else {
          expectRefusedCleanly(answer, 400);
        }
      }
    });

    it('sweeping the threshold recovers nothing: refused by name, or one answer whatever it asks', async () => {
      const answers = await Promise.all(
        [0, 1, 3, 5, 10, 20, 40].map((t) => get('alerting', `/v1/statistics/attempts?from=${day}&to=${day}&threshold=${t}`, kl())),
      );
      const accepted = answers.filter((a) => a.status === 200).map((a) => JSON.stringify((a.json as { cells: unknown }).cells));
      for (const answer of answers.filter((a) => a.status !== 200)) {
        expectRefusedCleanly(answer, 400);
        expect(answer.text).toContain('threshold');
      }
      expect(new Set(accepted).size).toBeLessThanOrEqual(1);
    });
  });

  describe('5. a shared object shown to a member reveals nothing of another member', () => {
    it("lists to member A the global exception made from B's alert without B's alert id, member or address", async () => {
      const answer = await get('alerting', '/exceptions', asRole('member', { member_id: memberA }));
      expect(answer.status).toBe(200);
      const listed = (answer.json as { exceptions: Array<{ id: string }> }).exceptions;
      expect(listed.map((e) => e.id)).toContain(seed.globalExceptionFromB);
      expect(listed.map((e) => e.id)).not.toContain(seed.exceptionOfB);
      expect(leakedMarkers(answer.text, [seed.alertOfB, attackerOfB, memberB, ...seed.eventIdsOfB])).toEqual([]);
    });
  });

  describe('6. unknown forwarder keys cannot grow the collector', () => {
    it(`keeps 20,000 random keys' look-ups within the cache bound (${cacheBound}), visible at /metrics`, async () => {
      const answers = await inPool(
        Array.from(
          { length: 20_000 },
          () => () => send(stack.url('collector', '/v1/ingestion/health'), { headers: { authorization: `ApiKey ${randomBytes(24).toString('base64url')}` } }),
        ),
        32,
      );
      expect([...new Set(answers.map((a) => a.status))]).toEqual([401]);
      const metrics = (await send(stack.url('collector', '/metrics'))).text;
      const entries = /^soc_forwarder_key_cache_entries (\d+)/m.exec(metrics);
      expect({
        gauge: entries
          ? 'present'
          : metrics
              .split('\n')
              .filter((l) => /cache/i.test(l))
              .join('\n') || 'no cache gauge at /metrics',
      }).toEqual({ gauge: 'present' });
      expect(Number(entries![1])).toBeGreaterThan(0);
      expect(Number(entries![1])).toBeLessThanOrEqual(cacheBound);
      expect((await ingest(seed.keyOfA.key, JSON.stringify({ '@timestamp': now(), message: 'still works' }))).status).toBe(202);
    });
  });

  describe('7. tokens', () => {
    const bearerRoutes: Array<[AppName, string]> = [
      ['alerting', '/alerts'],
      ['correlator', '/v1/indicators'],
      ['collector', '/v1/ingestion/health'],
    ];
    const tokens = () => {
      const secret = stack.env.JWT_SECRET;
      const nowSeconds = Math.floor(Date.now() / 1000);
      return {
        'a member that does not exist': signToken(secret, { sub: 'x', role: 'member', member_id: '9999' }),
        'shared-soc as member': signToken(secret, { sub: 'x', role: 'member', member_id: 'shared-soc' }),
        'global as member': signToken(secret, { sub: 'x', role: 'member', member_id: 'global' }),
        'no exp': jwt.sign({ iss: 'soc-cli', aud: 'soc-api', iat: nowSeconds, sub: 'x', role: 'soc_admin' }, secret, { algorithm: 'HS256' }),
        'a lifetime of ten years': signToken(secret, { sub: 'x', role: 'soc_admin' }, 10 * 365 * 86_400),
        'alg none': `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: 'soc-cli', aud: 'soc-api', iat: nowSeconds, exp: nowSeconds + 60, sub: 'x', role: 'soc_admin' })).toString('base64url')}.`,
      };
    };

    it.each(['a member that does not exist', 'shared-soc as member', 'global as member', 'no exp', 'a lifetime of ten years', 'alg none'] as const)(
      'answers 401 to a token with %s at the collector, the correlator and alerting',
      async (name) => {
        const token = tokens()[name];
        for (const [app, path] of bearerRoutes) {
          const answer = await get(app, path, { authorization: `Bearer ${token}` });
          expect({ app, path, status: answer.status, errorShape: isErrorShape(answer) }).toEqual({ app, path, status: 401, errorShape: true });
        }
      },
    );

    // `test`, not only `production`: every environment but development must bring its own secret.
    it.each(['collector', 'correlator', 'alerting'] as const)('refuses to start %s outside development (NODE_ENV=test) without JWT_SECRET', async (app) => {
      // Its own free port: a start-up that got past the configuration must not fail on a taken port instead.
      const { JWT_SECRET: _unset, ...env } = stack.env;
      const child = new AppProcess(app, { ...env, NODE_ENV: 'test', [`${app.toUpperCase()}_PORT`]: String(await freePort()) }).start();
      try {
        let code: number | null | undefined;
        void child.exited!.then((c) => (code = c));
        await waitFor(
          () => code !== undefined,
          30_000,
          () => `${app} still running without JWT_SECRET:\n${child.log}`,
        );
        expect(code).not.toBe(0);
        expect(child.log).toContain('JWT_SECRET');
      } finally {
        await child.kill('SIGKILL');
      }
    });
  });

  describe('8. every error in the documented shape, no back-end text, no 500 on bad input', () => {
    const analyst = () => asRole('soc_analyst');

    it.each([
      ['alerting', '/alerts?size=500&page=21'],
      ['alerting', '/alerts?search_after=abc'],
      ['alerting', `/alerts?search_after=${encodeURIComponent('[{"a":1},"x",[1,2]]')}`],
      ['alerting', `/alerts?search_after=${encodeURIComponent('["1","abc"]')}`],
      ['correlator', '/v1/indicators?cursor=99999999999999999999999999'],
      ['correlator', '/v1/indicators?limit=abc'],
    ] as const)('answers %s %s with a documented 4xx', async (app, path) => {
      expectRefusedCleanly(await get(app, path, analyst()));
    });

    it('answers a Latin-1 body with one documented 400, the same plain or gzipped, not a Content-Length error', async () => {
      const latin1 = Buffer.from(JSON.stringify({ '@timestamp': now(), message: 'Login fejlede for bruger søren på Århus' }), 'latin1');
      const plain = await ingest(seed.keyOfA.key, latin1, { 'content-type': 'application/json' });
      const gzipped = await ingest(seed.keyOfA.key, gzipSync(latin1), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      expectRefusedCleanly(plain, 400);
      expect(plain.text).not.toMatch(/content-length/i);
      expect({ status: gzipped.status, error: (gzipped.json as { error?: string } | undefined)?.error }).toEqual({
        status: 400,
        error: (plain.json as { error: string }).error,
      });
    });

    it('answers a plain body over the limit with 413 in the documented shape', async () => {
      const line = JSON.stringify({ '@timestamp': now(), message: 'x'.repeat(1_000) });
      const body = Array.from({ length: 400 }, () => line).join('\n');
      expectRefusedCleanly(await ingest(seed.keyOfA.key, body), 413);
    });

    it('refuses an exception without conditions (it would suppress a rule at every member)', async () => {
      const answer = await send(stack.url('alerting', '/exceptions'), {
        method: 'POST',
        headers: asRole('soc_admin'),
        body: {
          scope: { kind: 'global' },
          rule_id: 'f25b0cb0-0df5-4459-86a3-6ecc84289693',
          conditions: [],
          owner: 'soc',
          reason: 'abuse suite',
          expires_at: '2099-01-01T00:00:00Z',
        },
      });
      expectRefusedCleanly(answer, 400);
      expect(answer.text).toContain('conditions');
    });

    it('never answers 500 to a random path id, query or body (a small seeded sample; the fuzzers go further)', async () => {
      const probes: Array<[AppName, string, string, string?]> = [
        ['alerting', 'GET', `/alerts/${encodeURIComponent('../../_cat/indices')}`],
        ['alerting', 'GET', `/alerts/${'x'.repeat(5_000)}`],
        ['alerting', 'POST', `/alerts/${randomUUID()}/status`, '{"status":{"$ne":1}}'],
        ['alerting', 'POST', '/alerts/bulk', '[1,2,3]'],
        ['alerting', 'POST', '/exceptions', '{"scope":null}'],
        ['collector', 'DELETE', `/v1/admin/forwarder-keys/${encodeURIComponent('*')}`],
        ['correlator', 'GET', `/v1/indicators/${encodeURIComponent('ip:999.1.1.1')}`],
      ];
      for (const [app, method, path, body] of probes) {
        const answer = await send(stack.url(app, path), { method, headers: asRole('soc_admin'), body });
        expect({ app, method, path: path.slice(0, 60), status: answer.status < 500, shape: answer.status < 400 || isErrorShape(answer) }).toEqual({
          app,
          method,
          path: path.slice(0, 60),
          status: true,
          shape: true,
        });
      }
    });
  });
});

function chunk(values: unknown[]): Array<[string, unknown]> {
  const pairs: Array<[string, unknown]> = [];
  for (let i = 0; i + 1 < values.length; i += 2) pairs.push([String(values[i]), values[i + 1]]);
  return pairs;
}
