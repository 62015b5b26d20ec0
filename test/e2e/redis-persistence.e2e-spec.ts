import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { TokenIssuer } from '@soc/auth';
import type { Alert } from '@soc/contracts';
import { createRedis, type Redis } from '@soc/redis';
import { createElasticsearchClient, IndexNames } from '@soc/storage';
import { elasticsearchUrl } from '../support';
import { removeIndices } from './support/cleanup';
import { createForwarderKey } from './support/deployment-start';
import { yesterdayUtc } from './support/events';
import { PersistentRedis } from './support/persistent-redis';
import { rulesDir } from './support/rules-dir';
import { AppProcess, isolatedEnv, waitFor } from './support/stack';

/**
 * Issue 19, durable Redis: the whole product on a private redis-server with the product's
 * configuration (append-only file) and `appendfsync always`. Redis is SIGKILLed while numbered
 * events arrive over HTTP and restarted on the same folder and port. Afterwards every event the
 * collector acknowledged (202) is indexed exactly once, forwarder keys made before the kill still
 * authenticate, a correlation window half filled before the kill fires with its exact count once
 * completed after it, and a BullMQ job queued before the kill (an alert's delayed SLA timer) runs
 * after it. The three apps run throughout and reconnect by themselves.
 */

const repository = join(__dirname, '..', '..');
const bruteforceRuleId = 'f25b0cb0-0df5-4459-86a3-6ecc84289693';
// SSH brute force: five failures from one address within ten minutes (and its base rule).
const rules = { 'ssh_bruteforce.yml': readFileSync(join(repository, 'rules', 'linux', 'credential_access_ssh_bruteforce.yml'), 'utf8') };
const member = '0751';
// The window completed before the kill (its alert's SLA timer waits in the queue) and the one half filled.
const alertedAttacker = '10.9.0.1';
const openAttacker = '10.9.0.2';
const loadSenders = 4;
const slaSeconds = 30;
const eventsPerRequest = 20;

function sshFailures(sourceIp: string, from: number, count: number): string {
  return Array.from({ length: count }, (_, n) =>
    JSON.stringify({
      '@timestamp': yesterdayUtc(9, 0, from + n).toISOString(),
      event: { dataset: 'linux.sshd', module: 'linux', category: ['authentication'], type: ['start'], outcome: 'failure', action: 'ssh_login' },
      source: { ip: sourceIp, port: 40_000 + from + n },
      user: { name: 'root' },
      message: `Failed password for root from ${sourceIp} port ${40_000 + from + n} ssh2`,
    }),
  ).join('\n');
}

/** Web requests numbered by `labels.seq` (kept in `_source`), matching no rule. */
function numberedEvents(first: number): string {
  return Array.from({ length: eventsPerRequest }, (_, n) =>
    JSON.stringify({
      '@timestamp': yesterdayUtc(12, 0, (first + n) % 3600).toISOString(),
      event: { dataset: 'nginx.access', category: ['web'], type: ['access'], outcome: 'success' },
      source: { ip: '192.0.2.10' },
      url: { original: `/load/${first + n}` },
      labels: { seq: String(first + n) },
      message: `GET /load/${first + n} HTTP/1.1 200`,
    }),
  ).join('\n');
}

describe('durable Redis: SIGKILLed under load and restarted (appendfsync always)', () => {
  const es = createElasticsearchClient(elasticsearchUrl);
  const rulesFolder = rulesDir(rules);
  const apps: AppProcess[] = [];
  let redis: PersistentRedis;
  let client: Redis;
  let env: Record<string, string>;
  let slaQueue: Queue | undefined;

  beforeAll(async () => {
    redis = await PersistentRedis.create('always');
    await redis.start();
    env = await isolatedEnv({
      REDIS_URL: redis.url,
      RULES_DIR: rulesFolder.path,
      // Every authentication after the restart asks Redis, not the collector's cache.
      FORWARDER_KEY_CACHE_TTL_MS: '1',
      FORWARDER_KEY_CACHE_NEGATIVE_TTL_MS: '1',
      CONSUMER_CLAIM_IDLE_MS: '2000',
      // The brute-force alert (medium) gets its SLA timer, a delayed BullMQ job, due in 30 s: queued
      // before the kill, run after it.
      SLA_SECONDS: `critical=900,high=3600,medium=${slaSeconds},low=86400,informational=259200`,
    });
    client = createRedis(env.REDIS_URL, 'worker', 'e2e-redis-persistence');
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.kill()));
    await slaQueue?.close();
    client?.disconnect();
    await redis?.remove();
    rulesFolder.remove();
    await removeIndices(es, env);
    await es.close();
  });

  const post = (key: string, body: string) =>
    fetch(`http://127.0.0.1:${env.COLLECTOR_PORT}/v1/events`, {
      method: 'POST',
      headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson' },
      body,
      signal: AbortSignal.timeout(10_000),
    });

  it('indexes every acknowledged event once, keeps keys and windows, and resumes queued jobs', async () => {
    const usedKey = await createForwarderKey(env, member);
    // Made before the kill, used for the first time after it.
    const laterKey = await createForwarderKey(env, member);
    const collector = new AppProcess('collector', env).start();
    const correlator = new AppProcess('correlator', env).start();
    const alerting = new AppProcess('alerting', env).start();
    apps.push(collector, correlator, alerting);
    await Promise.all(apps.map((app) => app.waitReady()));
    const token = new TokenIssuer(env.JWT_SECRET).issue({ sub: 'e2e', role: 'soc_analyst' });
    const bruteforceAlerts = async (): Promise<Alert[]> => {
      const reply = await fetch(`${alerting.url}/alerts?size=100`, { headers: { authorization: `Bearer ${token}` } });
      return (((await reply.json()) as { alerts?: Alert[] }).alerts ?? []).filter((a) => a.rule.id === bruteforceRuleId);
    };

    // Before the kill: one attacker completes a window (its alert gets a delayed SLA job), another
    // fills three fifths of one.
    expect((await post(usedKey, sshFailures(alertedAttacker, 0, 5))).status).toBe(202);
    expect((await post(usedKey, sshFailures(openAttacker, 10, 3))).status).toBe(202);
    // The correlator has read and acknowledged all eight events: the open window holds three.
    await waitFor(
      async () => {
        const groups = (await client.xinfo('GROUPS', env.EVENTS_STREAM)) as unknown[][];
        const correlatorGroup = groups.map((g) => Object.fromEntries(pairs(g))).find((g) => g.name === 'correlator');
        return correlatorGroup !== undefined && Number(correlatorGroup.pending) === 0 && Number(correlatorGroup.lag) === 0;
      },
      30_000,
      () => correlator.log,
    );
    let firstAlerts: Alert[] = [];
    await waitFor(
      async () => (firstAlerts = await bruteforceAlerts()).length === 1,
      30_000,
      () => `alerts ${JSON.stringify(firstAlerts)}\n${alerting.log}`,
    );
    const escalatedAlert = firstAlerts[0];
    expect(escalatedAlert.count).toBe(5);
    const sla = new Queue(`${env.INCIDENTS_QUEUE ?? 'incidents'}-sla`, { connection: { url: env.REDIS_URL }, prefix: `${env.KEY_PREFIX}:bull` });
    slaQueue = sla;
    // Its connection fails while Redis is killed, as the apps' do; ioredis reconnects it.
    sla.on('error', () => undefined);
    const slaJobId = `sla-${escalatedAlert.id}-1`;
    await waitFor(async () => (await sla.getJobState(slaJobId)) === 'delayed');

    // Numbered load from several senders; Redis is SIGKILLed in the middle of it and restarted.
    const acknowledged = new Set<number>();
    const answers = new Map<string, number>();
    let next = 0;
    let stop = false;
    const senders = Array.from({ length: loadSenders }, async () => {
      while (!stop) {
        const first = next;
        next += eventsPerRequest;
        const status = await post(usedKey, numberedEvents(first)).then(
          (r) => r.status,
          () => 0,
        );
        answers.set(String(status), (answers.get(String(status)) ?? 0) + 1);
        if (status === 202) for (let n = first; n < first + eventsPerRequest; n++) acknowledged.add(n);
        // Refused while Redis is down: wait a little instead of spinning.
        if (status !== 202) await new Promise((r) => setTimeout(r, 100));
      }
    });
    await waitFor(async () => acknowledged.size >= 1_000);
    const beforeKill = acknowledged.size;
    // The timer has not run yet: it is in Redis only, as a delayed job.
    expect(await sla.getJobState(slaJobId)).toBe('delayed');
    await redis.kill();
    // Down for a second (the fault's length, not a wait for a result): the load meets no Redis.
    await new Promise((r) => setTimeout(r, 1_000));
    await redis.start();
    // The collector is back once it accepts again; then some more load.
    await waitFor(
      async () => acknowledged.size > beforeKill + 500,
      60_000,
      () => `no 202 since the restart (answers ${JSON.stringify(Object.fromEntries(answers))}):\n${collector.log}\n${redis.log}`,
    );
    stop = true;
    await Promise.all(senders);
    // The kill fell inside the load: some requests were refused while Redis was away.
    expect([...answers].filter(([status]) => status !== '202').length).toBeGreaterThan(0);

    // The key made before the kill and never used authenticates; the open window is completed.
    expect((await post(laterKey, sshFailures(openAttacker, 13, 2))).status).toBe(202);

    // Every acknowledged event is indexed exactly once (the stream kept what Redis acknowledged).
    const indexed = new Map<number, number>();
    await waitFor(
      async () => {
        indexed.clear();
        for (const seq of await indexedSeqs(env)) indexed.set(seq, (indexed.get(seq) ?? 0) + 1);
        return [...acknowledged].every((seq) => indexed.has(seq));
      },
      120_000,
      () => `${[...acknowledged].filter((seq) => !indexed.has(seq)).length} of ${acknowledged.size} acknowledged events not indexed\n${alerting.log}`,
    );
    expect([...indexed].filter(([, times]) => times > 1)).toEqual([]);

    // Both windows fired once with their exact counts.
    let alerts: Alert[] = [];
    await waitFor(
      async () => (alerts = await bruteforceAlerts()).length === 2,
      60_000,
      () => `alerts ${JSON.stringify(alerts)}\n${correlator.log}\n${alerting.log}`,
    );
    const byAttacker = Object.fromEntries(alerts.map((a) => [a.observables.find((o) => o.field === 'source.ip')?.value, a.count]));
    expect(byAttacker).toEqual({ [alertedAttacker]: 5, [openAttacker]: 5 });

    // The SLA job queued before the kill ran after it: the alert nobody picked up is escalated.
    await waitFor(
      async () => (await bruteforceAlerts()).find((a) => a.id === escalatedAlert.id)?.escalated === true,
      (slaSeconds + 60) * 1_000,
      () => `SLA job ${slaJobId}: ${JSON.stringify(escalatedAlert)}\n${alerting.log}`,
    );
    expect(['completed', 'unknown']).toContain(await sla.getJobState(slaJobId));
    expect((await bruteforceAlerts()).find((a) => a.id === escalatedAlert.id)?.escalation_level).toBeGreaterThanOrEqual(1);
  });
});

function pairs(flat: unknown[]): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([String(flat[i]), flat[i + 1]]);
  return out;
}

async function indexedSeqs(env: Record<string, string>): Promise<number[]> {
  const es = createElasticsearchClient(elasticsearchUrl);
  try {
    const index = new IndexNames(env.INDEX_PREFIX).eventsPattern;
    await es.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
    // One page: the test sends a few thousand numbered events (the integ-test distribution's
    // clear-scroll answer trips the client's scroll helper).
    const reply = await es.search<{ labels?: { seq?: string } }>({
      index,
      ignore_unavailable: true,
      allow_no_indices: true,
      size: 10_000,
      track_total_hits: true,
      _source: ['labels.seq'],
      query: { term: { 'event.dataset': 'nginx.access' } },
    });
    const total = typeof reply.hits.total === 'number' ? reply.hits.total : (reply.hits.total?.value ?? 0);
    if (total > 10_000) throw new Error(`${total} numbered events indexed: more than one page`);
    const seqs = reply.hits.hits.flatMap((hit) => (hit._source?.labels?.seq === undefined ? [] : [Number(hit._source.labels.seq)]));
    return seqs;
  } finally {
    await es.close();
  }
}
