import { Queue } from 'bullmq';
import { ForwarderKeyRepository, TokenIssuer } from '@soc/auth';
import type { Alert } from '@soc/contracts';
import type { Redis } from '@soc/redis';
import { AppProcess, freePort, waitFor } from './support/stack';
import { E2eDeployment } from './support/deployment';
import { accountEvents, unsettled } from './support/event-accounting';
import { yesterdayUtc } from './support/events';

/** Failed SSH logins as user admin: disabled through the API while events flow. */
const adminRuleId = '7d7c1d0e-1b5b-4a8e-9a8e-0c1f3b2a0a01';
/** Every failed SSH login: gets a filter for one member (user backup) through the API. */
const failureRuleId = '7d7c1d0e-1b5b-4a8e-9a8e-0c1f3b2a0a02';
const rule = (id: string, title: string, selection: string): string => `title: ${title}
id: ${id}
status: test
level: low
author: Municipal SOC e2e
logsource: { product: linux, service: sshd }
detection:
  selection:
${selection}
  condition: selection
`;

const tuned = '0101';
const other = '0147';
/** Sends throughout, untouched by the change: its alert must count every event it sent, once. */
const steady = '0151';

describe('rule management, live: two correlator replicas pick up a disabled rule and a member filter while events flow', () => {
  let deployment: E2eDeployment;
  let env: Record<string, string>;
  let redis: Redis;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    deployment = await E2eDeployment.create({
      rules: {
        'ssh_admin_failure.yml': rule(adminRuleId, 'Failed SSH login as admin', '    event.outcome: failure\n    user.name: admin'),
        'ssh_failure.yml': rule(failureRuleId, 'Failed SSH login', '    event.outcome: failure'),
      },
      // A missed announcement is caught by the poll within a second.
      env: { RULES_POLL_MS: '1000', STREAM_BATCH_SIZE: '20', CONSUMER_READ_COUNT: '2' },
    });
    ({ env, redis } = deployment);
  });

  afterAll(() => deployment.close(apps));

  it('applies both changes on both replicas within 5 s, without restart, and loses no event', async () => {
    const collector = new AppProcess('collector', env).start();
    const alerting = new AppProcess('alerting', env).start();
    const first = new AppProcess('correlator', env).start({ CONSUMER_NAME: 'first' });
    const second = new AppProcess('correlator', { ...env, CORRELATOR_PORT: String(await freePort()) }).start({ CONSUMER_NAME: 'second' });
    apps.push(collector, alerting, first, second);
    await Promise.all(apps.map((app) => app.waitReady()));

    const admin = {
      authorization: `Bearer ${new TokenIssuer(env.JWT_SECRET).issue({ sub: 'e2e-admin', role: 'soc_admin' })}`,
      'content-type': 'application/json',
    };
    const keys = new ForwarderKeyRepository(redis, env.KEY_PREFIX);
    const forwarderKeys = new Map<string, string>();
    for (const member of [tuned, other, steady]) forwarderKeys.set(member, (await keys.create(member)).key);
    let sent = 0;
    const send = async (member: string, users: string[], hour: number): Promise<void> => {
      const body = users
        .map((user) =>
          JSON.stringify({
            '@timestamp': yesterdayUtc(hour, 0, sent++).toISOString(),
            event: { dataset: 'linux.sshd', module: 'linux', category: ['authentication'], type: ['start'], outcome: 'failure' },
            source: { ip: '10.0.0.1' },
            user: { name: user },
          }),
        )
        .join('\n');
      const reply = await fetch(`${collector.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `ApiKey ${forwarderKeys.get(member)}`, 'content-type': 'application/x-ndjson' },
        body,
      });
      expect(reply.status).toBe(202);
    };
    const users = ['admin', 'backup', 'root', 'admin', 'backup'];

    // Before: both rules run for every member.
    await Promise.all([send(tuned, users, 8), send(other, users, 8)]);

    // The steady member sends throughout the change, in small batches.
    let steadyEvents = 0;
    let flowing = true;
    const flow = (async () => {
      while (flowing) {
        await send(steady, ['svc', 'svc'], 9);
        steadyEvents += 2;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await waitFor(async () => steadyEvents >= 10);

    // A filter that does not compile is refused with its located error, and nothing changes.
    const refused = await fetch(`${first.url}/v1/rules/${failureRuleId}/tunings`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ member_id: tuned, filter: { 'user.name|nosuchmodifier': 'backup' }, why: 'e2e: a typo' }),
    });
    expect(refused.status).toBe(422);
    const refusal = (await refused.json()) as { error: string; errors: Array<{ file: string; path: string; line?: number; message: string }> };
    expect(refusal.error).toBe('rule_refused');
    expect(refusal.errors).toEqual([
      expect.objectContaining({
        file: 'bundled/ssh_failure.yml',
        path: expect.stringMatching(/^detection\.tuning_/),
        line: expect.any(Number),
        message: expect.stringContaining('nosuchmodifier'),
      }),
    ]);
    const unknownMember = await fetch(`${first.url}/v1/rules/${failureRuleId}/tunings`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ member_id: 'nosuch', filter: { 'user.name': 'backup' }, why: 'e2e' }),
    });
    expect({ status: unknownMember.status, body: await unknownMember.json() }).toEqual({
      status: 400,
      body: { error: 'invalid_change', message: 'unknown member nosuch' },
    });

    const before = (await (await fetch(`${first.url}/v1/rules/${failureRuleId}`, { headers: admin })).json()) as { version: string };
    const disabled = await fetch(`${first.url}/v1/rules/${adminRuleId}/enabled`, {
      method: 'PUT',
      headers: admin,
      body: JSON.stringify({ enabled: false, why: 'e2e: admin logins are a pen test' }),
    });
    expect(disabled.status).toBe(200);
    const filtered = await fetch(`${second.url}/v1/rules/${failureRuleId}/tunings`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ member_id: tuned, filter: { 'user.name': 'backup' }, why: 'e2e: the backup job retries' }),
    });
    expect(filtered.status).toBe(201);
    const { revision } = (await filtered.json()) as { revision: number };

    // Both replicas run the new revision within 5 s (no restart: the same processes answer).
    const applied = async (replica: AppProcess): Promise<number> =>
      ((await (await fetch(`${replica.url}/v1/rules/revision`, { headers: admin })).json()) as { replica: { revision: number } }).replica.revision;
    await waitFor(
      async () => (await applied(first)) >= revision && (await applied(second)) >= revision,
      5_000,
      () => `replicas not at revision ${revision}:\n${first.log}\n${second.log}`,
    );
    const metrics = await (await fetch(`${second.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^soc_correlator_rule_catalogue_revision ${revision}$`, 'm'));
    const after = (await (await fetch(`${first.url}/v1/rules/${failureRuleId}`, { headers: admin })).json()) as { version: string; effective_yaml: string };
    expect(after.version).not.toBe(before.version);
    expect(after.effective_yaml).toContain('organization.id');

    // After: the same events again, in another hour.
    await Promise.all([send(tuned, users, 10), send(other, users, 10)]);
    flowing = false;
    await flow;

    const analyst = { authorization: `Bearer ${new TokenIssuer(env.JWT_SECRET).issue({ sub: 'e2e', role: 'soc_analyst' })}` };
    const countOf = (alerts: Alert[], ruleId: string, member: string): number =>
      alerts.filter((a) => a.rule.id === ruleId && a.organization.id === member).reduce((n, a) => n + a.count, 0);
    const expected = {
      // admin events of the first round only: the rule was off for the second.
      [`${adminRuleId}/${tuned}`]: 2,
      [`${adminRuleId}/${other}`]: 2,
      [`${adminRuleId}/${steady}`]: 0,
      // five, then five without the two backup logins of the tuned member.
      [`${failureRuleId}/${tuned}`]: 5 + 3,
      [`${failureRuleId}/${other}`]: 5 + 5,
    };
    let alerts: Alert[] = [];
    const counts = (): Record<string, number> => ({
      ...Object.fromEntries(Object.keys(expected).map((k) => [k, countOf(alerts, ...(k.split('/') as [string, string]))])),
      [`${failureRuleId}/${steady}`]: countOf(alerts, failureRuleId, steady),
    });
    const want = (): Record<string, number> => ({ ...expected, [`${failureRuleId}/${steady}`]: steadyEvents });
    const read = async (): Promise<void> => {
      const reply = await fetch(`${alerting.url}/alerts?size=500`, { headers: analyst });
      alerts = ((await reply.json()) as { alerts?: Alert[] }).alerts ?? [];
    };
    await waitFor(
      async () => {
        await read();
        return JSON.stringify(counts()) === JSON.stringify(want());
      },
      90_000,
      () => `alert counts ${JSON.stringify(counts())}, want ${JSON.stringify(want())}`,
    );

    // Settle: both stream groups drained, the detections queue empty, every accepted event indexed.
    const groupsDrained = async (): Promise<boolean> => {
      const groups = (await redis.xinfo('GROUPS', env.EVENTS_STREAM)) as unknown[][];
      return groups.every((g) => {
        const info = Object.fromEntries(Array.from({ length: g.length / 2 }, (_, i) => [g[2 * i], g[2 * i + 1]]));
        return info['lag'] === 0 && info['pending'] === 0;
      });
    };
    const queue = new Queue(env.DETECTIONS_QUEUE, { connection: { url: env.REDIS_URL } });
    try {
      await waitFor(async () => {
        const jobs = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
        return (await groupsDrained()) && Object.values(jobs).every((n) => n === 0);
      }, 30_000);
    } finally {
      await queue.close();
    }
    let account = await accountEvents(redis, deployment.es, env);
    await waitFor(
      async () => {
        account = await accountEvents(redis, deployment.es, env);
        return unsettled(account).missing.length === 0;
      },
      30_000,
      () => `events not indexed: ${unsettled(account).missing.length}`,
    );
    expect(account.accepted.size).toBe(sent);
    expect(unsettled(account)).toEqual({ missing: [], both: [], unknown: [] });

    // Read once more: a late or duplicate detection would show here.
    await read();
    expect(counts()).toEqual(want());
    // Every alert names the version of the rule that raised it and where the rule came from.
    for (const alert of alerts)
      expect(alert.rule).toMatchObject({ version: expect.stringMatching(/^[0-9a-f]{12}$/), origin: 'bundled', author: 'Municipal SOC e2e' });
    // The same processes ran throughout (this test restarts nothing): both still answer.
    for (const replica of [first, second]) expect((await fetch(`${replica.url}/health/live`)).ok).toBe(true);
  });
});
