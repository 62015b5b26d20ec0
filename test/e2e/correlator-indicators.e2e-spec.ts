import { Queue } from 'bullmq';
import { ForwarderKeyRepository, TokenIssuer } from '@soc/auth';
import type { Alert } from '@soc/contracts';
import type { Redis } from '@soc/redis';
import { indicatorRuleRef } from '@soc/correlation';
import { AppProcess, freePort, waitFor } from './support/stack';
import { E2eDeployment } from './support/deployment';
import { yesterdayUtc } from './support/events';

/** A rule no event here matches: the test is about indicators alone. */
const quietRule = `
title: Never matches
id: 9e7a1c52-3f0b-4d8e-a6b1-0c2d3e4f5a6b
status: test
level: low
logsource: { product: linux, service: sshd }
detection:
  selection:
    event.outcome: this-never-happens
  condition: selection
`;

// A public address: a feed entry for a documentation or private address is refused.
const attacker = '45.137.21.66';
const csv = [
  '"first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"',
  `"2026-01-01 00:00:00","${attacker}","443","online","2026-11-27","TestBot"`,
  '# END 1 entries',
].join('\n');

describe('indicators revoked through the API stop matching on every replica', () => {
  let deployment: E2eDeployment;
  let env: Record<string, string>;
  let redis: Redis;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    deployment = await E2eDeployment.create({ rules: { 'quiet.yml': quietRule }, env: { STREAM_BATCH_SIZE: '50' } });
    ({ env, redis } = deployment);
  });

  afterAll(() => deployment.close(apps));

  it('propagates a revocation to both replicas in under 5 s, after which new events make no detection', async () => {
    const collector = new AppProcess('collector', env).start();
    const alerting = new AppProcess('alerting', env).start();
    const replicaA = new AppProcess('correlator', env).start({ CONSUMER_NAME: 'a' });
    const replicaB = new AppProcess('correlator', { ...env, CORRELATOR_PORT: String(await freePort()) }).start({
      CONSUMER_NAME: 'b',
    });
    apps.push(collector, alerting, replicaA, replicaB);
    await Promise.all(apps.map((app) => app.waitReady()));

    const verifier = new TokenIssuer(env.JWT_SECRET);
    const admin = { authorization: `Bearer ${verifier.issue({ sub: 'e2e-admin', role: 'soc_admin' })}` };
    const analyst = { authorization: `Bearer ${verifier.issue({ sub: 'e2e-analyst', role: 'soc_analyst' })}` };

    // Analysts read; only admins change the set.
    const denied = await fetch(`${replicaA.url}/v1/indicators/import?format=csv&source=e2e`, {
      method: 'POST',
      headers: { ...analyst, 'content-type': 'text/csv' },
      body: csv,
    });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { message: string }).message).toBe('role soc_analyst may not use this endpoint');

    const imported = await fetch(`${replicaA.url}/v1/indicators/import?format=csv&source=e2e`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'text/csv' },
      body: csv,
    });
    expect(await imported.json()).toEqual({ imported: 1, errors: [] });
    const list = (await (await fetch(`${replicaB.url}/v1/indicators?q=${attacker}`, { headers: analyst })).json()) as {
      indicators: Array<{ id: string }>;
    };
    expect(list.indicators).toHaveLength(1);
    const id = list.indicators[0]!.id;

    type Replica = { replica: { copy: { revoked: boolean } | null } };
    const copyOn = async (app: AppProcess) =>
      ((await (await fetch(`${app.url}/v1/indicators/${encodeURIComponent(id)}`, { headers: analyst })).json()) as Replica).replica.copy;
    await waitFor(async () => (await copyOn(replicaA)) !== null && (await copyOn(replicaB)) !== null, 5_000);

    const key = (await new ForwarderKeyRepository(redis, env.KEY_PREFIX).create('0751')).key;
    const send = async (hour: number, count: number) => {
      const body = Array.from({ length: count }, (_, i) =>
        JSON.stringify({
          '@timestamp': yesterdayUtc(hour, 0, i).toISOString(),
          event: { dataset: 'network.flow', category: ['network'], outcome: 'success' },
          source: { ip: '10.0.0.5' },
          destination: { ip: attacker, port: 443 },
        }),
      ).join('\n');
      const reply = await fetch(`${collector.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson' },
        body,
      });
      expect(reply.status).toBe(202);
    };
    const indicatorAlerts = async (): Promise<Alert[]> => {
      const reply = await fetch(`${alerting.url}/alerts?size=500`, { headers: analyst });
      return (((await reply.json()) as { alerts?: Alert[] }).alerts ?? []).filter((a) => a.rule.id === indicatorRuleRef('low', []).id);
    };

    // Before: the hits of both replicas (events spread over several stream entries) make one alert.
    await send(9, 200);
    await waitFor(
      async () => (await indicatorAlerts()).length === 1,
      60_000,
      () => `${replicaA.log}\n${replicaB.log}`,
    );

    const revokedAt = Date.now();
    const revoked = await fetch(`${replicaA.url}/v1/indicators/${encodeURIComponent(id)}/revoke`, { method: 'POST', headers: admin });
    expect(((await revoked.json()) as { revoked: boolean }).revoked).toBe(true);
    await waitFor(async () => (await copyOn(replicaA))?.revoked === true && (await copyOn(replicaB))?.revoked === true, 5_000);
    const propagationMs = Date.now() - revokedAt;
    expect(propagationMs).toBeLessThan(5_000);
    process.stdout.write(`indicator revocation reached both replicas in ${propagationMs} ms\n`);

    // After: a later hour would be a new alert (new bucket) if the indicator still matched.
    await send(11, 200);
    const queue = new Queue(env.DETECTIONS_QUEUE, { connection: { url: env.REDIS_URL } });
    try {
      await waitFor(async () => {
        const groups = (await redis.xinfo('GROUPS', env.EVENTS_STREAM)) as unknown[][];
        const group = groups.find((g) => g[1] === 'correlator')!;
        const info = Object.fromEntries(Array.from({ length: group.length / 2 }, (_, i) => [group[2 * i], group[2 * i + 1]]));
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        return info['lag'] === 0 && info['pending'] === 0 && Object.values(counts).every((n) => n === 0);
      }, 30_000);
    } finally {
      await queue.close();
    }
    expect(await indicatorAlerts()).toHaveLength(1);

    // Every refusal names its reason.
    const notJson = await fetch(`${replicaA.url}/v1/indicators/import?format=stix`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: '{"type": "bundle"',
    });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { message: string }).message).toMatch(/^the STIX bundle is not JSON: /);
    const empty = await fetch(`${replicaA.url}/v1/indicators/import?format=csv`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'text/csv' },
      body: ' ',
    });
    expect(((await empty.json()) as { message: string }).message).toBe('send the feed document as the request body');
    const badFormat = await fetch(`${replicaA.url}/v1/indicators/import?format=yaml`, { method: 'POST', headers: admin, body: 'x' });
    expect(badFormat.status).toBe(400);
    expect(((await badFormat.json()) as { problems: Array<{ path: string }> }).problems[0]!.path).toBe('format');
    const anonymous = await fetch(`${replicaA.url}/v1/indicators`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { message: string }).message).toBe('send "Authorization: Bearer <token>"');

    // Unknown ids answer 404 with the id named.
    const missing = await fetch(`${replicaB.url}/v1/indicators/nope/revoke`, { method: 'POST', headers: admin });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toBe('no indicator nope');
  });
});
