import { TokenIssuer } from '@soc/auth';
import { createRedis } from '@soc/redis';
import { createElasticsearchClient, IndexNames } from '@soc/storage';
import { AppProcess, freePort, isolatedEnv, waitFor } from './support/stack';
import { removeRedisKeys, removeIndices } from './support/cleanup';
import { elasticsearchUrl } from '../support';

/** The HTTP routes the running app mapped, read from Nest's start-up log (`Mapped {/path, GET} route`). */
function mappedRoutes(log: string): Array<{ method: string; path: string }> {
  return [...log.matchAll(/Mapped \{([^,}]+), (\w+)\} route/g)].map((m) => ({ path: m[1], method: m[2] }));
}

describe('statistics API: KL sees aggregates only', () => {
  let env: Record<string, string>;
  let alerting: AppProcess;
  let tokens: TokenIssuer;
  const es = createElasticsearchClient(elasticsearchUrl);

  beforeAll(async () => {
    // `info` so that Nest logs every route it maps: the test checks ALL of them, not a list.
    env = await isolatedEnv({ LOG_LEVEL: 'info' });
    tokens = new TokenIssuer(env.JWT_SECRET);
    alerting = new AppProcess('alerting', env).start();
    await alerting.waitReady();
    const names = new IndexNames(env.INDEX_PREFIX);
    // Failed logins from outside: 3 municipalities on 2 March (too few to publish), 6 on 3 March.
    const operations = [
      ...['0101', '0147', '0151'].map((id) => ['2026-03-02', id] as const),
      ...['0101', '0147', '0151', '0153', '0155', '0157'].map((id) => ['2026-03-03', id] as const),
    ].flatMap(([day, id]) => [
      { index: { _index: names.eventsIndexFor(day) } },
      {
        '@timestamp': `${day}T10:00:00.000Z`,
        organization: { id },
        event: { category: ['authentication'], outcome: 'failure' },
        source: { ip: '203.0.113.9' },
      },
    ]);
    const result = await es.bulk({ operations, refresh: true });
    expect(result.errors).toBe(false);
  });

  afterAll(async () => {
    await alerting.kill();
    // The app's queues leave BullMQ keys under this run's id.
    const redis = createRedis(env.REDIS_URL, 'worker', 'e2e-cleanup');
    await removeRedisKeys(redis, env);
    redis.disconnect();
    await removeIndices(es, env);
    await es.close();
  });

  const get = (path: string, role: 'kl_reporter' | 'soc_analyst' | 'member') =>
    fetch(`${alerting.url}${path}`, {
      headers: { authorization: `Bearer ${tokens.issue(role === 'member' ? { sub: 'm', role, member_id: '0101' } : { sub: role, role })}` },
    });

  it('answers 403 to a KL reporter on every alert, event and other non-statistics route the app maps', async () => {
    await waitFor(
      () => mappedRoutes(alerting.log).some((r) => r.path === '/v1/statistics/attempts'),
      10_000,
      () => alerting.log,
    );
    // /health and /metrics are open by design (probes and the Prometheus scrape, as in the other apps): no token is read.
    const open = (path: string) => path.startsWith('/health') || path === '/metrics';
    const routes = mappedRoutes(alerting.log).filter((r) => !r.path.startsWith('/v1/statistics') && !open(r.path));
    expect(routes).toEqual(
      expect.arrayContaining([
        { path: '/alerts', method: 'GET' },
        { path: '/alerts/:id', method: 'GET' },
      ]),
    );
    const kl = tokens.issue({ sub: 'kl', role: 'kl_reporter' });
    for (const route of routes) {
      const reply = await fetch(`${alerting.url}${route.path.replace(/:\w+/g, 'x')}`, {
        method: route.method,
        headers: { authorization: `Bearer ${kl}`, ...(route.method === 'GET' ? {} : { 'content-type': 'application/json' }) },
        ...(route.method === 'GET' ? {} : { body: '{}' }),
      });
      expect({ ...route, status: reply.status }).toEqual({ ...route, status: 403 });
    }
  });

  it('serves KL the statistics with the small day suppressed', async () => {
    const reply = await get('/v1/statistics/attempts?from=2026-03-02&to=2026-03-03', 'kl_reporter');
    expect(reply.status).toBe(200);
    const body = (await reply.json()) as { threshold: number; cells: Array<Record<string, unknown>> };
    expect(body.threshold).toBe(200);
    expect(body.cells).toEqual([
      { bucket: '2026-03-02', group: 'all', suppressed: true, reason: 'fewer than 5 municipalities or withheld to protect such a cell' },
      expect.objectContaining({ bucket: '2026-03-03', suppressed: false, municipalities: 6, attempts: 6, share_above_threshold: 0 }),
    ]);
    for (const path of ['regions', 'categories']) expect((await get(`/v1/statistics/${path}?from=2026-03-02&to=2026-03-03`, 'kl_reporter')).status).toBe(200);
  });

  it('exports CSV', async () => {
    const reply = await get('/v1/statistics/attempts?from=2026-03-02&to=2026-03-03&format=csv', 'kl_reporter');
    expect(reply.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await reply.text()).split('\r\n');
    expect(lines[1]).toMatch(/^2026-03-02,all,true,fewer than 5 municipalities or withheld to protect such a cell,,/);
    expect(lines[2]).toMatch(/^2026-03-03,all,false,,6,6,6,/);
  });

  it('refuses KL the named per-municipality figures, which a SOC analyst gets', async () => {
    const kl = await get('/v1/statistics/municipalities?from=2026-03-02&to=2026-03-03', 'kl_reporter');
    expect(kl.status).toBe(403);
    expect(await kl.json()).toMatchObject({ message: 'named per-municipality figures are not published (STATISTICS_NAME_MUNICIPALITIES=false)' });
    const soc = await get('/v1/statistics/municipalities?from=2026-03-02&to=2026-03-02', 'soc_analyst');
    expect(((await soc.json()) as { municipalities: unknown[] }).municipalities).toHaveLength(3);
  });

  it('gives KL the named table when STATISTICS_NAME_MUNICIPALITIES=true', async () => {
    const port = String(await freePort());
    const naming = new AppProcess('alerting', { ...env, ALERTING_PORT: port, STATISTICS_NAME_MUNICIPALITIES: 'true', LOG_LEVEL: 'warn' }).start();
    try {
      await naming.waitReady();
      const reply = await fetch(`${naming.url}/v1/statistics/municipalities?from=2026-03-02&to=2026-03-02`, {
        headers: { authorization: `Bearer ${tokens.issue({ sub: 'kl', role: 'kl_reporter' })}` },
      });
      expect(reply.status).toBe(200);
      const body = (await reply.json()) as { municipalities: Array<{ municipality: string; name: string }> };
      expect(body.municipalities.map((m) => m.name)).toEqual(['København Kommune', 'Frederiksberg Kommune', 'Ballerup Kommune']);
    } finally {
      await naming.kill();
    }
  });

  it('answers 403 to a member', async () => {
    const reply = await get('/v1/statistics/attempts?from=2026-03-02&to=2026-03-03', 'member');
    expect(reply.status).toBe(403);
    expect(await reply.json()).toMatchObject({ message: 'role member may not use this endpoint' });
  });

  it('answers 400 naming each bad parameter', async () => {
    const reply = await get('/v1/statistics/attempts?from=2026-03-04&to=2026-03-03&granularity=hour', 'kl_reporter');
    expect(reply.status).toBe(400);
    expect(await reply.json()).toMatchObject({
      error: 'invalid_query',
      problems: [{ path: 'granularity', message: 'Invalid option: expected one of "day"|"week"|"month"|"year"' }],
    });
  });

  it('refuses over HTTP what would let KL difference cells: a threshold, a free period, a week cut short', async () => {
    const refused = async (query: string) => {
      const reply = await get(`/v1/statistics/regions?${query}`, 'kl_reporter');
      return { status: reply.status, body: await reply.json() };
    };
    expect(await refused('from=2026-03-03&to=2026-03-03&threshold=5')).toMatchObject({
      status: 400,
      body: {
        error: 'invalid_query',
        problems: [{ path: 'threshold', message: 'not a query parameter: the threshold is set by configuration (STATISTICS_THRESHOLD)' }],
      },
    });
    expect(await refused('from=2026-03-02&to=2026-03-03&granularity=period')).toMatchObject({ status: 400, body: { problems: [{ path: 'granularity' }] } });
    expect(await refused('from=2026-03-03&to=2026-03-08&granularity=week')).toMatchObject({
      status: 400,
      body: {
        error: 'invalid_query',
        problems: [{ path: 'from', message: 'must be the first day of its week (Monday to Sunday) (2026-03-02): cells are whole weeks' }],
      },
    });
  });
});
