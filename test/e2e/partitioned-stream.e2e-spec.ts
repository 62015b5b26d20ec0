import { Queue } from 'bullmq';
import { ForwarderKeyRepository, TokenIssuer } from '@soc/auth';
import type { Alert } from '@soc/contracts';
import { campaignRuleRef } from '@soc/correlation';
import { EventStreamPartitions } from '@soc/event-stream';
import { municipalities } from '@soc/members';
import { AppProcess, freePort, waitFor } from './support/stack';
import { failedSshLoginRule, failedSshLoginRuleId } from './support/rules-dir';
import { E2eDeployment } from './support/deployment';
import { yesterdayUtc } from './support/events';

const partitionCount = 4;
const layout = new EventStreamPartitions('any', partitionCount);
/** Twelve municipalities, three on each of the four partitions. */
const members = Array.from({ length: partitionCount }, (_, p) =>
  municipalities
    .map((m) => m.code)
    .filter((code) => layout.partitionOf(code) === p)
    .slice(0, 3),
).flat();
/** One attacker seen by three members on three different partitions: a campaign only shared state can see. */
const campaignMembers = [0, 1, 2].map((p) => members.find((m) => layout.partitionOf(m) === p)!);
const attacker = '91.240.118.23';
const eventsPerMember = 40;

/** What a run's alerts say, independent of ids and times. */
type AlertSummary = { rule: string; member: string; count: number; campaign?: string[] };

function summarize(alerts: Alert[]): AlertSummary[] {
  return alerts
    .map((a) => ({ rule: a.rule.id, member: a.organization.id, count: a.count, ...(a.campaign ? { campaign: a.campaign.members } : {}) }))
    .sort((x, y) => `${x.rule}/${x.member}`.localeCompare(`${y.rule}/${y.member}`));
}

/**
 * The alerts the input defines once every event is folded and the campaign is linked: one rule
 * alert per member (the campaign members' also count the attacker's login and name the campaign),
 * and the campaign alert. The campaign alert's own count is left to the P=1/P=4 comparison.
 */
function isComplete(summaries: AlertSummary[]): boolean {
  const campaign = [...campaignMembers].sort();
  const inCampaign = (member: string) => campaignMembers.includes(member);
  const expected = [
    ...members.map((member) => ({
      rule: failedSshLoginRuleId,
      member,
      count: eventsPerMember + (inCampaign(member) ? 1 : 0),
      campaign: inCampaign(member) ? campaign : undefined,
    })),
    { rule: campaignRuleRef.id, member: 'shared-soc', count: undefined, campaign },
  ];
  return (
    summaries.length === expected.length &&
    expected.every((want) =>
      summaries.some(
        (got) =>
          got.rule === want.rule &&
          got.member === want.member &&
          (want.count === undefined || got.count === want.count) &&
          JSON.stringify(got.campaign && [...got.campaign].sort()) === JSON.stringify(want.campaign),
      ),
    )
  );
}

/**
 * The same input through collector, two correlator replicas and alerting, once on one events stream
 * and once on four partitions: the same alerts, and a campaign across members of different
 * partitions is still detected (campaign state is in shared Redis keys, not per partition).
 */
describe('events stream in four partitions, two correlator replicas', () => {
  const runs: Array<{ deployment: E2eDeployment; apps: AppProcess[] }> = [];

  afterAll(async () => {
    for (const { deployment, apps } of runs) await deployment.close(apps);
  });

  async function run(partitions: number): Promise<AlertSummary[]> {
    const deployment = await E2eDeployment.create({
      rules: { 'failed_ssh_login.yml': failedSshLoginRule },
      env: {
        EVENTS_STREAM_PARTITIONS: String(partitions),
        CAMPAIGN_MIN_MEMBERS: '3',
        CAMPAIGN_WINDOW_MS: String(3_600_000),
        STREAM_BATCH_SIZE: '20',
        CONSUMER_CLAIM_IDLE_MS: '1000',
      },
    });
    const apps: AppProcess[] = [];
    runs.push({ deployment, apps });
    const { env, redis } = deployment;
    const collector = new AppProcess('collector', env).start();
    const alerting = new AppProcess('alerting', env).start();
    const first = new AppProcess('correlator', env).start({ CONSUMER_NAME: 'replica-1' });
    const second = new AppProcess('correlator', { ...env, CORRELATOR_PORT: String(await freePort()) }).start({ CONSUMER_NAME: 'replica-2' });
    apps.push(collector, alerting, first, second);
    await Promise.all(apps.map((app) => app.waitReady()));

    const keys = new ForwarderKeyRepository(redis, env.KEY_PREFIX);
    const send = async (member: string, lines: object[]) => {
      const { key } = await keys.create(member);
      const reply = await fetch(`${collector.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson' },
        body: lines.map((line) => JSON.stringify(line)).join('\n'),
      });
      expect(reply.status).toBe(202);
    };
    const failedLogin = { event: { dataset: 'linux.sshd', module: 'linux', category: ['authentication'], outcome: 'failure' } };
    await Promise.all(
      members.map((member, m) =>
        send(
          member,
          // Private addresses of its own per member: rule alerts, no campaign among these.
          Array.from({ length: eventsPerMember }, (_, i) => ({
            '@timestamp': yesterdayUtc(9, 0, i).toISOString(),
            source: { ip: `10.${m}.0.${i + 1}` },
            ...failedLogin,
          })),
        ),
      ),
    );
    for (const [i, member] of campaignMembers.entries())
      await send(member, [{ '@timestamp': yesterdayUtc(9, 10 + i).toISOString(), source: { ip: attacker }, ...failedLogin }]);

    const stream = new EventStreamPartitions(env.EVENTS_STREAM, partitions);
    const analyst = { authorization: `Bearer ${new TokenIssuer(env.JWT_SECRET).issue({ sub: 'e2e', role: 'soc_analyst' })}` };
    let alerts: Alert[] = [];
    const readAlerts = async () => {
      const reply = await fetch(`${alerting.url}/alerts?size=500`, { headers: analyst });
      alerts = ((await reply.json()) as { alerts?: Alert[] }).alerts ?? [];
      return alerts;
    };
    const groupsDone = async () => {
      for (const key of stream.keys) {
        const groups = (await redis.xinfo('GROUPS', key).catch(() => [])) as unknown[][];
        const done = groups.filter((g) => {
          const info = Object.fromEntries(Array.from({ length: g.length / 2 }, (_, i) => [g[2 * i], g[2 * i + 1]]));
          return info['lag'] === 0 && info['pending'] === 0;
        });
        if (done.length !== 2) return false;
      }
      return true;
    };
    const queue = new Queue(env.DETECTIONS_QUEUE, { connection: { url: env.REDIS_URL } });
    try {
      // A drained stream and queue are not enough: on a loaded machine the alerts read then may
      // not yet hold every folded detection or the campaign link. So wait for the alerts the input
      // defines (every member's count, the campaign and its members), and only then for nothing
      // more in flight, so that a run that would fold more than that still shows in the comparison.
      await waitFor(
        async () => isComplete(summarize(await readAlerts())),
        300_000,
        () => `P=${partitions}: alerts ${JSON.stringify(summarize(alerts))}\n${first.log}\n${second.log}`,
      );
      await waitFor(
        async () => {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
          return (await groupsDone()) && Object.values(counts).every((n) => n === 0);
        },
        120_000,
        () => `P=${partitions}: stream groups or detections queue not drained`,
      );
    } finally {
      await queue.close();
    }
    // Both replicas read every partition (a consumer group per partition stream).
    for (const key of stream.keys) {
      const consumers = ((await redis.xinfo('CONSUMERS', key, 'correlator')) as unknown[][]).map((c) => String(c[1])).sort();
      expect([key, consumers]).toEqual([key, ['replica-1', 'replica-2']]);
    }
    return summarize(await readAlerts());
  }

  it('gives the same alerts on four partitions as on one stream, the cross-partition campaign included', async () => {
    expect(new Set(campaignMembers.map((m) => layout.partitionOf(m))).size).toBe(3);
    const single = await run(1);
    const partitioned = await run(partitionCount);
    expect(partitioned).toEqual(single);
    const campaign = partitioned.filter((a) => a.rule === campaignRuleRef.id);
    expect(campaign).toEqual([{ rule: campaignRuleRef.id, member: 'shared-soc', count: expect.any(Number), campaign: [...campaignMembers].sort() }]);
    expect(partitioned.filter((a) => a.rule !== campaignRuleRef.id && a.member !== 'shared-soc').map((a) => a.member)).toEqual(expect.arrayContaining(members));
  }, 900_000);
});
