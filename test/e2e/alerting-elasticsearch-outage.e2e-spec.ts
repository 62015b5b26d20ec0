import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TokenIssuer } from '@soc/auth';
import { createRedis } from '@soc/redis';
import { createElasticsearchClient, pingElasticsearch } from '@soc/storage';
import { AppProcess, freePort, isolatedEnv, waitFor } from './support/stack';
import { createForwarderKey, startServices } from './support/deployment-start';
import { removeRedisKeys } from './support/cleanup';

const root = join(__dirname, '..', '..');
const run = promisify(execFile);
const sshBruteForceRule = 'f25b0cb0-0df5-4459-86a3-6ecc84289693';
const outageMs = 60_000;

/** A private Elasticsearch (same distribution, own port and data) that this test may stop. */
class PrivateElasticsearch {
  readonly dir = mkdtempSync(join(tmpdir(), 'es-outage-'));
  constructor(readonly port: number) {
    // Elasticsearch runs as the service user: it must reach this folder, or services.sh falls
    // back to a folder shared by every checkout of this path.
    chmodSync(this.dir, 0o755);
    // Reuse the unpacked distribution instead of unpacking it again; data, logs, pidfile are ours.
    const shared = join(root, '.services', 'elasticsearch-8.19.21');
    if (existsSync(join(shared, '.installed'))) symlinkSync(shared, join(this.dir, 'elasticsearch-8.19.21'));
    mkdirSync(join(this.dir, 'es-data'));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private async services(command: 'start' | 'stop'): Promise<void> {
    await run('bash', [join(root, 'scripts/services.sh'), command], {
      env: { ...process.env, ELASTICSEARCH_URL: this.url, SERVICES_DIR: this.dir, ES_HEAP: '512m' },
      timeout: 240_000,
    });
  }

  start = () => this.services('start');
  stop = () => this.services('stop');

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function failedSshLogins(batch: number, runId: string): string {
  const ip = `198.18.${Math.floor(batch / 250)}.${(batch % 250) + 1}`;
  const start = Date.now();
  return Array.from({ length: 12 }, (_, i) =>
    JSON.stringify({
      '@timestamp': new Date(start + i).toISOString(),
      event: { dataset: 'linux.sshd', module: 'linux', category: ['authentication'], type: ['start'], outcome: 'failure', action: 'ssh_login' },
      source: { ip, port: 40_000 + i },
      user: { name: `u-${batch}-${i}` },
      host: { name: `outage-${runId}` },
      process: { name: 'sshd' },
      message: `Failed password for u-${batch}-${i} from ${ip} port ${40_000 + i} ssh2`,
    }),
  ).join('\n');
}

describe('alerting through an Elasticsearch outage', () => {
  let es: PrivateElasticsearch;
  let env: Record<string, string>;
  let apps: AppProcess[] = [];
  let collector: AppProcess;
  let alerting: AppProcess;
  let key: string;
  let client: ReturnType<typeof createElasticsearchClient>;
  const runId = Math.random().toString(36).slice(2, 8);

  beforeAll(async () => {
    es = new PrivateElasticsearch(await freePort());
    await es.start();
    client = createElasticsearchClient(es.url);
    env = await isolatedEnv({ ELASTICSEARCH_URL: es.url });
    key = await createForwarderKey(env, '0751');
    ({ collector, alerting, apps } = await startServices(env, 120_000));
  }, 300_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.kill()));
    await client?.close();
    await es?.stop().catch(() => undefined);
    es?.remove();
    if (env) {
      const redis = createRedis(env.REDIS_URL, 'worker', 'e2e-cleanup');
      await removeRedisKeys(redis, env);
      redis.disconnect();
    }
  }, 120_000);

  it('loses no event and no alert while Elasticsearch is stopped for a minute under load', async () => {
    const token = new TokenIssuer(env.JWT_SECRET).issue({ sub: 'ana', role: 'soc_analyst' });
    const post = async (batch: number) => {
      const reply = await fetch(`${collector.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson' },
        body: failedSshLogins(batch, runId),
      });
      expect(reply.status).toBe(202);
    };
    let batches = 0;
    await post(batches++);

    await es.stop();
    expect(await pingElasticsearch(client)).toBe(false);
    // Load during the outage: a batch (12 events, a new attacker address, so a new alert) every second.
    const outageEnds = Date.now() + outageMs;
    while (Date.now() < outageEnds) {
      await post(batches++);
      await new Promise((r) => setTimeout(r, 1_000));
    }
    await es.start();

    const expectedEvents = batches * 12;
    await waitFor(
      async () => {
        await client.indices.refresh({ index: `${env.INDEX_PREFIX}-events-*`, ignore_unavailable: true, allow_no_indices: true });
        const { count } = await client.count({
          index: `${env.INDEX_PREFIX}-events-*`,
          query: { term: { 'host.name': `outage-${runId}` } },
          ignore_unavailable: true,
          allow_no_indices: true,
        });
        return count === expectedEvents;
      },
      120_000,
      () => `events not all indexed\n${alerting.log}`,
    );
    // Every user name is one event: all distinct ids present, none twice.
    const distinct = await client.search({
      index: `${env.INDEX_PREFIX}-events-*`,
      size: 0,
      aggs: { users: { cardinality: { field: 'user.name', precision_threshold: 40_000 } } },
      query: { term: { 'host.name': `outage-${runId}` } },
    });
    expect((distinct.aggregations!.users as { value: number }).value).toBe(expectedEvents);

    await waitFor(
      async () => {
        const reply = await fetch(`${alerting.url}/alerts?rule=${sshBruteForceRule}&size=1`, { headers: { authorization: `Bearer ${token}` } });
        return ((await reply.json()) as { total?: number }).total === batches;
      },
      120_000,
      () => `alerts missing\n${alerting.log}`,
    );
  }, 420_000);
});
