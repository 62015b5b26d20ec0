import { loadavg } from 'node:os';
import type { Client } from '@elastic/elasticsearch';
import { createRedis, type Redis } from '@soc/redis';
import { createElasticsearchClient, IndexNames } from '@soc/storage';
import { ElasticsearchCluster } from '../support/elasticsearch-cluster';
import type { ElasticsearchNode } from '../support/elasticsearch-node';
import { removeRedisKeys } from './support/cleanup';
import { createForwarderKey } from './support/deployment-start';
import { NumberedEventLoad } from './support/numbered-event-load';
import { AppProcess, isolatedEnv, waitFor } from './support/stack';

// Three JVMs, a collector and the alerting app on two cores shared with other workers: a node's
// start took 1 to 7 minutes (load average 30), recoveries minutes too. Timeouts, never timings.
const nodeStartMs = 600_000;
const recoveryMs = 360_000;
/** One outage: the node leaves, indexing goes on, the node starts again, the cluster recovers. */
const outageMs = nodeStartMs + 3 * recoveryMs;
/** Events indexed while a node is down that prove indexing went on without it (a few seconds of load). */
const progressWhileDown = 1_000;

/** What one outage took, in ms from the stop: indexing seen going on, replicas rebuilt, green on three again. */
interface Outage {
  node: string;
  signal: 'SIGTERM' | 'SIGKILL';
  master: boolean;
  at: number;
  indexed_on_ms?: number;
  green_on_two_ms?: number;
  back_green_ms?: number;
}

/**
 * The product on a three-node Elasticsearch cluster (issue 18): the collector and the alerting
 * app's indexer run as processes against a private cluster of the test distribution, given all
 * three nodes (ELASTICSEARCH_URL) and one replica of every index (ES_REPLICAS=1). Under a steady
 * stream of numbered events, one node holding primaries of the events index is shut down, then
 * the elected master is killed; afterwards every event the collector acknowledged is in
 * Elasticsearch exactly once.
 */
describe('the product on a three-node Elasticsearch cluster', () => {
  let cluster: ElasticsearchCluster | undefined;
  let env: Record<string, string>;
  let apps: AppProcess[] = [];
  let es: Client | undefined;
  let redis: Redis | undefined;
  let load: NumberedEventLoad | undefined;
  let names: IndexNames;
  const outages: Outage[] = [];

  const indexed = async (): Promise<number> => {
    const { count } = await es!.count({
      index: names.eventsPattern,
      query: { term: { 'host.name': load!.host } },
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    return count;
  };

  /** Waits until `count` more events are searchable than when called, while `down` stays down. */
  const indexingGoesOnWithout = async (down: ElasticsearchNode): Promise<void> => {
    const before = await indexed();
    let now = before;
    await waitFor(
      async () => {
        expect(down.running).toBe(false);
        now = await indexed();
        return now >= before + progressWhileDown;
      },
      recoveryMs,
      () => `indexing stalled without ${down.name}: ${before} → ${now} events\n${apps.map((app) => app.log.slice(-3_000)).join('\n')}`,
      1_000,
    );
  };

  beforeAll(async () => {
    cluster = await ElasticsearchCluster.start({ nodes: 3, heap: '256m', startTimeoutMs: nodeStartMs });
    env = await isolatedEnv({
      ELASTICSEARCH_URL: cluster.urls.join(','),
      ES_REPLICAS: '1',
      ES_EVENTS_SHARDS: '3',
      ES_EVENTS_REFRESH_INTERVAL: '2s',
      CONSUMER_CLAIM_IDLE_MS: '5000',
    });
    names = new IndexNames(env.INDEX_PREFIX);
    es = createElasticsearchClient(env.ELASTICSEARCH_URL);
    redis = createRedis(env.REDIS_URL, 'worker', 'e2e-es-cluster');
    const key = await createForwarderKey(env, '0751');
    // The collector and the indexer (in alerting) only: the correlator plays no part in indexing.
    apps = [new AppProcess('collector', env), new AppProcess('alerting', env)];
    apps.forEach((app) => app.start());
    await Promise.all(apps.map((app) => app.waitReady(180_000)));
    load = new NumberedEventLoad(apps[0].url, key, `es-cluster-${env.INDEX_PREFIX}`);
    load.start();
    await waitFor(
      async () => (await indexed()) > 0,
      180_000,
      () => `no event indexed\n${apps.map((app) => app.log).join('\n')}`,
      1_000,
    );
  }, nodeStartMs + 400_000);

  afterAll(async () => {
    await load?.stop();
    await Promise.all(apps.map((app) => app.kill()));
    await es?.close();
    if (redis) {
      await removeRedisKeys(redis, env);
      redis.disconnect();
    }
    // Every node killed and every folder removed, whatever failed before; the indices go with it.
    await cluster?.destroy();
  }, 120_000);

  it(
    'lays out every index with the configured shards and one replica, each copy on another node',
    async () => {
      const settings = await es!.indices.getSettings({ index: names.all, flat_settings: true });
      const eventIndices = Object.keys(settings).filter((index) => index.startsWith(`${names.prefix}-events-`));
      expect(eventIndices.length).toBeGreaterThan(0);
      expect(Object.keys(settings)).toEqual(expect.arrayContaining([names.alerts, names.audit, names.exceptions]));
      for (const [index, { settings: flat }] of Object.entries(settings)) {
        const events = eventIndices.includes(index);
        expect({ index, shards: flat!['index.number_of_shards'], replicas: flat!['index.number_of_replicas'] }).toEqual({
          index,
          shards: events ? '3' : '1',
          replicas: '1',
        });
        if (events) expect(flat!['index.refresh_interval']).toBe('2s');
      }
      await cluster!.waitForHealth('green', 3, recoveryMs);
      const copies = await cluster!.shards(names.eventsPattern);
      const byShard = new Map<string, string[]>();
      for (const copy of copies) byShard.set(`${copy.index}/${copy.shard}`, [...(byShard.get(`${copy.index}/${copy.shard}`) ?? []), copy.node ?? '?']);
      expect(byShard.size).toBe(3 * eventIndices.length);
      for (const nodes of byShard.values()) expect(new Set(nodes).size).toBe(2);
    },
    recoveryMs + 60_000,
  );

  it(
    'goes on indexing while a node holding primaries shuts down, and is green on three nodes once it is back',
    async () => {
      const master = await cluster!.electedMaster();
      const holders = await cluster!.primaryHolders(names.eventsPattern);
      // A data node, not the master: this stop tests shard failover alone, the next one the election too.
      const victim = holders.find((node) => node !== master) ?? holders[0];
      expect(holders).toContain(victim);

      const outage = { node: victim.name, signal: 'SIGTERM', master: victim === master, at: Date.now() } as Outage;
      await cluster!.stopNode(victim, 'SIGTERM');
      await waitFor(
        async () => (await cluster!.health()).number_of_nodes === 2,
        recoveryMs,
        () => `${victim.name} still in the cluster`,
        1_000,
      );
      await indexingGoesOnWithout(victim);
      outage.indexed_on_ms = Date.now() - outage.at;

      await cluster!.startNode(victim, nodeStartMs);
      await cluster!.waitForHealth('green', 3, recoveryMs);
      outages.push({ ...outage, back_green_ms: Date.now() - outage.at });
    },
    outageMs,
  );

  it(
    'goes on indexing while the elected master is killed, rebuilds the replicas on the two nodes left, and takes it back',
    async () => {
      const master = await cluster!.electedMaster();
      const holders = await cluster!.primaryHolders(names.eventsPattern);
      // The harshest single loss: the master, if it also holds primaries (it usually does, 3 shards on 3 nodes).
      const victim = holders.includes(master) ? master : holders[0];
      expect(holders).toContain(victim);

      const outage = { node: victim.name, signal: 'SIGKILL', master: victim === master, at: Date.now() } as Outage;
      await cluster!.stopNode(victim, 'SIGKILL');
      await waitFor(
        async () => (await cluster!.health()).number_of_nodes === 2,
        recoveryMs,
        () => `${victim.name} still in the cluster`,
        1_000,
      );
      expect((await cluster!.electedMaster()).name).not.toBe(victim.name);
      await indexingGoesOnWithout(victim);
      outage.indexed_on_ms = Date.now() - outage.at;
      // After index.unassigned.node_left.delayed_timeout (1 minute) the lost copies are rebuilt on
      // the two nodes left: every shard has its primary and its replica again.
      await cluster!.waitForHealth('green', 2, recoveryMs);
      outage.green_on_two_ms = Date.now() - outage.at;

      await cluster!.startNode(victim, nodeStartMs);
      await cluster!.waitForHealth('green', 3, recoveryMs);
      outages.push({ ...outage, back_green_ms: Date.now() - outage.at });
    },
    outageMs + recoveryMs,
  );

  it(
    'has every event the collector acknowledged exactly once',
    async () => {
      await load!.stop();
      expect(load!.acknowledged.length).toBeGreaterThan(0);
      // Drained: the indexer group has read and acknowledged every entry of the stream.
      await waitFor(
        async () => {
          const groups = (await redis!.xinfo('GROUPS', env.EVENTS_STREAM)) as unknown[][];
          const indexer = groups.map((g) => Object.fromEntries(chunkPairs(g))).find((g) => g.name === 'indexer');
          return indexer !== undefined && Number(indexer.lag) === 0 && Number(indexer.pending) === 0;
        },
        recoveryMs,
        () => `the indexer group has not acknowledged every entry\n${apps[1].log.slice(-5_000)}`,
        1_000,
      );
      await es!.indices.refresh({ index: names.eventsPattern });
      expect(await redis!.xlen(`${env.EVENTS_STREAM}:index-dead-letter`)).toBe(0);

      const counts = await countsByNumber(es!, names.eventsPattern, load!.host);
      const twice = [...counts].filter(([, count]) => count > 1);
      const missing = load!.acknowledged.filter((n) => !counts.has(NumberedEventLoad.label(n)));
      const acknowledged = new Set(load!.acknowledged.map(NumberedEventLoad.label));
      const unacknowledged = [...counts.keys()].filter((label) => !acknowledged.has(label) && !load!.unanswered.has(Number(label)));
      expect({ missing: missing.length, twice: twice.length, unacknowledged: unacknowledged.length }).toEqual({ missing: 0, twice: 0, unacknowledged: 0 });
      expect(await indexed()).toBe([...counts.values()].reduce((a, b) => a + b, 0));
      // The figures docs/SCALING.md quotes: how long each stage took on this machine, under what load.
      console.info(
        `elasticsearch cluster: ${load!.acknowledged.length} events acknowledged and indexed once, refusals ${JSON.stringify(Object.fromEntries(load!.refusals))}, ` +
          `unanswered ${load!.unanswered.size}, outages ${JSON.stringify(outages)}, load average ${loadavg()
            .map((l) => l.toFixed(1))
            .join(' ')}`,
      );
    },
    2 * recoveryMs,
  );
});

function chunkPairs(flat: unknown[]): Array<[string, unknown]> {
  const pairs: Array<[string, unknown]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([String(flat[i]), flat[i + 1]]);
  return pairs;
}

/** How many documents carry each number (`user.name`), every bucket read page by page. */
async function countsByNumber(es: Client, index: string, host: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let after: Record<string, string | number | null> | undefined;
  for (;;) {
    const page = await es.search({
      index,
      size: 0,
      query: { term: { 'host.name': host } },
      aggs: { numbers: { composite: { size: 10_000, sources: [{ n: { terms: { field: 'user.name' } } }], ...(after ? { after } : {}) } } },
    });
    const numbers = page.aggregations!.numbers as { buckets: Array<{ key: { n: string }; doc_count: number }>; after_key?: Record<string, string> };
    for (const bucket of numbers.buckets) counts.set(bucket.key.n, bucket.doc_count);
    if (numbers.buckets.length === 0 || !numbers.after_key) return counts;
    after = numbers.after_key;
  }
}
