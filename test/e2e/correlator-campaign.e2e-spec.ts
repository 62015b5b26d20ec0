import { ForwarderKeyRepository, TokenIssuer } from '@soc/auth';
import type { Alert } from '@soc/contracts';
import { campaignRuleRef, earlyWarningRuleRef } from '@soc/correlation';
import type { Redis } from '@soc/redis';
import { AppProcess, waitFor } from './support/stack';
import { failedSshLoginRule } from './support/rules-dir';
import { E2eDeployment } from './support/deployment';
import { yesterdayUtc } from './support/events';

// A public address: documentation and private addresses never form campaigns (reserved-actors.e2e-spec.ts).
const attacker = '91.240.118.23';
// Aarhus, København, Odense: the campaign; Aalborg: warned on its first event.
const campaignMembers = ['0751', '0101', '0461'];
const nextMember = '0851';

describe('one attacker across municipalities: campaign, then early warning', () => {
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

  it('raises one shared-soc campaign alert linking the three members, then warns the fourth on its first event', async () => {
    const collector = new AppProcess('collector', env).start();
    const alerting = new AppProcess('alerting', env).start();
    const correlator = new AppProcess('correlator', env).start();
    apps.push(collector, alerting, correlator);
    await Promise.all(apps.map((app) => app.waitReady()));

    const keys = new ForwarderKeyRepository(redis, env.KEY_PREFIX);
    const send = async (member: string, minute: number, event: object) => {
      const { key } = await keys.create(member);
      const body = JSON.stringify({ '@timestamp': yesterdayUtc(9, minute).toISOString(), source: { ip: attacker }, ...event });
      const reply = await fetch(`${collector.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson' },
        body,
      });
      expect(reply.status).toBe(202);
    };
    const failedLogin = { event: { dataset: 'linux.sshd', module: 'linux', category: ['authentication'], outcome: 'failure' } };
    const analyst = { authorization: `Bearer ${new TokenIssuer(env.JWT_SECRET).issue({ sub: 'e2e', role: 'soc_analyst' })}` };
    let alerts: Alert[] = [];
    const readAlerts = async () => {
      const reply = await fetch(`${alerting.url}/alerts?size=500`, { headers: analyst });
      alerts = ((await reply.json()) as { alerts?: Alert[] }).alerts ?? [];
      return alerts;
    };

    for (const [i, member] of campaignMembers.entries()) await send(member, 10 + i, failedLogin);
    const campaignId = campaignRuleRef.id;
    await waitFor(
      async () => (await readAlerts()).some((a) => a.rule.id === campaignId),
      60_000,
      () => `alerts: ${JSON.stringify(alerts.map((a) => [a.rule.title, a.organization.id]))}\n${correlator.log}`,
    );
    const campaign = alerts.filter((a) => a.rule.id === campaignId);
    expect(campaign).toHaveLength(1);
    expect(campaign[0]!.organization.id).toBe('shared-soc');
    expect(campaign[0]!.campaign?.members).toEqual([...campaignMembers].sort());

    // The attacker is now a shared indicator (promoted with the campaign) held by the replica...
    const promoted = `${correlator.url}/v1/indicators/${encodeURIComponent(`campaign:source.ip=${attacker}`)}`;
    await waitFor(async () => {
      const reply = await fetch(promoted, { headers: analyst });
      return reply.ok && ((await reply.json()) as { replica: { copy: unknown } }).replica.copy !== null;
    }, 5_000);
    // ...so Aalborg's first contact, not even a failed login, is an early warning.
    await send(nextMember, 30, { event: { dataset: 'network.flow', category: ['network'], outcome: 'success' } });
    const earlyId = earlyWarningRuleRef('high', []).id;
    await waitFor(
      async () => (await readAlerts()).some((a) => a.rule.id === earlyId),
      60_000,
      () => `alerts: ${JSON.stringify(alerts.map((a) => [a.rule.title, a.organization.id]))}\n${correlator.log}`,
    );
    const early = alerts.filter((a) => a.rule.id === earlyId);
    expect(early.map((a) => a.organization.id)).toEqual([nextMember]);
  });
});
