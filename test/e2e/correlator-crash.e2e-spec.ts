import { Queue } from 'bullmq';
import { ForwarderKeyRepository, TokenIssuer } from '@soc/auth';
import type { Alert } from '@soc/contracts';
import { municipalities } from '@soc/members';
import type { Redis } from '@soc/redis';
import { AppProcess, waitFor } from './support/stack';
import { failedSshLoginRule } from './support/rules-dir';
import { E2eDeployment } from './support/deployment';
import { yesterdayUtc } from './support/events';

const members = municipalities.slice(0, 20).map((m) => m.code);
const eventsPerMember = 50;

describe('correlator killed with SIGKILL between reading and acknowledging', () => {
  let deployment: E2eDeployment;
  let env: Record<string, string>;
  let redis: Redis;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    deployment = await E2eDeployment.create({
      rules: { 'failed_ssh_login.yml': failedSshLoginRule },
      env: { CONSUMER_CLAIM_IDLE_MS: '1000', STREAM_BATCH_SIZE: '25', CONSUMER_READ_COUNT: '5' },
    });
    ({ env, redis } = deployment);
  });

  afterAll(() => deployment.close(apps));

  const pendingOf = async (consumer: string): Promise<number> => {
    const consumers = (await redis.xinfo('CONSUMERS', env.EVENTS_STREAM, 'correlator').catch(() => [])) as unknown[][];
    const entry = consumers.find((c) => c[1] === consumer);
    return entry ? Number(entry[3]) : 0;
  };

  it('loses nothing and counts nothing twice: the batch is processed after a restart', async () => {
    const collector = new AppProcess('collector', env).start();
    const alerting = new AppProcess('alerting', env).start();
    const doomed = new AppProcess('correlator', env).start({ CONSUMER_NAME: 'doomed' });
    apps.push(collector, alerting, doomed);
    await Promise.all(apps.map((app) => app.waitReady()));

    // Freeze the correlator inside its blocking read: Redis still hands it the next entries
    // (they become pending for "doomed"), but it can never process or acknowledge them. Its read
    // blocks for a second at a time, so it is stopped only while Redis lists its connection as
    // blocked in XREADGROUP, and the first member's events are sent at once; if they still missed
    // the read (a loaded machine), it is let go (it processes them normally: each member's events
    // are sent once either way) and frozen again with the next member's.
    const keys = new ForwarderKeyRepository(redis, env.KEY_PREFIX);
    const send = async (m: number) => {
      const { key } = await keys.create(members[m]);
      const body = Array.from({ length: eventsPerMember }, (_, i) =>
        JSON.stringify({
          '@timestamp': yesterdayUtc(9, 0, i).toISOString(),
          event: { dataset: 'linux.sshd', module: 'linux', category: ['authentication'], outcome: 'failure' },
          // Addresses of its own per member: one attacker at several members would add campaign alerts.
          source: { ip: `10.${m}.0.${i + 1}` },
        }),
      ).join('\n');
      const response = await fetch(`${collector.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson' },
        body,
      });
      expect(response.status).toBe(202);
    };
    const doomedBlocked = async () =>
      String(await redis.client('LIST'))
        .split('\n')
        .some((line) => line.includes(`name=${env.EVENTS_STREAM}:correlator:doomed `) && /flags=\S*b/.test(line) && line.includes('cmd=xreadgroup'));
    let next = 0;
    let frozen = false;
    while (!frozen && next < members.length - 1) {
      await waitFor(doomedBlocked, 30_000, () => `doomed never blocked in XREADGROUP\n${doomed.log}`);
      doomed.signal('SIGSTOP');
      await send(next++);
      frozen = await waitFor(async () => (await pendingOf('doomed')) > 0, 3_000).then(
        () => true,
        () => false,
      );
      if (!frozen) doomed.signal('SIGCONT');
    }
    expect(frozen).toBe(true);
    while (next < members.length) await send(next++);
    await doomed.kill('SIGKILL');
    const stranded = await pendingOf('doomed');
    expect(stranded).toBeGreaterThan(0);

    const successor = new AppProcess('correlator', env).start({ CONSUMER_NAME: 'successor' });
    apps.push(successor);

    const token = new TokenIssuer(env.JWT_SECRET).issue({ sub: 'e2e', role: 'soc_analyst' });
    let alerts: Alert[] = [];
    await waitFor(
      async () => {
        const reply = await fetch(`${alerting.url}/alerts?size=500`, { headers: { authorization: `Bearer ${token}` } });
        alerts = ((await reply.json()) as { alerts?: Alert[] }).alerts ?? [];
        const total = alerts.reduce((sum, a) => sum + a.count, 0);
        return alerts.length === members.length && total === members.length * eventsPerMember;
      },
      90_000,
      () => `alerts ${alerts.length}, counts ${alerts.map((a) => a.count).join(',')}\n${successor.log}`,
    );
    // Let everything settle (stream acknowledged, queue empty), then read once more: a duplicate
    // arriving late would show here.
    const queue = new Queue(env.DETECTIONS_QUEUE, { connection: { url: env.REDIS_URL } });
    await waitFor(async () => {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(counts).every((n) => n === 0) && (await pendingOf('successor')) === 0;
    });
    await queue.close();
    const final = await fetch(`${alerting.url}/alerts?size=500`, { headers: { authorization: `Bearer ${token}` } });
    alerts = ((await final.json()) as { alerts: Alert[] }).alerts;
    expect(alerts.map((a) => a.organization.id).sort()).toEqual([...members].sort());
    expect(alerts.every((a) => a.count === eventsPerMember)).toBe(true);
    expect(await pendingOf('doomed')).toBe(0);
    expect(await pendingOf('successor')).toBe(0);
  });
});
