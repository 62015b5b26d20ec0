import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { TokenIssuer } from '@soc/auth';
import type { Alert } from '@soc/contracts';
import { indicatorRuleRef } from '@soc/correlation';
import type { DeadLetter } from '@soc/dead-letters';
import { municipalities } from '@soc/members';
import { createRedis, type Redis } from '@soc/redis';
import { createElasticsearchClient } from '@soc/storage';
import { elasticsearchUrl } from '../support';
import { exactlyOnceVerdict, indexedEvents, storedEvents } from './support/chaos-accounting';
import { ChaosCast, runAdversary, type FaultRecord } from './support/chaos-cast';
import { TcpDoor } from './support/chaos-door';
import { deliver, DeliveryLedger, type Forwarder } from './support/chaos-load';
import { RelpBalancer, relpLabel, RsyslogRelpSender } from './support/chaos-relp';
import { chaosPlan, describePlan, type AttackStep, type ChaosApp, type ChaosFault } from './support/chaos-schedule';
import { removeIndices } from './support/cleanup';
import { createForwarderKey } from './support/deployment-start';
import { deadLetteredEventIds } from './support/event-accounting';
import { yesterdayUtc } from './support/events';
import { PersistentRedis } from './support/persistent-redis';
import { rulesDir } from './support/rules-dir';
import { loopbackForwarderMembersFile } from './support/syslog-senders';
import { freePort, isolatedEnv, waitFor } from './support/stack';

/**
 * Issue 19, chaos: two minutes of mixed HTTP load from four members while a scripted adversary,
 * seeded and repeatable (`CHAOS_SEED`), SIGKILLs and restarts collectors, correlators and alerting
 * processes, SIGKILLs and restarts the (persistent) Redis, and cuts Elasticsearch off for 12-20 s.
 * Afterwards every event a collector acknowledged is indexed exactly once, every expected alert
 * exists once with its exact count, and every dead letter is explained and replayed.
 */

const seed = Number(process.env.CHAOS_SEED ?? 20261203);
const durationMs = 120_000;
const replicas: Record<ChaosApp, number> = { collector: 2, correlator: 2, alerting: 2 };
const members = municipalities.slice(0, 4).map((m) => m.code);
// About 200 events/s in all: four members, 25 events every half second each.
const eventsPerRequest = 25;
const requestIntervalMs = 500;
const indicatorEventsPerHit = 3;
// A fifth member forwards syslog with rsyslog's omrelp: 25 numbered lines every half second.
const relpMember = municipalities[4].code;
const relpLinesPerWrite = 25;
const bruteforceRuleId = 'f25b0cb0-0df5-4459-86a3-6ecc84289693';
const indicatorRuleId = indicatorRuleRef('low', []).id;
const repository = join(__dirname, '..', '..');
const attackerOf = (m: number) => `10.77.${m}.1`;
// Public addresses (a feed entry for a documentation or private address is refused), one per member.
const indicatorOf = (m: number) => `45.137.21.${66 + m}`;
/** How long after a fault a batch it failed may still be dead-lettered (a failed bulk request takes 3-5 s, then the claim). */
const deadLetterSlackMs = 15_000;

function loadEvents(member: string, first: number): string {
  return Array.from({ length: eventsPerRequest }, (_, i) => {
    const n = first + i;
    return JSON.stringify({
      '@timestamp': yesterdayUtc(12, 0, n % 3600).toISOString(),
      event: { dataset: 'nginx.access', category: ['web'], type: ['access'], outcome: 'success' },
      source: { ip: '192.0.2.10' },
      url: { original: `/chaos/${n}` },
      labels: { chaos: `${member}:load:${n}` },
      message: `GET /chaos/${n} HTTP/1.1 200`,
    });
  }).join('\n');
}

function attackEvents(step: AttackStep, m: number): { labels: string[]; body: string } {
  if (step.kind === 'bruteforce') {
    const label = `${step.member}:bruteforce:${step.step}`;
    const body = JSON.stringify({
      '@timestamp': yesterdayUtc(10, m, step.step).toISOString(),
      event: { dataset: 'linux.sshd', module: 'linux', category: ['authentication'], type: ['start'], outcome: 'failure', action: 'ssh_login' },
      source: { ip: attackerOf(m), port: 40_000 + step.step },
      user: { name: 'root' },
      labels: { chaos: label },
      message: `Failed password for root from ${attackerOf(m)} port ${40_000 + step.step} ssh2`,
    });
    return { labels: [label], body };
  }
  const labels = Array.from({ length: indicatorEventsPerHit }, (_, i) => `${step.member}:indicator:${i}`);
  const body = labels
    .map((label, i) =>
      JSON.stringify({
        '@timestamp': yesterdayUtc(14, 0, i).toISOString(),
        event: { dataset: 'network.flow', category: ['network'], outcome: 'success' },
        source: { ip: '10.0.0.5' },
        destination: { ip: indicatorOf(m), port: 443 },
        labels: { chaos: label },
      }),
    )
    .join('\n');
  return { labels, body };
}

/**
 * The faults that may make the indexer give up on a batch within its short budget, and the failure
 * each one puts in the reason: Elasticsearch unreachable during the cut, or Redis away during its
 * restart (the indexer's own Redis writes, e.g. the statistics' marks, fail fast).
 */
const indexerFailures: Array<{ fault: ChaosFault['kind']; reason: RegExp; what: string }> = [
  { fault: 'cut-elasticsearch', reason: /ECONNREFUSED|ECONNRESET|socket hang up|other side closed/, what: 'the Elasticsearch cut' },
  { fault: 'restart-redis', reason: /max retries per request|Stream isn't writeable|Connection is closed|ECONNREFUSED|LOADING/, what: 'the Redis restart' },
];

/**
 * A dead letter is explained when the indexer gave up on a batch during a fault (or just after it,
 * within the retry budget) and its reason names the failure that fault causes.
 */
function explanation(letter: DeadLetter, faults: FaultRecord[]): string | undefined {
  const at = Date.parse(letter.at);
  const failure = /^handler failed \d+ times: (.*)$/s.exec(letter.reason);
  if (letter.kind !== 'stream' || !letter.source.includes('indexer') || !failure) return undefined;
  for (const { fault, reason, what } of indexerFailures) {
    const during = faults.find((f) => f.fault.kind === fault && at >= f.began && at <= f.ended + deadLetterSlackMs);
    if (during && reason.test(failure[1])) return `the indexer gave up during ${what} of ${((during.ended - during.began) / 1000).toFixed(1)} s`;
  }
  return undefined;
}

/** One line of the run's story on stdout (console.log would add a stack location to each). */
const say = (line: string) => process.stdout.write(`${line}\n`);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

describe(`chaos: mixed load through process kills, a Redis restart and an Elasticsearch cut (CHAOS_SEED=${seed})`, () => {
  const es = createElasticsearchClient(elasticsearchUrl);
  const rulesFolder = rulesDir({ 'ssh_bruteforce.yml': readFileSync(join(repository, 'rules', 'linux', 'credential_access_ssh_bruteforce.yml'), 'utf8') });
  let redis: PersistentRedis;
  let door: TcpDoor;
  let env: Record<string, string>;
  let client: Redis;
  let cast: ChaosCast | undefined;
  let detections: Queue | undefined;
  let relp: RsyslogRelpSender | undefined;
  let balancer: RelpBalancer | undefined;
  const senderDir = mkdtempSync(join(tmpdir(), 'chaos-relp-'));

  beforeAll(async () => {
    redis = await PersistentRedis.create('always');
    await redis.start();
    door = new TcpDoor(await freePort(), new URL(elasticsearchUrl));
    await door.open();
    env = await isolatedEnv({
      REDIS_URL: redis.url,
      ELASTICSEARCH_URL: door.url,
      RULES_DIR: rulesFolder.path,
      // The RELP member is known by its sending address, loopback.
      MEMBERS_FILE: loopbackForwarderMembersFile(senderDir, relpMember),
      SYSLOG_INPUTS: 'relp',
      // A killed consumer's entries are claimed after a second; the indexer gives up on a batch
      // after two failed deliveries, so the cut makes dead letters to explain and replay.
      CONSUMER_CLAIM_IDLE_MS: '1000',
      INDEXER_MAX_DELIVERIES: '2',
    });
    client = createRedis(env.REDIS_URL, 'worker', 'e2e-chaos');
    // The test's own connections meet the Redis restart too; ioredis reconnects them.
    client.on('error', () => undefined);
  }, 60_000);

  afterAll(async () => {
    await relp?.stop();
    await balancer?.close();
    await cast?.stop();
    await detections?.close();
    client?.disconnect();
    await door?.close();
    await redis?.remove();
    rulesFolder.remove();
    rmSync(senderDir, { recursive: true, force: true });
    if (env) await removeIndices(es, env);
    await es.close();
  }, 60_000);

  it('indexes every acknowledged event exactly once, makes every expected alert once with its count, and explains every dead letter', async () => {
    const plan = chaosPlan(seed, { durationMs, replicas, members });
    say(`chaos seed ${seed} (CHAOS_SEED=${seed} repeats this run):\n${describePlan(plan)}`);
    const keys = new Map<string, string>();
    for (const member of members) keys.set(member, await createForwarderKey(env, member));
    cast = await ChaosCast.create(env, replicas, { collector: ['SYSLOG_RELP_PORT'] });
    cast.start();
    await cast.waitReady(120_000);
    const issuer = new TokenIssuer(env.JWT_SECRET);
    const admin = { authorization: `Bearer ${issuer.issue({ sub: 'chaos-admin', role: 'soc_admin' })}` };
    const analyst = { authorization: `Bearer ${issuer.issue({ sub: 'chaos-analyst', role: 'soc_analyst' })}` };

    // One indicator per member, in every correlator's live copy before the load starts.
    const feed = [
      '"first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"',
      ...members.map((_, m) => `"2026-01-01 00:00:00","${indicatorOf(m)}","443","online","2026-11-27","ChaosBot"`),
      `# END ${members.length} entries`,
    ].join('\n');
    const [correlatorUrl] = cast.urls('correlator');
    const imported = await fetch(`${correlatorUrl}/v1/indicators/import?format=csv&source=chaos`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'text/csv' },
      body: feed,
    });
    expect(await imported.json()).toEqual({ imported: members.length, errors: [] });
    for (const url of cast.urls('correlator')) {
      await waitFor(async () => {
        const list = (await (await fetch(`${url}/v1/indicators?q=45.137.21.`, { headers: analyst })).json()) as { indicators: Array<{ id: string }> };
        const copies = await Promise.all(
          list.indicators.map(
            async (i) =>
              ((await (await fetch(`${url}/v1/indicators/${encodeURIComponent(i.id)}`, { headers: analyst })).json()) as { replica: { copy: unknown } }).replica
                .copy,
          ),
        );
        return copies.length === members.length && copies.every((copy) => copy !== null);
      });
    }

    // The load, the attacks and the adversary, all from one start.
    const ledger = new DeliveryLedger();
    balancer = new RelpBalancer(cast.settings('collector', 'SYSLOG_RELP_PORT').map(Number), ledger);
    const balancerPort = await freePort();
    await balancer.listen(balancerPort);
    relp = new RsyslogRelpSender(senderDir, balancerPort);
    relp.start();
    const startedAt = Date.now();
    const loadEnds = startedAt + durationMs;
    const deliveryDeadline = loadEnds + 60_000;
    const collectors = cast.urls('collector');
    const forwarderOf = (m: number): Forwarder => ({ collectors, key: keys.get(members[m])!, offset: m });
    const adversary = runAdversary(plan, { cast, redis, elasticsearch: door }, startedAt, (line) => say(`chaos ${line}`));
    const load = members.map(async (member, m) => {
      for (let n = 0; ; n += 1) {
        // The load's pace: a request every half second, later ones sent at once when behind.
        await pause(startedAt + n * requestIntervalMs - Date.now());
        if (Date.now() >= loadEnds) return;
        const first = n * eventsPerRequest;
        const labels = Array.from({ length: eventsPerRequest }, (_, i) => `${member}:load:${first + i}`);
        await deliver(forwarderOf(m), labels, loadEvents(member, first), ledger, deliveryDeadline);
      }
    });
    const attacks = plan.attacks.map(async (step) => {
      await pause(startedAt + step.at - Date.now());
      const m = members.indexOf(step.member);
      const { labels, body } = attackEvents(step, m);
      await deliver(forwarderOf(m), labels, body, ledger, deliveryDeadline);
    });
    const relpLoad = (async () => {
      for (let n = 0; ; n += 1) {
        await pause(startedAt + n * requestIntervalMs - Date.now());
        if (Date.now() >= loadEnds) return;
        relp!.write(relpLinesPerWrite);
      }
    })();
    const [faults] = await Promise.all([adversary, Promise.all(load), Promise.all(attacks), relpLoad]);
    const answers = JSON.stringify(Object.fromEntries(ledger.answers));
    say(`chaos load done at t=${((Date.now() - startedAt) / 1000).toFixed(1)}s: ${ledger.acknowledged.size} events acknowledged; answers ${answers}`);
    expect(ledger.rejections).toEqual([]);
    expect(ledger.abandoned).toEqual([]);
    // omrelp sends in order, what was not answered first after a reconnection: once the last line is
    // answered and nothing is outstanding, it has sent all it ever will.
    await waitFor(
      () => balancer!.answered.has(relp!.written) && balancer!.unanswered === 0,
      90_000,
      () =>
        `RELP: ${balancer!.answered.size} of ${relp!.written} lines answered, ${balancer!.unanswered} outstanding\nrsyslogd:\n${relp!.log}\n${cast!.logs('collector')}`,
    );
    await relp.stop();
    const resent = [...balancer.sent.values()].filter((times) => times > 1).length;
    say(
      `chaos RELP: ${relp.written} lines written, ${balancer.answered.size} answered 200 OK, ${resent} sent more than once, ${balancer.connections} connections`,
    );

    // Every replica is back; the pipeline drains: each stored event indexed or dead-lettered.
    await cast.waitReady(120_000);
    let stored = await storedEvents(client, env.EVENTS_STREAM);
    let indexed = await indexedEvents(es, env);
    let deadLettered = new Set<string>();
    const missing = () => [...stored.ids].filter((id) => !indexed.ids.has(id) && !deadLettered.has(id));
    await waitFor(
      async () => {
        stored = await storedEvents(client, env.EVENTS_STREAM);
        indexed = await indexedEvents(es, env);
        deadLettered = await deadLetteredEventIds(client, env);
        return missing().length === 0;
      },
      90_000,
      () => `${missing().length} of ${stored.ids.size} stored events neither indexed nor dead-lettered\n${cast!.logs('alerting')}`,
    );

    // Every dead letter is explained by a fault, listed with its reason, and replayed.
    const alerting = cast.urls('alerting')[0];
    const listed = (await (await fetch(`${alerting}/dead-letters?size=1000`, { headers: admin })).json()) as { dead_letters: DeadLetter[]; total: number };
    const unexplained = listed.dead_letters.filter((letter) => explanation(letter, faults) === undefined);
    expect(unexplained).toEqual([]);
    say(
      `chaos dead letters: ${listed.total} ('batch failed' lines in the alerting logs kept: ${cast.logs('alerting').split('batch failed').length - 1})\n${listed.dead_letters.map((l) => `  ${l.kind}:${l.id} ${l.source} "${l.reason}" → ${explanation(l, faults)}`).join('\n')}`,
    );
    for (const kind of new Set(listed.dead_letters.map((letter) => letter.kind))) {
      const replayed = (await (
        await fetch(`${alerting}/dead-letters/replay`, {
          method: 'POST',
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ kind, all: true, why: `chaos e2e seed ${seed}: the fault is over` }),
        })
      ).json()) as { outcomes: Array<{ outcome: string; detail: string }> };
      expect(replayed.outcomes.filter((o) => o.outcome !== 'replayed')).toEqual([]);
    }
    expect(((await (await fetch(`${alerting}/dead-letters`, { headers: admin })).json()) as { total: number }).total).toBe(0);

    // Exactly once: every acknowledged event stored, every stored event indexed once, nothing else.
    await waitFor(
      async () => {
        stored = await storedEvents(client, env.EVENTS_STREAM);
        indexed = await indexedEvents(es, env);
        return [...stored.ids].every((id) => indexed.ids.has(id));
      },
      90_000,
      () => `${[...stored.ids].filter((id) => !indexed.ids.has(id)).length} stored events not indexed after the replay\n${cast!.logs('alerting')}`,
    );
    // A line omrelp never had answered may be lost by omrelp itself (docs/FORWARDERS.md, RELP): counted, never an answered one.
    const droppedBySender = Array.from({ length: relp.written }, (_, n) => n + 1).filter((seq) => !stored.idsByLabel.has(relpLabel(seq)));
    say(`chaos RELP: ${droppedBySender.length} lines never answered and not stored (omrelp dropped them): ${droppedBySender.slice(0, 20).join(', ')}`);
    const verdict = exactlyOnceVerdict(ledger, stored, indexed);
    say(
      `chaos accounting: ${ledger.acknowledged.size} acknowledged, ${stored.ids.size} stored, ${indexed.ids.size} indexed (${indexed.documents} documents), ` +
        `${ledger.unsure.size} events behind an unsure attempt, ${verdict.storedTwiceAfterUnsureAttempt.length} of them stored twice (HTTP retried after a lost answer)`,
    );
    expect({ ...verdict, storedTwiceAfterUnsureAttempt: undefined }).toEqual({
      acknowledgedNotStored: [],
      storedAfterRefusal: [],
      storedNotIndexed: [],
      indexedUnknown: [],
      extraDocuments: 0,
      storedTwiceUnexplained: [],
      storedTwiceAfterUnsureAttempt: undefined,
    });

    // Every expected alert once with its exact count: each member's brute force (five attempts)
    // and indicator hit (every stored hit event, a second copy of an unsure request included).
    const expected = members.flatMap((member) => [
      { member, rule: bruteforceRuleId, count: 5 },
      {
        member,
        rule: indicatorRuleId,
        count: [...stored.idsByLabel].filter(([label]) => label.startsWith(`${member}:indicator:`)).reduce((n, [, ids]) => n + ids.size, 0),
      },
    ]);
    const sortKey = (a: { member: string; rule: string }) => `${a.member} ${a.rule}`;
    expected.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    let alerts: Alert[] = [];
    const seen = () => alerts.map((a) => ({ member: a.organization.id, rule: a.rule.id, count: a.count })).sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
    const readAlerts = async () => {
      const reply = await fetch(`${alerting}/alerts?size=500`, { headers: analyst });
      alerts = ((await reply.json()) as { alerts: Alert[] }).alerts;
    };
    await waitFor(
      async () => {
        await readAlerts();
        return JSON.stringify(seen()) === JSON.stringify(expected);
      },
      60_000,
      () => `alerts ${JSON.stringify(seen())}, expected ${JSON.stringify(expected)}\n${cast!.logs('correlator')}\n${cast!.logs('alerting')}`,
    );
    // Settled (stream read and acknowledged, no detection queued), then read once more: a
    // duplicate arriving late would show here.
    detections = new Queue(env.DETECTIONS_QUEUE, { connection: { url: env.REDIS_URL } });
    await waitFor(async () => {
      const groups = (await client.xinfo('GROUPS', env.EVENTS_STREAM)) as unknown[][];
      const settled = groups.every((group) => {
        const info = Object.fromEntries(Array.from({ length: group.length / 2 }, (_, i) => [group[2 * i], group[2 * i + 1]]));
        return info.pending === 0 && info.lag === 0;
      });
      const counts = await detections!.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return settled && Object.values(counts).every((n) => n === 0);
    }, 60_000);
    await readAlerts();
    expect(seen()).toEqual(expected);
    const bruteforce = alerts.filter((a) => a.rule.id === bruteforceRuleId);
    expect(Object.fromEntries(bruteforce.map((a) => [a.organization.id, a.observables.find((o) => o.field === 'source.ip')?.value]))).toEqual(
      Object.fromEntries(members.map((member, m) => [member, attackerOf(m)])),
    );
  }, 330_000);
});
