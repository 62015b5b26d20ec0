import fc from 'fast-check';
import { memberA, signToken } from './support/abuse-principals';
import { AbuseStack, type SeededObjects } from './support/abuse-stack';
import { checkAsyncProperty } from './support/fuzz';
import { contractBreach, rawRequest } from './support/raw-http';
import { operationName, operationsOf, routeTables, sampleOf, type JsonSchema, type RouteOperation } from './support/route-table';
import { queryText } from './support/schema-fuzz';

/**
 * Property-based fuzzing (fast-check, seeded: FUZZ_SEED, docs/TESTING.md) of every route of the
 * three apps, taken from their route tables (OpenAPI documents), so a route added later is fuzzed
 * without editing this file: random path parameters (real ids of seeded alerts, exceptions,
 * indicators and keys among them), query strings and bodies, sent with a valid
 * credential the route accepts. The answer is never a 5xx (but a 503 with Retry-After) and every
 * 4xx is `{ error, message }`. `POST /v1/events` has its own fuzzing (fuzz-http-ingest).
 */
const operations = operationsOf(routeTables()).filter((op) => !(op.app === 'collector' && op.path === '/v1/events'));

/** Query parameter names of every route, and some no route has. */
const queryNames = [
  'size',
  'page',
  'from',
  'to',
  'member',
  'status',
  'severity',
  'rule',
  'q',
  'search_after',
  'cursor',
  'limit',
  'type',
  'source',
  'revoked',
  'format',
  'granularity',
  'threshold',
  'at',
  'unknown',
  '__proto__',
  'size[]',
  'a.b',
  '',
];

interface CallSpec {
  operation: string;
  role: string | undefined;
  pathParams: string[];
  /** The query string as sent (after '?'), raw. */
  query: string;
  body: string | undefined;
  contentType: string | undefined;
}

/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD, as a browser would send it). */
const encode = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
const hostilePathParam = fc.oneof(
  queryText.filter((t) => t.length > 0).map(encode),
  fc.constantFrom('%', '%zz', '%00', '..', '%2e%2e', 'x'.repeat(5000), 'alert-1', '0751', 'sockey_x'),
);
/** The ids of the seeded objects (filled in beforeAll), so that calls also reach the objects' handlers. */
const realIds: string[] = [];
const pathParam = fc.oneof(
  { weight: 3, arbitrary: hostilePathParam },
  { weight: 2, arbitrary: fc.nat().map((i) => encode(realIds[i % realIds.length] ?? 'none')) },
);
const queryPair = fc.tuple(fc.constantFrom(...queryNames), queryText).map(([name, value]) => `${encode(name)}=${encode(value)}`);
const query = fc.oneof(
  fc.array(queryPair, { maxLength: 5 }).map((pairs) => pairs.join('&')),
  fc.constantFrom('%', '=&=&', 'size=1&size=2', 'a[b][c]=1', 'size', '&&&', `q=${'%41'.repeat(3000)}`),
);

/** A JSON body built from the route's own body schema (its properties with hostile values), or any JSON, or not JSON. */
function bodyFor(schema: JsonSchema | undefined): fc.Arbitrary<string | undefined> {
  const properties = Object.keys((schema?.properties as Record<string, unknown> | undefined) ?? {});
  const value = fc.oneof(queryText, fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, [], {}, -1, 1e308));
  const shaped = fc
    .dictionary(properties.length > 0 ? fc.constantFrom(...properties, 'extra') : fc.string({ maxLength: 8 }), value, { maxKeys: 6 })
    .map((o) => JSON.stringify(o));
  // A valid body (the schema's own sample) with one property replaced or added: reaches the handler's deeper checks.
  const sample = sampleOf(schema);
  const nearValid = fc
    .tuple(fc.constantFrom(...properties, 'extra'), value)
    .map(([key, v]) => JSON.stringify(typeof sample === 'object' && sample !== null && !Array.isArray(sample) ? { ...sample, [key]: v } : v));
  return fc.oneof(
    { weight: 3, arbitrary: shaped },
    { weight: schema ? 3 : 0, arbitrary: nearValid },
    { weight: schema ? 1 : 0, arbitrary: fc.constant(JSON.stringify(sample)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, '', '{', '[1,', 'null', '"x"', 'a,b\n1,2', `{"a":${'['.repeat(5000)}`, '\u0000') },
  );
}

function callSpec(op: RouteOperation): fc.Arbitrary<CallSpec> {
  return fc.record({
    operation: fc.constant(operationName(op)),
    role: op.roles.length > 0 ? fc.constantFrom(...op.roles) : fc.constant(undefined),
    pathParams: fc.array(pathParam, { minLength: op.pathParams.length, maxLength: op.pathParams.length }),
    query,
    body: op.method === 'GET' || op.method === 'DELETE' ? fc.constant(undefined) : bodyFor(op.bodySchema),
    contentType: fc.constantFrom('application/json', 'application/json', 'text/csv', 'text/plain', 'application/x-www-form-urlencoded', undefined),
  });
}

describe('fuzzed queries and bodies on every API route', () => {
  let stack: AbuseStack;
  let seeded: SeededObjects;

  beforeAll(async () => {
    stack = await AbuseStack.start();
    seeded = await stack.seed();
    realIds.push(
      seeded.alertOfA,
      seeded.alertOfB,
      seeded.exceptionOfB,
      seeded.globalExceptionFromB,
      seeded.indicator,
      seeded.keyOfA.id,
      seeded.keyOfB.id,
      ...seeded.eventIdsOfB.slice(0, 1),
    );
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('covers the routes of all three apps', () => {
    expect(new Set(operations.map((op) => op.app))).toEqual(new Set(['collector', 'correlator', 'alerting']));
  });

  /** The credential a route accepts: a token of one of its roles, or the forwarder key. */
  const credentials = (op: RouteOperation, role: string | undefined): Record<string, string> => {
    if (op.auth === 'none') return {};
    if (op.auth === 'forwarder-key' || (op.auth === 'forwarder-key-or-bearer' && role === undefined)) return { authorization: `ApiKey ${seeded.keyOfA.key}` };
    const claims = role === 'member' ? { sub: 'fuzz-member', role, member_id: memberA } : { sub: `fuzz-${role}`, role };
    return { authorization: `Bearer ${signToken(stack.env.JWT_SECRET, claims)}` };
  };

  it('never answers a fuzzed request with a 5xx (but 503 with Retry-After), always {error, message} on 4xx, and stays up', async () => {
    const byName = new Map(operations.map((op) => [operationName(op), op]));
    /** Operations whose guards let the fuzzed call through, and those that answered 2xx: the calls are not all refused at the door. */
    const reachedHandler = new Set<string>();
    const succeeded = new Set<string>();
    await checkAsyncProperty(
      fc.asyncProperty(fc.oneof(...operations.map(callSpec)), async (spec) => {
        const op = byName.get(spec.operation)!;
        let path = op.path;
        op.pathParams.forEach((name, i) => (path = path.replace(`{${name}}`, spec.pathParams[i])));
        const headers = { ...credentials(op, spec.role), ...(spec.contentType && spec.body !== undefined ? { 'content-type': spec.contentType } : {}) };
        const url = stack.url(op.app, `${path}${spec.query ? `?${spec.query}` : ''}`);
        const answer = await rawRequest(url, op.method, headers, spec.body).catch((error: Error) => {
          throw new Error(`the connection failed: ${error.message}\ncall: ${JSON.stringify(spec).slice(0, 1500)}`);
        });
        if (answer.status !== 401 && answer.status !== 403) reachedHandler.add(spec.operation);
        if (answer.status < 300) succeeded.add(spec.operation);
        const breach = contractBreach(answer);
        if (breach) throw new Error(`${breach}\ncall: ${JSON.stringify(spec).slice(0, 1500)}`);
        const live = await fetch(stack.url(op.app, '/health/live')).catch(() => undefined);
        if (!live?.ok) throw new Error(`${op.app} is no longer live after ${JSON.stringify(spec).slice(0, 1500)}\n${stack.apps[op.app].log.slice(-2000)}`);
      }),
      200,
    );
    expect(reachedHandler.size).toBeGreaterThanOrEqual(Math.floor(operations.length / 2));
    expect(succeeded.size).toBeGreaterThan(0);
  });
});
