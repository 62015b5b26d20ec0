import { TokenIssuer } from '@soc/auth';
import type { Alert } from '@soc/contracts';
import { createRedis } from '@soc/redis';
import { createElasticsearchClient } from '@soc/storage';
import { removeIndices, removeRedisKeys } from './support/cleanup';
import { createForwarderKey, startServices } from './support/deployment-start';
import { failedSshLogins } from './support/events';
import { isolatedEnv, waitFor, type AppProcess } from './support/stack';
import { elasticsearchUrl } from '../support';

type LogLine = Record<string, unknown> & { msg?: string };

/** Whether an alert is about attacker `ip`: the address is one of its observables. */
const isAbout = (alert: Alert, ip: string) => alert.observables.some((o) => o.field === 'source.ip' && o.value === ip);

/** The JSON lines an app wrote (pino, one object per line); anything else on its stdout is skipped. */
function jsonLines(app: AppProcess): LogLine[] {
  return app.log
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

describe('a correlation id follows one accepted batch from the collector through the correlator to its alert', () => {
  let env: Record<string, string>;
  let apps: AppProcess[];
  let collector: AppProcess;
  let correlator: AppProcess;
  let alerting: AppProcess;
  let key: string;
  let analyst: string;
  const es = createElasticsearchClient(elasticsearchUrl);

  beforeAll(async () => {
    env = await isolatedEnv({ LOG_LEVEL: 'info' });
    key = await createForwarderKey(env, '0751');
    ({ collector, correlator, alerting, apps } = await startServices(env));
    analyst = new TokenIssuer(env.JWT_SECRET).issue({ sub: 'ana', role: 'soc_analyst' });
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.kill()));
    const redis = createRedis(env.REDIS_URL, 'worker', 'e2e-cleanup');
    await removeRedisKeys(redis, env);
    redis.disconnect();
    await removeIndices(es, env);
    await es.close();
  });

  /** Posts one request of failed SSH logins from `ip` and returns the correlation id the collector logged for it. */
  async function send(ip: string): Promise<string> {
    const before = jsonLines(collector).filter((l) => l.msg === 'batch accepted').length;
    const posted = await fetch(`${collector.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson' },
      body: failedSshLogins(12, ip, new Date()),
    });
    expect(posted.status).toBe(202);
    // The line is written before the 202 leaves; the pipe to this process may lag behind it.
    await waitFor(
      () => jsonLines(collector).filter((l) => l.msg === 'batch accepted').length > before,
      10_000,
      () => collector.log,
    );
    const accepted = jsonLines(collector).filter((l) => l.msg === 'batch accepted')[before];
    expect(accepted).toMatchObject({ context: 'IngestPipeline', member_id: '0751', transport: 'http', events: 12, correlation_id: expect.any(String) });
    expect(accepted.batch_ids).toEqual([expect.any(String)]);
    return accepted.correlation_id as string;
  }

  it("logs the batch's correlation id in the collector's accept line, the correlator's batch line and alerting's line of the alert it raised", async () => {
    // Two requests, two attackers: each alert must name its own batch, not merely some batch.
    const sent = new Map([
      ['203.0.113.41', await send('203.0.113.41')],
      ['203.0.113.42', await send('203.0.113.42')],
    ]);
    expect(new Set(sent.values()).size).toBe(2);

    let alerts: Alert[] = [];
    await waitFor(
      async () => {
        const response = await fetch(`${alerting.url}/alerts`, { headers: { authorization: `Bearer ${analyst}` } });
        alerts = ((await response.json()) as { alerts?: Alert[] }).alerts ?? [];
        return [...sent.keys()].every((ip) => alerts.some((a) => isAbout(a, ip)));
      },
      60_000,
      () => `alerts: ${JSON.stringify(alerts)}\n${apps.map((a) => a.log).join('\n')}`,
    );

    for (const [ip, correlationId] of sent) {
      const batchLines = jsonLines(correlator).filter((l) => l.msg === 'batch correlated' && l.correlation_id === correlationId);
      expect(batchLines).toEqual([
        expect.objectContaining({ context: 'EventBatchHandler', events: 12, events_by_member: { '0751': 12 }, batch_id: expect.any(String) }),
      ]);
      expect(batchLines[0].detections).toBeGreaterThan(0);
      // The collector's accept line named the same stream entry.
      const accepted = jsonLines(collector).find((l) => l.msg === 'batch accepted' && l.correlation_id === correlationId)!;
      expect(accepted.batch_ids).toEqual([batchLines[0].batch_id]);

      const raised = alerts.filter((a) => isAbout(a, ip));
      expect(raised.length).toBeGreaterThan(0);
      for (const alert of raised) {
        await waitFor(
          () => jsonLines(alerting).some((l) => l.msg === 'detection placed' && l.alert_id === alert.id),
          10_000,
          () => alerting.log,
        );
        const placed = jsonLines(alerting).filter((l) => l.msg === 'detection placed' && l.alert_id === alert.id);
        expect(placed).toContainEqual(
          expect.objectContaining({ outcome: 'created', member_id: '0751', rule_id: alert.rule.id, correlation_id: correlationId }),
        );
        // Every line of this alert comes from this request's batch, none from the other attacker's.
        expect(placed.every((l) => l.correlation_id === correlationId)).toBe(true);
      }
    }
  });
});
