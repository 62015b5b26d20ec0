import { TokenIssuer } from '@soc/auth';
import type { Alert } from '@soc/contracts';
import { createRedis } from '@soc/redis';
import { createElasticsearchClient, IndexNames } from '@soc/storage';
import { AppProcess, isolatedEnv, waitFor } from './support/stack';
import { createForwarderKey, startServices } from './support/deployment-start';
import { removeRedisKeys, removeIndices } from './support/cleanup';
import { failedSshLogins, yesterdayUtc } from './support/events';
import { elasticsearchUrl } from '../support';

describe('walking skeleton: HTTP ingest to a stored alert', () => {
  let env: Record<string, string>;
  let apps: AppProcess[];
  let collector: AppProcess;
  let alerting: AppProcess;
  let key: string;
  const es = createElasticsearchClient(elasticsearchUrl);

  beforeAll(async () => {
    env = await isolatedEnv({ CONSUMER_CLAIM_IDLE_MS: '2000' });
    key = await createForwarderKey(env, '0751');
    ({ collector, alerting, apps } = await startServices(env));
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.kill()));
    const redis = createRedis(env.REDIS_URL, 'worker', 'e2e-cleanup');
    await removeRedisKeys(redis, env);
    redis.disconnect();
    await removeIndices(es, env);
    await es.close();
  });

  const post = (body: string, apiKey = key) =>
    fetch(`${collector.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `ApiKey ${apiKey}`, 'content-type': 'application/x-ndjson' },
      body,
    });

  it('turns posted SSH failures into one alert, visible through the API and in Elasticsearch', async () => {
    const response = await post(failedSshLogins(12, '203.0.113.66', yesterdayUtc(10)));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 12 });

    const token = new TokenIssuer(env.JWT_SECRET).issue({ sub: 'e2e-analyst', role: 'soc_analyst' });
    let alerts: Alert[] = [];
    await waitFor(
      async () => {
        const reply = await fetch(`${alerting.url}/alerts`, { headers: { authorization: `Bearer ${token}` } });
        alerts = ((await reply.json()) as { alerts: Alert[] }).alerts ?? [];
        return alerts.length > 0;
      },
      60_000,
      () => apps.map((a) => a.log).join('\n'),
    );
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert.organization.id).toBe('0751');
    expect(alert.rule.title).toMatch(/SSH/i);
    expect(alert.observables).toContainEqual({ field: 'source.ip', value: '203.0.113.66' });

    const stored = await es.get({ index: new IndexNames(env.INDEX_PREFIX).alerts, id: alert.id });
    expect(stored._source).toMatchObject({ id: alert.id, organization: { id: '0751' } });

    // The events themselves are indexed too (consumer group "indexer").
    await waitFor(async () => {
      await es.indices.refresh({ index: `${env.INDEX_PREFIX}-events-*`, ignore_unavailable: true, allow_no_indices: true });
      const count = await es.count({ index: `${env.INDEX_PREFIX}-events-*`, ignore_unavailable: true, allow_no_indices: true });
      return count.count === 12;
    });

    // A member sees its own alert; another member does not, not even by id.
    const aarhus = new TokenIssuer(env.JWT_SECRET).issue({ sub: 'a', role: 'member', member_id: '0751' });
    const odense = new TokenIssuer(env.JWT_SECRET).issue({ sub: 'o', role: 'member', member_id: '0461' });
    const own = await fetch(`${alerting.url}/alerts`, { headers: { authorization: `Bearer ${aarhus}` } });
    expect(((await own.json()) as { total: number }).total).toBe(1);
    const other = await fetch(`${alerting.url}/alerts`, { headers: { authorization: `Bearer ${odense}` } });
    expect(((await other.json()) as { total: number }).total).toBe(0);
    expect((await fetch(`${alerting.url}/alerts/${alert.id}`, { headers: { authorization: `Bearer ${odense}` } })).status).toBe(404);
  });

  it('answers 400 naming each failing line and field, and accepts nothing of that body', async () => {
    const body = `${JSON.stringify({ message: 'fine' })}\n${JSON.stringify({ '@timestamp': 'yesterday', source: { ip: '300.1.1.1' } })}`;
    const response = await post(body);
    expect(response.status).toBe(400);
    const reply = (await response.json()) as { error: string; problems: Array<{ line: number; path: string }> };
    expect(reply.error).toBe('invalid_events');
    expect(reply.problems.map((p) => `${p.line}:${p.path}`).sort()).toEqual(['2:@timestamp', '2:source.ip']);
  });

  it('answers 401 to an unknown credential and to none', async () => {
    expect((await post('{"message":"x"}', 'sockey_not-a-real-key')).status).toBe(401);
    const anonymous = await fetch(`${collector.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: '{}' });
    expect(anonymous.status).toBe(401);
  });

  it('answers 403 to a KL reporter on the alerts API', async () => {
    const kl = new TokenIssuer(env.JWT_SECRET).issue({ sub: 'kl', role: 'kl_reporter' });
    const reply = await fetch(`${alerting.url}/alerts`, { headers: { authorization: `Bearer ${kl}` } });
    expect(reply.status).toBe(403);
    expect(await reply.json()).toMatchObject({ error: 'forbidden', message: 'role kl_reporter may not use this endpoint' });
  });

  it('answers 401 on the alerts API without a valid token', async () => {
    expect((await fetch(`${alerting.url}/alerts`)).status).toBe(401);
    expect((await fetch(`${alerting.url}/alerts`, { headers: { authorization: 'Bearer forged' } })).status).toBe(401);
  });
});
