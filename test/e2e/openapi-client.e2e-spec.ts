import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { alertingClient, collectorClient, correlatorClient } from '@soc/api-client';
import { memberB, signToken } from './support/abuse-principals';
import { AbuseStack, type SeededObjects } from './support/abuse-stack';
import { failedSshLogins } from './support/events';
import type { AppName } from './support/stack';

/**
 * The generated client (libs/api-client) as the console uses it: member B's token (and B's
 * forwarder key for ingest) calls every route of the three committed OpenAPI documents that a
 * member may call, against the running apps; each answer has the documented status and a body
 * that matches the documented schema (Ajv, JSON Schema 2020-12). The list of routes called is
 * compared with the documents, so a member route added later fails here until it is called.
 */
type Operation = { responses: Record<string, { content?: Record<string, { schema?: object }> }>; 'x-auth': string; 'x-roles'?: string[] };
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, object> } };

const apps: AppName[] = ['collector', 'correlator', 'alerting'];
const documents = Object.fromEntries(
  apps.map((app) => [app, JSON.parse(readFileSync(join(__dirname, '../../libs/api-client/openapi', `${app}.json`), 'utf8')) as Document]),
) as Record<AppName, Document>;

/** What a member may call: open routes, member-role routes, forwarder-key routes. */
const memberRoutes = apps.flatMap((app) =>
  Object.entries(documents[app].paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([, op]) => op['x-auth'] === 'none' || op['x-auth'].startsWith('forwarder-key') || (op['x-roles'] ?? []).includes('member'))
      .map(([method]) => `${app} ${method.toUpperCase()} ${path}`),
  ),
);

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
for (const app of apps) ajv.addSchema({ $id: `${app}.json`, components: documents[app].components });

describe('the generated API client: a member calls every route it may, and gets the documented answers', () => {
  let stack: AbuseStack;
  let seed: SeededObjects;
  const called = new Set<string>();

  /** Asserts the documented status and that the body matches the documented schema of that answer. */
  const expectDocumented = (app: AppName, method: string, path: string, status: number, result: { response: Response; data?: unknown; error?: unknown }) => {
    const name = `${app} ${method} ${path}`;
    called.add(name);
    expect({ name, status: result.response.status }).toEqual({ name, status });
    const answer = documents[app].paths[path]![method.toLowerCase()]!.responses[String(status)];
    expect(answer).toBeDefined();
    const type = (result.response.headers.get('content-type') ?? '').split(';')[0]!;
    const schema = answer!.content?.[type]?.schema;
    if (!answer!.content) return;
    expect({ name, type, documented: Boolean(schema) }).toEqual({ name, type, documented: true });
    if (type !== 'application/json') return;
    // The document's `#/components/...` references resolve against the app's registered components.
    const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${app}.json#/components/`)));
    const body = result.data ?? result.error;
    expect({ name, errors: validate(body) ? null : validate.errors }).toEqual({ name, errors: null });
  };

  beforeAll(async () => {
    stack = await AbuseStack.start();
    seed = await stack.seed();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('calls every member route of the documents with B token and key, each answer as documented', async () => {
    const token = signToken(stack.env.JWT_SECRET, { sub: 'client-b', role: 'member', member_id: memberB });
    const alerting = alertingClient(stack.apps.alerting.url, { token });
    const collector = collectorClient(stack.apps.collector.url, { token });
    const collectorByKey = collectorClient(stack.apps.collector.url, { forwarderKey: seed.keyOfB.key });
    const correlator = correlatorClient(stack.apps.correlator.url);
    const alertId = seed.alertOfB;
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

    expectDocumented('alerting', 'GET', '/alerts', 200, await alerting.GET('/alerts', { params: { query: { size: 10 } } }));
    expectDocumented('alerting', 'GET', '/alerts/{id}', 200, await alerting.GET('/alerts/{id}', { params: { path: { id: alertId } } }));
    expectDocumented('alerting', 'GET', '/alerts/{id}', 404, await alerting.GET('/alerts/{id}', { params: { path: { id: 'openapi-client-missing' } } }));
    expectDocumented(
      'alerting',
      'POST',
      '/alerts/{id}/status',
      200,
      await alerting.POST('/alerts/{id}/status', { params: { path: { id: alertId } }, body: { status: 'acknowledged' } }),
    );
    expectDocumented(
      'alerting',
      'POST',
      '/alerts/{id}/assign',
      200,
      await alerting.POST('/alerts/{id}/assign', { params: { path: { id: alertId } }, body: { assignee: 'client-b' } }),
    );
    expectDocumented(
      'alerting',
      'POST',
      '/alerts/{id}/comments',
      201,
      await alerting.POST('/alerts/{id}/comments', { params: { path: { id: alertId } }, body: { text: 'seen by B' } }),
    );
    expectDocumented(
      'alerting',
      'POST',
      '/alerts/bulk',
      200,
      await alerting.POST('/alerts/bulk', { body: { action: 'status', ids: [alertId], status: 'in_progress' } }),
    );
    // A body the route refuses: 400 with the shared Error shape (`problems` naming the field).
    expectDocumented(
      'alerting',
      'POST',
      '/alerts/bulk',
      400,
      await alerting.POST('/alerts/bulk', { body: { action: 'status', ids: [], status: 'in_progress' } }),
    );
    expectDocumented('alerting', 'GET', '/alerts/{id}/audit', 200, await alerting.GET('/alerts/{id}/audit', { params: { path: { id: alertId } } }));
    expectDocumented('alerting', 'GET', '/exceptions', 200, await alerting.GET('/exceptions'));
    expectDocumented('alerting', 'GET', '/webhooks/dead-letters', 200, await alerting.GET('/webhooks/dead-letters', { params: { query: { size: 10 } } }));
    expectDocumented('alerting', 'GET', '/webhooks/deliveries', 200, await alerting.GET('/webhooks/deliveries', { params: { query: { size: 10 } } }));
    expectDocumented(
      'alerting',
      'GET',
      '/v1/statistics/benchmark',
      200,
      await alerting.GET('/v1/statistics/benchmark', { params: { query: { from: day, to: day } } }),
    );
    // The live stream (server-sent events, the console's queue): asked for, it is documented and its
    // body, which does not end, is not read; not asked for (no Accept: text/event-stream), a 406.
    const live = await alerting.GET('/live/alerts', { parseAs: 'stream', headers: { accept: 'text/event-stream' } });
    expectDocumented('alerting', 'GET', '/live/alerts', 200, live);
    await live.response.body?.cancel();
    expectDocumented('alerting', 'GET', '/live/alerts', 406, await alerting.GET('/live/alerts'));

    const ingest = await collectorByKey.POST('/v1/events', {
      body: failedSshLogins(2, '198.51.100.200', new Date(Date.now() - 60_000)),
      bodySerializer: (body: unknown) => body as string,
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expectDocumented('collector', 'POST', '/v1/events', 202, ingest);
    expectDocumented('collector', 'GET', '/v1/ingestion/health', 200, await collector.GET('/v1/ingestion/health'));
    // B's own forwarder keys: created, listed, rotated, revoked, the trail of it; another id is 404.
    const created = await collector.POST('/v1/forwarder-keys', { body: { label: 'client b', format: 'syslog' } });
    expectDocumented('collector', 'POST', '/v1/forwarder-keys', 201, created);
    expectDocumented('collector', 'POST', '/v1/forwarder-keys', 400, await collector.POST('/v1/forwarder-keys', { body: { member_id: memberB } as never }));
    expectDocumented('collector', 'GET', '/v1/forwarder-keys', 200, await collector.GET('/v1/forwarder-keys'));
    const rotated = await collector.POST('/v1/forwarder-keys/{id}/rotate', { params: { path: { id: created.data!.id } } });
    expectDocumented('collector', 'POST', '/v1/forwarder-keys/{id}/rotate', 201, rotated);
    expectDocumented(
      'collector',
      'POST',
      '/v1/forwarder-keys/{id}/rotate',
      404,
      await collector.POST('/v1/forwarder-keys/{id}/rotate', { params: { path: { id: created.data!.id } } }),
    );
    expectDocumented(
      'collector',
      'DELETE',
      '/v1/forwarder-keys/{id}',
      204,
      await collector.DELETE('/v1/forwarder-keys/{id}', { params: { path: { id: rotated.data!.id } } }),
    );
    expectDocumented('collector', 'GET', '/v1/forwarder-keys/audit', 200, await collector.GET('/v1/forwarder-keys/audit', { params: { query: { size: 10 } } }));

    for (const [app, client] of [
      ['collector', collector],
      ['correlator', correlator],
      ['alerting', alerting],
    ] as const) {
      // Open routes: the same paths on every app (the clients' path types say so).
      const open = client as unknown as ReturnType<typeof correlatorClient>;
      expectDocumented(app, 'GET', '/health/live', 200, await open.GET('/health/live'));
      expectDocumented(app, 'GET', '/health/ready', 200, await open.GET('/health/ready'));
      expectDocumented(app, 'GET', '/metrics', 200, await open.GET('/metrics', { parseAs: 'text' }));
      const served = await open.GET('/openapi.json');
      expectDocumented(app, 'GET', '/openapi.json', 200, served);
      // The running app serves the document the committed client was generated from.
      expect(served.data).toEqual(documents[app]);
    }

    expect([...called].sort()).toEqual([...memberRoutes].sort());
  });

  it("answers every GET route to soc_admin as its document says (the answer schemas hold on the SOC's routes too)", async () => {
    const headers = { authorization: `Bearer ${signToken(stack.env.JWT_SECRET, { sub: 'client-admin', role: 'soc_admin' })}` };
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const month = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 7);
    /** A real object for each kind of path id, and the query each route requires. */
    const ids: Record<string, string> = {
      alerts: seed.alertOfB,
      campaigns: seed.campaignOfB,
      indicators: seed.indicator,
      rules: seed.rule,
      'dead-letters': seed.deadLetterOfB,
    };
    const queries: Record<string, string> = {
      '/v1/statistics/benchmark': `from=${day}&to=${day}&member=${memberB}`,
      '/v1/statistics/report': `month=${month}`,
    };
    const adminGets = apps.flatMap((app) =>
      Object.entries(documents[app].paths)
        .filter(([, item]) => (item.get?.['x-roles'] ?? []).includes('soc_admin'))
        .map(([path]) => ({ app, path })),
    );
    expect(adminGets.length).toBeGreaterThan(20);
    for (const { app, path } of adminGets) {
      // The id's kind is the path segment before it: `/v1/indicators/{id}` names an indicator.
      const kind = path.split('/').find((_, i, segments) => segments[i + 1]?.startsWith('{')) ?? '';
      const concrete = path.replace(/\{\w+\}/, encodeURIComponent(ids[kind] ?? ''));
      const query = queries[path] ?? (path.startsWith('/v1/statistics/') ? `from=${day}&to=${day}` : '');
      // The live stream is asked for as a stream, and its body (it does not end) is not read.
      const stream = path === '/live/alerts';
      const response = await fetch(`${stack.apps[app].url}${concrete}${query ? `?${query}` : ''}`, {
        headers: stream ? { ...headers, accept: 'text/event-stream' } : headers,
      });
      const json = (response.headers.get('content-type') ?? '').startsWith('application/json');
      if (stream) await response.body?.cancel();
      expectDocumented(app, 'GET', path, 200, { response, data: json ? await response.json() : stream ? undefined : await response.arrayBuffer() });
    }
  });
});
