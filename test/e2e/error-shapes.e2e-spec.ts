import { gzipSync } from 'node:zlib';
import jwt from 'jsonwebtoken';
import { createRedis } from '@soc/redis';
import { createElasticsearchClient } from '@soc/storage';
import { isolatedEnv, type AppProcess } from './support/stack';
import { createForwarderKey, startServices } from './support/deployment-start';
import { removeIndices, removeRedisKeys } from './support/cleanup';

/** Words of Elasticsearch's and Redis's own error texts: none may reach a client. */
const backendText = /search_phase|_exception|Exception|Caused by|root_cause|Result window|\bERR\b|invalid cursor|ECONNREFUSED|Content-Length/;

const bodyLimitBytes = 4_096;
const cursorOf = (sort: unknown) => Buffer.from(JSON.stringify(sort)).toString('base64url');

interface Answer {
  status: number;
  headers: Headers;
  body: { error?: unknown; message?: unknown; [key: string]: unknown };
  text: string;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: Answer['body'] = {};
  try {
    body = JSON.parse(text) as Answer['body'];
  } catch {
    // asserted below: every error body is JSON
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** The documented error shape (docs/API.md, "Errors"), and nothing of a back-end in it. */
function expectErrorShape(answer: Answer, status: number, error: string): void {
  expect({ status: answer.status, error: answer.body.error }).toEqual({ status, error });
  expect(typeof answer.body.message).toBe('string');
  expect((answer.body.message as string).length).toBeGreaterThan(0);
  expect(answer.text).not.toMatch(backendText);
}

describe('error shapes: every error is {error, message}, bounded queries, no back-end text', () => {
  let env: Record<string, string>;
  let apps: AppProcess[] = [];
  let collector: AppProcess;
  let correlator: AppProcess;
  let alerting: AppProcess;
  let forwarderKey: string;
  let socAdmin: Record<string, string>;

  beforeAll(async () => {
    env = await isolatedEnv({ HTTP_BODY_LIMIT_BYTES: String(bodyLimitBytes) });
    ({ collector, correlator, alerting, apps } = await startServices(env));
    forwarderKey = await createForwarderKey(env, '0751');
    const token = jwt.sign({ sub: 'e2e-errors', role: 'soc_admin', iss: 'soc-cli', aud: 'soc-api' }, env.JWT_SECRET, { algorithm: 'HS256', expiresIn: 3600 });
    socAdmin = { authorization: `Bearer ${token}` };
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.kill()));
    const redis = createRedis(env.REDIS_URL, 'worker', 'e2e-cleanup');
    await removeRedisKeys(redis, env);
    redis.disconnect();
    const es = createElasticsearchClient(env.ELASTICSEARCH_URL);
    await removeIndices(es, env);
    await es.close();
  });

  describe('GET /alerts stays within what Elasticsearch can answer', () => {
    it('refuses size=500&page=21 (from + size past 10,000) with a 400 naming page', async () => {
      const answer = await call(`${alerting.url}/alerts?size=500&page=21`, { headers: socAdmin });
      expectErrorShape(answer, 400, 'invalid_query');
      expect(answer.body.problems).toEqual([{ path: 'page', message: expect.stringContaining('page × size must be at most 10000') }]);
    });

    it('still answers the deepest page inside the window (size=500&page=20)', async () => {
      const answer = await call(`${alerting.url}/alerts?size=500&page=20`, { headers: socAdmin });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ total: expect.any(Number), alerts: [] });
    });

    it.each([
      ['sort values of the wrong type', cursorOf(['abc', 'x'])],
      ['an object where a sort value belongs', cursorOf([{}, 'x'])],
      ['a number too large to be a time', cursorOf([1e300, 'x'])],
      ['three sort values', cursorOf([1, 'x', 2])],
      ['not base64 JSON at all', 'abc'],
    ])('refuses a cursor holding %s with 400 invalid_cursor', async (_name, cursor) => {
      const answer = await call(`${alerting.url}/alerts?search_after=${cursor}`, { headers: socAdmin });
      expectErrorShape(answer, 400, 'invalid_cursor');
      expect(answer.body).toEqual({ error: 'invalid_cursor', message: 'search_after: not a cursor returned as next_cursor', parameter: 'search_after' });
    });
  });

  describe('GET /v1/indicators (correlator) cursor', () => {
    it.each(['99999999999999999999999', '18446744073709551616', '-1', '1e3', '007'])(
      'refuses the cursor %s with 400 invalid_cursor, not a 500',
      async (cursor) => {
        const answer = await call(`${correlator.url}/v1/indicators?cursor=${cursor}`, { headers: socAdmin });
        expectErrorShape(answer, 400, 'invalid_cursor');
        expect(answer.body.parameter).toBe('cursor');
      },
    );

    it('accepts the largest cursor Redis can hand out (2^64 - 1)', async () => {
      const answer = await call(`${correlator.url}/v1/indicators?cursor=18446744073709551615`, { headers: socAdmin });
      expect(answer.status).toBe(200);
    });
  });

  describe('POST /v1/events (collector) bodies', () => {
    const ingest = (body: Buffer, gzip: boolean) =>
      call(`${collector.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `ApiKey ${forwarderKey}`, 'content-type': 'application/x-ndjson', ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
        body: gzip ? gzipSync(body) : body,
      });
    const line = '{"message":"login from København","event":{"kind":"event"}}';

    it('refuses a Latin-1 body with 400 invalid_encoding at the same byte offset, plain or gzipped', async () => {
      const latin1 = Buffer.from(line, 'latin1');
      const offset = latin1.indexOf(0xf8);
      for (const gzip of [false, true]) {
        const answer = await ingest(latin1, gzip);
        expectErrorShape(answer, 400, 'invalid_encoding');
        expect(answer.body).toMatchObject({ offset, message: expect.stringContaining(`offset ${offset}`) });
      }
    });

    it('accepts the same event in UTF-8, plain or gzipped', async () => {
      for (const gzip of [false, true]) expect((await ingest(Buffer.from(line, 'utf8'), gzip)).status).toBe(202);
    });

    it('answers a plain body over HTTP_BODY_LIMIT_BYTES with 413 payload_too_large, like a gzipped one', async () => {
      const big = Buffer.from(`${line}\n`.repeat(Math.ceil(bodyLimitBytes / line.length) + 1));
      const plain = await ingest(big, false);
      expectErrorShape(plain, 413, 'payload_too_large');
      expect(plain.body.message).toBe(`the request body is larger than ${bodyLimitBytes} bytes`);
      expectErrorShape(await ingest(big, true), 413, 'payload_too_large');
    });
  });

  /**
   * Every query parameter and body of the routes in this helper's care, with a bad value each:
   * 400 in the documented shape, never a 5xx or a back-end's text.
   */
  describe('every parameter of every route refuses a bad value with a 400', () => {
    const alertId = 'a'.repeat(40) + '-1';
    const cases: Array<[string, () => string, string, string, RequestInit?]> = [
      // alerting
      ['GET /alerts member=[]', () => alerting.url, '/alerts?member=a&member=b', 'invalid_query'],
      ['GET /alerts status', () => alerting.url, '/alerts?status=open', 'invalid_query'],
      ['GET /alerts severity', () => alerting.url, '/alerts?severity=urgent', 'invalid_query'],
      ['GET /alerts rule too long', () => alerting.url, `/alerts?rule=${'r'.repeat(201)}`, 'invalid_query'],
      ['GET /alerts from', () => alerting.url, '/alerts?from=yesterday', 'invalid_query'],
      ['GET /alerts to', () => alerting.url, '/alerts?to=2026-13-01T00:00:00Z', 'invalid_query'],
      ['GET /alerts q too long', () => alerting.url, `/alerts?q=${'q'.repeat(201)}`, 'invalid_query'],
      ['GET /alerts size', () => alerting.url, '/alerts?size=501', 'invalid_query'],
      ['GET /alerts size not a number', () => alerting.url, '/alerts?size=ten', 'invalid_query'],
      ['GET /alerts page', () => alerting.url, '/alerts?page=0', 'invalid_query'],
      ['GET /alerts unknown parameter', () => alerting.url, '/alerts?sort=asc', 'invalid_query'],
      [
        'POST /alerts/bulk id too long',
        () => alerting.url,
        '/alerts/bulk',
        'invalid_body',
        { method: 'POST', body: JSON.stringify({ action: 'assign', ids: ['x'.repeat(513)], assignee: null }) },
      ],
      [
        'POST /alerts/bulk action',
        () => alerting.url,
        '/alerts/bulk',
        'invalid_body',
        { method: 'POST', body: JSON.stringify({ action: 'delete', ids: ['x'] }) },
      ],
      [
        'POST /alerts/:id/status',
        () => alerting.url,
        `/alerts/${alertId}/status`,
        'invalid_body',
        { method: 'POST', body: JSON.stringify({ status: 'gone' }) },
      ],
      ['POST /alerts/:id/assign', () => alerting.url, `/alerts/${alertId}/assign`, 'invalid_body', { method: 'POST', body: JSON.stringify({ assignee: 7 }) }],
      ['POST /alerts/:id/comments', () => alerting.url, `/alerts/${alertId}/comments`, 'invalid_body', { method: 'POST', body: JSON.stringify({ text: '' }) }],
      ['POST /alerts/:id/comments not JSON', () => alerting.url, `/alerts/${alertId}/comments`, 'invalid_json', { method: 'POST', body: '{"text":' }],
      ['GET /queues/incidents size', () => alerting.url, '/queues/incidents?size=1001', 'invalid_query'],
      ['GET /queues/incidents member=[]', () => alerting.url, '/queues/incidents?member=a&member=b', 'invalid_query'],
      ['GET /webhooks/dead-letters size', () => alerting.url, '/webhooks/dead-letters?size=-1', 'invalid_query'],
      // correlator
      ['GET /v1/indicators limit', () => correlator.url, '/v1/indicators?limit=1001', 'invalid_query'],
      ['GET /v1/indicators type', () => correlator.url, '/v1/indicators?type=colour', 'invalid_query'],
      ['GET /v1/indicators revoked', () => correlator.url, '/v1/indicators?revoked=maybe', 'invalid_query'],
      ['GET /v1/indicators q too long', () => correlator.url, `/v1/indicators?q=${'q'.repeat(201)}`, 'invalid_query'],
      ['GET /v1/indicators source=[]', () => correlator.url, '/v1/indicators?source=a&source=b', 'invalid_query'],
      ['POST /v1/indicators/import format', () => correlator.url, '/v1/indicators/import?format=xml', 'invalid_query', { method: 'POST', body: 'x' }],
      [
        'POST /v1/indicators/import body not UTF-8',
        () => correlator.url,
        '/v1/indicators/import?format=csv',
        'invalid_encoding',
        { method: 'POST', headers: { 'content-type': 'text/csv' }, body: Buffer.from('1.2.3.4,\xe6\n', 'latin1') },
      ],
      ['POST /v1/indicators/:id/expire at', () => correlator.url, '/v1/indicators/x/expire?at=soon', 'invalid_query', { method: 'POST' }],
      // collector
      ['GET /v1/ingestion/health member=[]', () => collector.url, '/v1/ingestion/health?member=a&member=b', 'invalid_query'],
      ['GET /v1/ingestion/health unknown parameter', () => collector.url, '/v1/ingestion/health?all=1', 'invalid_query'],
      ['GET /v1/admin/forwarder-keys member=[]', () => collector.url, '/v1/admin/forwarder-keys?member=a&member=b', 'invalid_query'],
      [
        'POST /v1/admin/forwarder-keys body',
        () => collector.url,
        '/v1/admin/forwarder-keys',
        'invalid_request',
        { method: 'POST', body: JSON.stringify({ member_id: 751 }) },
      ],
      ['POST /v1/admin/forwarder-keys not JSON', () => collector.url, '/v1/admin/forwarder-keys', 'invalid_request', { method: 'POST', body: '{' }],
    ];

    it.each(cases)('%s', async (_name, base, path, error, init = {}) => {
      const headers = {
        ...socAdmin,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(init.headers as Record<string, string> | undefined),
      };
      expectErrorShape(await call(`${base()}${path}`, { ...init, headers }), 400, error);
    });

    it.each([
      ['an unknown route', () => collector.url, '/v2/events', 404, 'not_found'],
      ['an over-long path parameter', () => alerting.url, `/alerts/${'a'.repeat(200)}`, 414, 'uri_too_long'],
      ['a bad percent-encoding', () => correlator.url, '/v1/indicators/%E0%A4%A', 400, 'invalid_url'],
    ])('answers %s in the same shape', async (_name, base, path, status, error) => {
      expectErrorShape(await call(`${base()}${path}`, { headers: socAdmin }), status, error);
    });

    it('answers another content type with 415 unsupported_media_type', async () => {
      const answer = await call(`${alerting.url}/alerts/bulk`, {
        method: 'POST',
        headers: { ...socAdmin, 'content-type': 'application/xml' },
        body: '<bulk/>',
      });
      expectErrorShape(answer, 415, 'unsupported_media_type');
    });
  });
});
