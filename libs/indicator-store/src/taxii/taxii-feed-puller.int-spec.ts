import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaxiiFeed } from '@soc/indicators';
import { createRedis, type Redis } from '@soc/redis';
import { readIndicatorFeed } from '../indicator-feed';
import { IndicatorRepository } from '../indicator.repository';
import { TaxiiFeedPuller, type TaxiiPullOutcome } from './taxii-feed-puller';
import { TaxiiFeedStateRepository } from './taxii-feed-state.repository';
import { TestTaxiiServer } from './taxii-server.testing';
import { redisUrl, uniqueName } from '../../../../test/support';

const examples = '/work/shared/data/threat-intel/stix21-oasis/cti-stix2-json-schemas/examples';
const objectsOf = (file: string): Record<string, unknown>[] =>
  (JSON.parse(readFileSync(join(examples, file), 'utf8')) as { objects: Record<string, unknown>[] }).objects;
const apt1 = objectsOf('threat-reports/apt1.json'); // 76 objects, 12 indicators (2 of them AND patterns)
const poisonIvy = objectsOf('threat-reports/poisonivy.json'); // 155 objects, 25 indicators
const privateC2 = objectsOf('indicator-for-c2-ip-address.json'); // [ipv4-addr:value = '10.0.0.0']
/** What importing the same objects as a STIX bundle file gives (`POST /v1/indicators/import?format=stix`). */
const asFileImport = (objects: Record<string, unknown>[]) =>
  readIndicatorFeed('stix', JSON.stringify({ type: 'bundle', id: 'bundle--file', objects }), 'OASIS examples');
const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));

const credentials = { username: 'soc', password: 'correct horse' };
const hour = 3_600_000;

describe(TaxiiFeedPuller.name, () => {
  let redis: Redis;
  let prefix: string;
  let server: TestTaxiiServer;
  let now: Date;
  const clients: Redis[] = [];

  const feedOf = (overrides: Partial<TaxiiFeed> = {}): TaxiiFeed => ({
    id: 'oasis',
    apiRoot: server.apiRoot,
    collectionId: server.collectionId,
    source: 'OASIS examples',
    intervalMs: hour,
    maxBackoffMs: 6 * hour,
    pageSize: 20,
    auth: { kind: 'basic', ...credentials },
    ...overrides,
  });
  /** One correlator replica: its own Redis connection, state repository and puller. */
  const replica = async () => {
    const client = createRedis(redisUrl, 'producer', 'taxii-test-replica');
    clients.push(client);
    // A producer client fails fast while it is not connected, as the correlator's does.
    if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
    const state = new TaxiiFeedStateRepository(client, prefix);
    const puller = new TaxiiFeedPuller(state, new IndicatorRepository(client, prefix), {
      requestTimeoutMs: 5_000,
      maxPagesPerPull: 100,
      now: () => now,
    });
    return { state, puller };
  };
  const indicators = () => new IndicatorRepository(redis, prefix);

  beforeAll(() => {
    redis = createRedis(redisUrl, 'worker', 'taxii-test');
  });
  beforeEach(async () => {
    prefix = uniqueName('test', ':');
    now = new Date('2026-06-01T12:00:00Z');
    server = await new TestTaxiiServer({ credentials }).start();
  });
  afterEach(async () => {
    await server.close();
    clients.splice(0).forEach((c) => c.disconnect());
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  });
  afterAll(() => redis.disconnect());

  it('imports the collection on the first pull, page by page, and stores the cursor', async () => {
    const lastAdded = server.add(apt1);
    const { puller, state } = await replica();

    const outcome = await puller.pullIfDue(feedOf());

    expect(outcome).toMatchObject({
      kind: 'succeeded',
      nextPullAt: new Date(now.getTime() + hour),
      report: { pages: 4, objects_read: 76, indicators_accepted: 10, refused: { reserved_address: 0, invalid: 2 }, truncated: false },
    });
    // Every page after the first followed the server's next token, with the same (absent) added_after.
    expect(server.objectRequests.map((r) => r.query)).toEqual([
      { limit: '20' },
      { limit: '20', next: '20' },
      { limit: '20', next: '40' },
      { limit: '20', next: '60' },
    ]);
    expect(await state.cursor('oasis')).toBe(lastAdded);
    expect(byId((await indicators().list({ limit: 1000 })).indicators)).toEqual(byId(asFileImport(apt1).indicators));
    const status = await state.status('oasis');
    expect(status).toMatchObject({
      consecutive_failures: 0,
      last_error: null,
      last_success_at: now.toISOString(),
      totals: { pulls_succeeded: 1, objects_read: 76 },
    });
  });

  it('brings only what was added since on the next pull, refusing a reserved address with the reason', async () => {
    server.add(apt1);
    const { puller, state } = await replica();
    await puller.pullIfDue(feedOf());
    const cursor = await state.cursor('oasis');

    const newest = server.add([...privateC2, ...poisonIvy]);
    expect(await puller.pullIfDue(feedOf())).toMatchObject({ kind: 'not_due' }); // the interval has not passed
    now = new Date(now.getTime() + hour);
    server.requests.length = 0;
    const outcome = await puller.pullIfDue(feedOf());

    expect(server.objectRequests[0]?.query).toEqual({ added_after: cursor, limit: '20' });
    const file = asFileImport([...privateC2, ...poisonIvy]);
    expect(outcome).toMatchObject({
      kind: 'succeeded',
      report: { pages: 8, objects_read: 156, indicators_accepted: file.indicators.length, refused: { reserved_address: 1, invalid: file.errors.length - 1 } },
    });
    // Stored exactly as the same objects imported as a bundle file would be.
    expect(await Promise.all(file.indicators.map((i) => indicators().get(i.id)))).toEqual(file.indicators);
    const report = (outcome as Extract<TaxiiPullOutcome, { kind: 'succeeded' }>).report;
    expect(report.refusals).toHaveLength(file.errors.length);
    expect(report.refusals).toContainEqual(expect.stringMatching(/^page 1: indicator--.*: 10\.0\.0\.0 is in the private range 10\.0\.0\.0\/8/));
    expect(report.refusals).toContainEqual(
      expect.stringMatching(/^page 3: objects\[4\]\.pattern \(indicator--.*\): file:name = 'CBricksDoc': unsupported object path 'file:name'$/),
    );
    expect(await indicators().get(String(privateC2[0]!['id']))).toBeUndefined();
    expect(await state.cursor('oasis')).toBe(newest);
    expect((await state.status('oasis')).totals).toMatchObject({
      pulls_succeeded: 2,
      objects_read: 232,
      refused_reserved_address: 1,
      refused_invalid: 2 + file.errors.length - 1,
    });
  });

  it('pages by X-TAXII-Date-Added-Last when the server gives more without next', async () => {
    await server.close();
    server = await new TestTaxiiServer({ credentials, pagination: 'date-added-last', maxPageSize: 50 }).start();
    server.add(poisonIvy);
    const { puller } = await replica();

    const outcome = await puller.pullIfDue(feedOf({ pageSize: 100 }));

    expect(outcome).toMatchObject({ kind: 'succeeded', report: { pages: 4, objects_read: 155 } });
    const afters = server.objectRequests.map((r) => r.query['added_after']);
    expect(afters[0]).toBeUndefined();
    expect(new Set(afters.slice(1)).size).toBe(3); // each page moved added_after on
    expect(byId((await indicators().list({ limit: 1000 })).indicators)).toEqual(byId(asFileImport(poisonIvy).indicators));
  });

  it('reports an authentication failure in the feed status and backs off', async () => {
    server.add(apt1);
    const { puller, state } = await replica();
    const wrong = feedOf({ auth: { kind: 'basic', username: 'soc', password: 'not-the-password-7f3a' } });

    const first = await puller.pullIfDue(wrong);
    expect(first).toMatchObject({ kind: 'failed', nextPullAt: new Date(now.getTime() + hour) });
    const status = await state.status('oasis');
    expect(status.last_error).toEqual({
      at: now.toISOString(),
      reason: `collection at ${server.apiRoot}collections/${server.collectionId}/: authentication failed · HTTP 401 Unauthorized · Unauthorized: missing or wrong credentials`,
    });
    expect(status).toMatchObject({ consecutive_failures: 1, last_success_at: null, totals: { pulls_failed: 1 } });
    expect(JSON.stringify(status)).not.toContain('not-the-password');

    now = new Date(now.getTime() + hour);
    expect(await puller.pullIfDue(wrong)).toMatchObject({ kind: 'failed', nextPullAt: new Date(now.getTime() + 2 * hour) });
    now = new Date(now.getTime() + 2 * hour);
    expect(await puller.pullIfDue(feedOf())).toMatchObject({ kind: 'succeeded', report: { indicators_accepted: 10 } });
    expect(await state.status('oasis')).toMatchObject({ consecutive_failures: 0, last_error: { reason: expect.stringContaining('HTTP 401') } });
  });

  it('resumes from the stored cursor after a restart', async () => {
    server.add(apt1);
    const before = await replica();
    await before.puller.pullIfDue(feedOf());
    const cursor = await before.state.cursor('oasis');
    clients.splice(0).forEach((c) => c.disconnect()); // the replica is gone

    server.add(privateC2);
    now = new Date(now.getTime() + hour);
    server.requests.length = 0;
    const after = await replica();
    const outcome = await after.puller.pullIfDue(feedOf());

    expect(server.objectRequests.map((r) => r.query)).toEqual([{ added_after: cursor, limit: '20' }]);
    expect(outcome).toMatchObject({ kind: 'succeeded', report: { objects_read: 1, refused: { reserved_address: 1 } } });
  });

  it('lets one replica pull a feed while another skips it', async () => {
    server.add(poisonIvy);
    const replicas = await Promise.all([replica(), replica(), replica()]);

    const outcomes = await Promise.all(replicas.map((r) => r.puller.pullIfDue(feedOf())));

    expect(outcomes.filter((o) => o.kind === 'succeeded')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind !== 'succeeded').every((o) => o.kind === 'locked' || o.kind === 'not_due')).toBe(true);
    expect(server.objectRequests).toHaveLength(8); // one pull's pages, not three
  });

  it('keeps the pages read before a failure, and the next pull resumes after them', async () => {
    server.add(apt1);
    server.failObjectsAfter = 2; // pages 1 and 2 answer, page 3 fails
    const { puller, state } = await replica();

    const outcome = await puller.pullIfDue(feedOf());

    expect(outcome).toMatchObject({
      kind: 'failed',
      reason: expect.stringMatching(/^objects at .*\/objects\/: HTTP 503 Service Unavailable · Service Unavailable: the collection is being rebuilt$/),
      report: { pages: 2, objects_read: 40 },
    });
    const cursor = await state.cursor('oasis');
    expect(cursor).toBeDefined();
    server.failObjectsAfter = undefined;
    server.requests.length = 0;
    now = new Date(now.getTime() + hour);
    const resumed = await puller.pullIfDue(feedOf());
    expect(server.objectRequests[0]?.query).toEqual({ added_after: cursor, limit: '20' });
    expect(resumed).toMatchObject({ kind: 'succeeded', report: { objects_read: 36 } });
    expect(byId((await indicators().list({ limit: 1000 })).indicators)).toEqual(byId(asFileImport(apt1).indicators));
  });

  it('stops at the page limit and continues from the cursor on the next look, without waiting an interval', async () => {
    server.add(apt1);
    const { state } = await replica();
    const client = clients.at(-1)!;
    const limited = new TaxiiFeedPuller(state, new IndicatorRepository(client, prefix), { requestTimeoutMs: 5_000, maxPagesPerPull: 2, now: () => now });

    expect(await limited.pullIfDue(feedOf())).toMatchObject({ kind: 'succeeded', nextPullAt: now, report: { pages: 2, objects_read: 40, truncated: true } });
    const cursor = await state.cursor('oasis');
    server.requests.length = 0;
    expect(await limited.pullIfDue(feedOf())).toMatchObject({ kind: 'succeeded', report: { pages: 2, objects_read: 36, truncated: false } });
    expect(server.objectRequests[0]?.query).toEqual({ added_after: cursor, limit: '20' });
    expect(byId((await indicators().list({ limit: 1000 })).indicators)).toEqual(byId(asFileImport(apt1).indicators));
  });

  it('reports a server it cannot reach', async () => {
    await server.close();
    const { puller, state } = await replica();

    const outcome = await puller.pullIfDue(feedOf());

    expect(outcome).toMatchObject({
      kind: 'failed',
      reason: expect.stringMatching(/^cannot read the collection at http:\/\/127\.0\.0\.1:\d+\/api1\/collections\/.*: ECONNREFUSED/),
    });
    expect((await state.status('oasis')).last_error?.reason).toBe((outcome as { reason: string }).reason);
  });
});
