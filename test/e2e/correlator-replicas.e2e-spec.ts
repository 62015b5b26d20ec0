import { Queue } from 'bullmq';
import { ForwarderKeyRepository, TokenIssuer } from '@soc/auth';
import type { Alert } from '@soc/contracts';
import { municipalities } from '@soc/members';
import type { Redis } from '@soc/redis';
import { AppProcess, freePort, waitFor } from './support/stack';
import { failedSshLoginRule, failedSshLoginRuleId as ruleId } from './support/rules-dir';
import { E2eDeployment } from './support/deployment';
import { yesterdayUtc } from './support/events';

const members = municipalities.slice(0, 30).map((m) => m.code);
const eventsPerMember = 60;

describe('two correlator replicas on one stream, one killed with SIGKILL under load', () => {
  let deployment: E2eDeployment;
  let env: Record<string, string>;
  let redis: Redis;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    deployment = await E2eDeployment.create({
      rules: { 'failed_ssh_login.yml': failedSshLoginRule },
      env: { CONSUMER_CLAIM_IDLE_MS: '1000', STREAM_BATCH_SIZE: '20', CONSUMER_READ_COUNT: '2' },
    });
    ({ env, redis } = deployment);
  });

  afterAll(() => deployment.close(apps));

  const groupInfo = async (): Promise<Record<string, unknown>> => {
    const groups = (await redis.xinfo('GROUPS', env.EVENTS_STREAM)) as unknown[][];
    const group = groups.find((g) => g[1] === 'correlator') ?? [];
    return Object.fromEntries(Array.from({ length: group.length / 2 }, (_, i) => [group[2 * i], group[2 * i + 1]]));
  };

  it('makes every expected detection exactly once', async () => {
    const collector = new AppProcess('collector', env).start();
    const alerting = new AppProcess('alerting', env).start();
    const doomed = new AppProcess('correlator', env).start({ CONSUMER_NAME: 'doomed' });
    const survivor = new AppProcess('correlator', { ...env, CORRELATOR_PORT: String(await freePort()) }).start({ CONSUMER_NAME: 'survivor' });
    apps.push(collector, alerting, doomed, survivor);
    await Promise.all(apps.map((app) => app.waitReady()));

    const keys = new ForwarderKeyRepository(redis, env.KEY_PREFIX);
    const send = async (member: string, m: number) => {
      const { key } = await keys.create(member);
      const body = Array.from({ length: eventsPerMember }, (_, i) =>
        JSON.stringify({
          '@timestamp': yesterdayUtc(9, 0, i).toISOString(),
          event: { dataset: 'linux.sshd', module: 'linux', category: ['authentication'], outcome: 'failure' },
          // Addresses of its own per member: this test counts rule alerts, not campaigns.
          source: { ip: `10.${m}.0.${i + 1}` },
        }),
      ).join('\n');
      const reply = await fetch(`${collector.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson' },
        body,
      });
      expect(reply.status).toBe(202);
    };

    const half = members.length / 2;
    await Promise.all(members.slice(0, half).map((member, m) => send(member, m)));
    // Both replicas are busy with the first half: kill one in the middle of it, keep sending.
    await waitFor(async () => Number((await groupInfo())['entries-read'] ?? 0) >= 10);
    await doomed.kill('SIGKILL');
    await Promise.all(members.slice(half).map((member, m) => send(member, half + m)));

    const analyst = { authorization: `Bearer ${new TokenIssuer(env.JWT_SECRET).issue({ sub: 'e2e', role: 'soc_analyst' })}` };
    let lastReply = '';
    const ruleAlerts = async (): Promise<Alert[]> => {
      const reply = await fetch(`${alerting.url}/alerts?size=500`, { headers: analyst });
      const body = (await reply.json()) as { alerts?: Alert[] };
      if (!reply.ok) lastReply = `${reply.status} ${JSON.stringify(body)}`;
      return (body.alerts ?? []).filter((a) => a.rule.id === ruleId);
    };
    let alerts: Alert[] = [];
    try {
      await waitFor(
        async () => {
          alerts = await ruleAlerts();
          return alerts.length === members.length && alerts.every((a) => a.count === eventsPerMember);
        },
        90_000,
        () => `alerts ${alerts.length}, counts ${alerts.map((a) => a.count).join(',')}; last refusal: ${lastReply || 'none'}`,
      );
    } catch (error) {
      // What tells a timeout's causes apart: the list refused, the detections never queued, or the
      // queue never drained; and both surviving processes' logs.
      // Asked without letting a failure here hide the timeout it is meant to explain.
      const state = await (async () => {
        const queue = new Queue(env.DETECTIONS_QUEUE, { connection: { url: env.REDIS_URL } });
        const counts = await queue.getJobCounts().finally(() => queue.close());
        return JSON.stringify({ group: await groupInfo(), detections: counts });
      })().catch((cause: Error) => `state unavailable: ${cause.message}`);
      throw new Error(`${(error as Error).message}\n${state}\nsurvivor:\n${survivor.log}\nalerting:\n${alerting.log}`);
    }
    // Settle (stream acknowledged, queue empty), then read once more: a late duplicate would show here.
    const queue = new Queue(env.DETECTIONS_QUEUE, { connection: { url: env.REDIS_URL } });
    try {
      await waitFor(async () => {
        const info = await groupInfo();
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        return info['lag'] === 0 && info['pending'] === 0 && Object.values(counts).every((n) => n === 0);
      }, 30_000);
    } finally {
      await queue.close();
    }
    alerts = await ruleAlerts();
    expect(alerts.map((a) => a.organization.id).sort()).toEqual([...members].sort());
    expect(alerts.map((a) => a.count)).toEqual(members.map(() => eventsPerMember));
  });
});
