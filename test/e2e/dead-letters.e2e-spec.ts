import { execFile } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TokenIssuer } from '@soc/auth';
import { replayedEventId } from '@soc/dead-letters';
import { createRedis, type Redis } from '@soc/redis';
import { createElasticsearchClient } from '@soc/storage';
import { AppProcess, freePort, isolatedEnv, waitFor } from './support/stack';
import { createForwarderKey } from './support/deployment-start';
import { removeIndices, removeRedisKeys } from './support/cleanup';
import { elasticsearchUrl } from '../support';

const root = join(__dirname, '..', '..');
const run = promisify(execFile);

/**
 * A TCP door between alerting and Elasticsearch that the test closes: while it is closed every
 * connection is refused (a closed port), as in an outage, while the collector, the correlator and
 * the test itself still reach Elasticsearch.
 */
class ElasticsearchDoor {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  constructor(readonly port: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async open(): Promise<void> {
    const target = new URL(elasticsearchUrl);
    this.server = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}

const sshLines = (runId: string, count: number) =>
  Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      '@timestamp': new Date(Date.now() + i).toISOString(),
      event: { dataset: 'linux.sshd', module: 'linux', category: ['authentication'], type: ['start'], outcome: 'failure', action: 'ssh_login' },
      source: { ip: '198.18.7.1', port: 40_000 + i },
      user: { name: `dl-${runId}-${i}` },
      host: { name: `dead-letters-${runId}` },
      process: { name: 'sshd' },
      message: `Failed password for dl-${runId}-${i} from 198.18.7.1 port ${40_000 + i} ssh2`,
    }),
  ).join('\n');

describe('dead letters: an Elasticsearch outage longer than the indexer retries, replayed through the API', () => {
  let env: Record<string, string>;
  let door: ElasticsearchDoor;
  let apps: AppProcess[] = [];
  let redis: Redis;
  const es = createElasticsearchClient(elasticsearchUrl);
  const runId = Math.random().toString(36).slice(2, 8);

  beforeAll(async () => {
    door = new ElasticsearchDoor(await freePort());
    await door.open();
    // A retry budget of two deliveries a second apart, instead of 100 at 30 s; any dead letter is a warning.
    env = await isolatedEnv({ INDEXER_MAX_DELIVERIES: '2', CONSUMER_CLAIM_IDLE_MS: '1000', DEAD_LETTER_WARN_COUNT: '0' });
    redis = createRedis(env.REDIS_URL, 'worker', 'e2e-dead-letters');
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.kill()));
    await door?.close();
    if (env) {
      await removeRedisKeys(redis, env);
      await removeIndices(es, env);
    }
    redis?.disconnect();
    await es.close();
  }, 60_000);

  it('dead-letters a batch while alerting cannot reach Elasticsearch, then replays it: every event indexed exactly once, audited, members kept out', async () => {
    const key = await createForwarderKey(env, '0751');
    const collector = new AppProcess('collector', env).start();
    const alerting = new AppProcess('alerting', { ...env, ELASTICSEARCH_URL: door.url }).start();
    apps = [collector, alerting];
    await Promise.all(apps.map((app) => app.waitReady(120_000)));
    const issuer = new TokenIssuer(env.JWT_SECRET);
    const admin = issuer.issue({ sub: 'ops-admin', role: 'soc_admin' });
    const call = (path: string, token: string, body?: unknown) =>
      fetch(`${alerting.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    await door.close();
    const events = 40;
    const reply = await fetch(`${collector.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson' },
      body: sshLines(runId, events),
    });
    expect(reply.status).toBe(202);
    const deadLetters = `${env.EVENTS_STREAM}:dead-letter`;
    await waitFor(
      async () => (await redis.xlen(deadLetters)) >= 1,
      120_000,
      () => `nothing dead-lettered\n${alerting.log}`,
    );
    await door.open();

    // Readiness stays 200 (intake must not stop) but says degraded, with the reason; /metrics counts it.
    await waitFor(async () => ((await (await fetch(`${alerting.url}/health/ready`)).json()) as { status: string }).status === 'degraded', 60_000);
    const ready = (await (await fetch(`${alerting.url}/health/ready`)).json()) as { warnings: string[] };
    expect(ready.warnings).toEqual([expect.stringMatching(/^\d+ stream dead letters \(more than 0\)$/)]);
    const metrics = await (await fetch(`${alerting.url}/metrics`)).text();
    expect(metrics).toMatch(/^soc_dead_letters\{kind="stream"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^soc_dead_letter_oldest_age_seconds\{kind="stream"\} /m);

    // Only soc_admin reaches the routes: a member (its own letters included), an analyst and no token are refused.
    const member = issuer.issue({ sub: 'm', role: 'member', member_id: '0751' });
    const analyst = issuer.issue({ sub: 'a', role: 'soc_analyst' });
    const listed = (await (await call('/dead-letters?kind=stream', admin)).json()) as {
      dead_letters: Array<{ id: string; ref: string; members: string[] }>;
      total: number;
    };
    const [first] = listed.dead_letters;
    for (const token of [member, analyst]) {
      expect((await call('/dead-letters?member=0751', token)).status).toBe(403);
      expect((await call(`/dead-letters/${first.ref}`, token)).status).toBe(403);
      expect((await call(`/dead-letters/${first.ref}/replay`, token, {})).status).toBe(403);
      expect((await call('/dead-letters/replay', token, { kind: 'stream', all: true })).status).toBe(403);
      expect((await call(`/dead-letters/${first.ref}/discard`, token, { reason: 'x' })).status).toBe(403);
    }
    expect((await fetch(`${alerting.url}/dead-letters`)).status).toBe(401);
    expect(await redis.xlen(deadLetters)).toBe(listed.total);

    expect(first.ref).toBe(`stream:${first.id}`);
    expect(first.members).toEqual(['0751']);
    const detail = (await (await call(`/dead-letters/${first.ref}`, admin)).json()) as { payload: { group: string; batch: { events: unknown[] } } };
    expect(detail.payload.group).toBe('indexer');
    // The same batch dead-lettered twice (a copy): replaying both must still give one document per event.
    const [[, fields]] = (await redis.xrange(deadLetters, first.id, first.id)) as Array<[string, string[]]>;
    await redis.xadd(deadLetters, '*', ...fields);

    const replayed = (await (await call('/dead-letters/replay', admin, { kind: 'stream', all: true, why: 'Elasticsearch reachable again' })).json()) as {
      outcomes: Array<{ outcome: string }>;
    };
    expect(replayed.outcomes.map((o) => o.outcome)).toEqual(Array(listed.total + 1).fill('replayed'));
    expect((await call(`/dead-letters/${first.ref}/replay`, admin, {})).status).toBe(404);

    const index = `${env.INDEX_PREFIX}-events-*`;
    const query = { term: { 'host.name': `dead-letters-${runId}` } };
    await waitFor(
      async () => {
        await es.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
        return (await es.count({ index, query, ignore_unavailable: true, allow_no_indices: true })).count === events;
      },
      60_000,
      () => `events not indexed\n${alerting.log}`,
    );
    const users = await es.search({ index, size: 0, query, aggs: { users: { cardinality: { field: 'user.name' } } } });
    expect((users.aggregations!.users as { value: number }).value).toBe(events);
    await waitFor(async () => ((await (await fetch(`${alerting.url}/health/ready`)).json()) as { status: string }).status === 'ok', 30_000);
    expect(await (await fetch(`${alerting.url}/metrics`)).text()).toMatch(/^soc_dead_letters\{kind="stream"\} 0$/m);

    // The collector holds the ingest dead letters: its own /metrics and readiness count them, and the API discards them.
    const ingestKey = `${env.EVENTS_STREAM}:ingest-dead-letter`;
    await redis.xadd(ingestKey, '*', 'member', '0751', 'transport', 'udp', 'reason', 'not a syslog message', 'raw', 'junk');
    expect(await (await fetch(`${collector.url}/metrics`)).text()).toMatch(/^soc_dead_letters\{kind="ingest"\} 1$/m);
    expect(await (await fetch(`${collector.url}/health/ready`)).json()).toMatchObject({
      status: 'degraded',
      warnings: ['1 ingest dead letters (more than 0)'],
    });
    const ingest = (await (await call('/dead-letters?kind=ingest', admin)).json()) as { dead_letters: Array<{ ref: string }> };
    expect((await call(`/dead-letters/${ingest.dead_letters[0].ref}/discard`, admin, { reason: 'port scanner junk' })).status).toBe(200);
    expect(await (await fetch(`${collector.url}/health/ready`)).json()).toMatchObject({ status: 'ok' });
    expect(await (await fetch(`${collector.url}/metrics`)).text()).toMatch(/^soc_dead_letters\{kind="ingest"\} 0$/m);

    // An ingest dead letter that reads now: replayed by the CLI (same operations, audited as cli:<user>), indexed once.
    const line = `<34>1 ${new Date().toISOString()} host-${runId} sshd 4242 - - Failed password for root from 198.51.100.7 port 50000 ssh2`;
    const readable = await redis.xadd(ingestKey, '*', 'member', '0751', 'transport', 'tcp', 'reason', 'reader bug, since fixed', 'raw', line);
    const cli = (...args: string[]) =>
      run(process.execPath, ['-r', join(root, 'scripts/register-paths.js'), join(root, 'dist/apps/cli/src/main.js'), 'dead-letters', ...args], {
        env: { ...process.env, ...env },
      }).then(({ stdout }) => JSON.parse(stdout) as Record<string, unknown>);
    expect(await cli('list', '--kind', 'ingest')).toMatchObject({ total: 1, dead_letters: [{ id: readable, reason: 'reader bug, since fixed' }] });
    expect(await cli('replay', 'ingest', readable!, '--why', 'reader fixed')).toMatchObject({ outcome: 'replayed' });
    await waitFor(async () => {
      await es.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
      return (await es.count({ index, query: { term: { 'event.id': replayedEventId(ingestKey, readable!) } } })).count === 1;
    }, 60_000);
    expect(await cli('list', '--kind', 'ingest')).toMatchObject({ total: 0 });

    await es.indices.refresh({ index: `${env.INDEX_PREFIX}-audit` });
    const audit = await es.search({ index: `${env.INDEX_PREFIX}-audit`, size: 100, query: { term: { 'target.type': 'dead_letter' } } });
    const entries = audit.hits.hits.map((hit) => hit._source as { action: string; actor: { sub: string }; reason: string });
    const replays = entries.filter((e) => e.action === 'dead_letter_replayed' && !e.actor.sub.startsWith('cli:'));
    expect(replays).toHaveLength(listed.total + 1);
    expect(replays.every((e) => e.actor.sub === 'ops-admin' && e.reason === 'Elasticsearch reachable again')).toBe(true);
    expect(entries.filter((e) => e.action === 'dead_letter_discarded').map((e) => e.reason)).toEqual(['port scanner junk']);
    expect(entries.filter((e) => e.actor.sub.startsWith('cli:')).map((e) => [e.action, e.reason])).toEqual([['dead_letter_replayed', 'reader fixed']]);
  }, 300_000);
});
