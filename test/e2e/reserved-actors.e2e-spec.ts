import { Queue } from 'bullmq';
import { ForwarderKeyRepository, TokenIssuer } from '@soc/auth';
import type { Alert } from '@soc/contracts';
import { campaignRuleRef } from '@soc/correlation';
import type { Redis } from '@soc/redis';
import { AppProcess, waitFor } from './support/stack';
import { failedSshLoginRule, failedSshLoginRuleId } from './support/rules-dir';
import { E2eDeployment } from './support/deployment';
import { yesterdayUtc } from './support/events';

// Each member's sshd sits behind a local reverse proxy (127.0.0.1) or a load balancer on a
// private network (10.0.0.80): the same address at every member, but a different host at each.
const proxies = ['127.0.0.1', '10.0.0.80'];
// A public address (no IANA special-purpose range): the real cross-member attacker.
const attacker = '91.240.118.172';
const campaignMembers = ['0751', '0101', '0461'];

/**
 * Issue 14, reserved addresses: the same attacks relayed through a proxy at three members made
 * 127.0.0.1 a high-severity campaign and a shared early-warning indicator for seven days.
 * Run with the production default (documentation addresses reserved too).
 */
describe('reserved addresses are never cross-member actors', () => {
  let deployment: E2eDeployment;
  let env: Record<string, string>;
  let redis: Redis;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    deployment = await E2eDeployment.create({
      rules: { 'failed_ssh_login.yml': failedSshLoginRule },
      env: { CAMPAIGN_MIN_MEMBERS: '3', CAMPAIGN_WINDOW_MS: String(3_600_000) },
    });
    ({ env, redis } = deployment);
  });

  afterAll(() => deployment.close(apps));

  it('forms a campaign and a shared indicator of the public attacker only, while each member keeps its alerts about its proxy', async () => {
    const collector = new AppProcess('collector', env).start();
    const alerting = new AppProcess('alerting', env).start();
    const correlator = new AppProcess('correlator', env).start();
    apps.push(collector, alerting, correlator);
    await Promise.all(apps.map((app) => app.waitReady()));

    const keys = new ForwarderKeyRepository(redis, env.KEY_PREFIX);
    const send = async (member: string, minute: number, ip: string) => {
      const { key } = await keys.create(member);
      const body = [0, 1, 2]
        .map((second) =>
          JSON.stringify({
            '@timestamp': yesterdayUtc(9, minute, second).toISOString(),
            event: { dataset: 'linux.sshd', module: 'linux', category: ['authentication'], outcome: 'failure' },
            source: { ip },
          }),
        )
        .join('\n');
      const reply = await fetch(`${collector.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson' },
        body,
      });
      expect(reply.status).toBe(202);
    };
    const verifier = new TokenIssuer(env.JWT_SECRET);
    const analyst = { authorization: `Bearer ${verifier.issue({ sub: 'e2e', role: 'soc_analyst' })}` };
    const admin = { authorization: `Bearer ${verifier.issue({ sub: 'e2e-admin', role: 'soc_admin' })}` };
    let alerts: Alert[] = [];
    const readAlerts = async () => {
      const reply = await fetch(`${alerting.url}/alerts?size=500`, { headers: analyst });
      alerts = ((await reply.json()) as { alerts?: Alert[] }).alerts ?? [];
      return alerts;
    };

    // The proxies first, so the public attacker's campaign shows they have been correlated.
    for (const [i, member] of campaignMembers.entries()) {
      for (const proxy of proxies) await send(member, 10 + i, proxy);
    }
    for (const [i, member] of campaignMembers.entries()) await send(member, 20 + i, attacker);

    await waitFor(
      async () => (await readAlerts()).some((a) => a.rule.id === campaignRuleRef.id),
      60_000,
      () => `alerts: ${JSON.stringify(alerts.map((a) => [a.rule.title, a.organization.id, a.observables]))}\n${correlator.log}`,
    );
    // Settle: every entry correlated and acknowledged, every detection folded into an alert.
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
    // A folded alert is searchable after the alerts index's next refresh (1 s), not at once.
    const proxyAlertMembers = (proxy: string) =>
      alerts.filter((a) => a.rule.id === failedSshLoginRuleId && a.observables.some((o) => o.field === 'source.ip' && o.value === proxy)).length;
    await waitFor(async () => {
      await readAlerts();
      return proxies.every((proxy) => proxyAlertMembers(proxy) >= campaignMembers.length);
    }, 10_000).catch(() => undefined); // the assertions below say what is missing

    const campaigns = alerts.filter((a) => a.rule.id === campaignRuleRef.id);
    expect(campaigns.map((a) => a.observables)).toEqual([[{ field: 'source.ip', value: attacker }]]);
    expect(campaigns[0]!.campaign?.members).toEqual([...campaignMembers].sort());
    // Each member was still told about the failed logins through its proxy.
    const ruleAlerts = alerts.filter((a) => a.rule.id === failedSshLoginRuleId);
    for (const proxy of proxies) {
      const about = ruleAlerts.filter((a) => a.observables.some((o) => o.field === 'source.ip' && o.value === proxy));
      expect(about.map((a) => a.organization.id).sort()).toEqual([...campaignMembers].sort());
    }

    // Only the public attacker was promoted into the shared indicator set.
    const promoted = (await (await fetch(`${correlator.url}/v1/indicators?source=campaign`, { headers: analyst })).json()) as {
      indicators: Array<{ id: string }>;
    };
    expect(promoted.indicators.map((i) => i.id)).toEqual([`campaign:source.ip=${attacker}`]);
    for (const proxy of proxies) {
      const reply = await fetch(`${correlator.url}/v1/indicators/${encodeURIComponent(`campaign:source.ip=${proxy}`)}`, { headers: analyst });
      expect(reply.status).toBe(404);
    }

    // A feed cannot put them there either; an admin can, deliberately.
    const feed = [
      '"first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"',
      ...[...proxies, '203.0.113.66', attacker].map((ip) => `"2026-01-01 00:00:00","${ip}","443","online","2026-11-27","Bot"`),
    ].join('\n');
    const imported = await fetch(`${correlator.url}/v1/indicators/import?format=csv&source=e2e-feed`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'text/csv' },
      body: feed,
    });
    const result = (await imported.json()) as { imported: number; errors: string[] };
    expect(result.imported).toBe(1);
    expect(result.errors).toEqual([
      expect.stringContaining('127.0.0.1 is in the loopback range 127.0.0.0/8 (RFC 1122), which is not globally reachable'),
      expect.stringContaining('10.0.0.80 is in the private range 10.0.0.0/8 (RFC 1918)'),
      expect.stringContaining('203.0.113.66 is in the documentation range 203.0.113.0/24 (RFC 5737)'),
    ]);
    const deliberate = await fetch(`${correlator.url}/v1/indicators/import?format=csv&source=e2e-internal&allow_reserved=true`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'text/csv' },
      body: feed,
    });
    expect(await deliberate.json()).toEqual({ imported: 4, errors: [] });
  });
});
