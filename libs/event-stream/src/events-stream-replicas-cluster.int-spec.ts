import Redis from 'ioredis';
import type { SocEvent } from '@soc/contracts';
import { createRedis } from '@soc/redis';
import { LocalRedisCluster } from '../../../test/support/redis-cluster';
import { uniqueId, waitFor } from '../../../test/support';
import { EventsStream, ReplicaConfirmationError } from './events.stream';

/** Members whose partitions (four) lie on more than one master: FNV-1a spreads them (event-stream-partitions). */
const members = ['0101', '0202', '0303', '0404', '0505', '0606', '0707', '0808'];

function eventsOf(member: string, count: number): SocEvent[] {
  return Array.from(
    { length: count },
    (_, i) => ({ '@timestamp': new Date().toISOString(), event: { id: `${member}-${i}` }, organization: { id: member } }) as SocEvent,
  );
}

describe('replica-confirmed appends on a Redis Cluster (three masters, three replicas)', () => {
  let cluster: LocalRedisCluster;
  let producer: Redis;
  const direct = new Map<number, Redis>();

  /** A plain connection to one node, READONLY so that a replica answers reads of its master's slots. */
  async function node(port: number): Promise<Redis> {
    let client = direct.get(port);
    if (!client) {
      client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 });
      client.on('error', () => undefined);
      await client.call('READONLY');
      direct.set(port, client);
    }
    return client;
  }

  /** How many WAITs a node has run (its own counter: the cluster is this spec's alone). */
  async function waitCalls(port: number): Promise<number> {
    const stats = await (await node(port)).info('commandstats');
    return Number(/cmdstat_wait:calls=(\d+)/.exec(stats)?.[1] ?? 0);
  }

  async function replicaPortOf(masterPort: number): Promise<number> {
    const layout = await cluster.layout();
    const master = layout.find((n) => n.port === masterPort)!;
    const replica = layout.find((n) => n.role === 'replica' && n.masterId === master.id && !n.failed);
    if (!replica) throw new Error(`master ${masterPort} has no live replica`);
    return replica.port;
  }

  async function pidOf(port: number): Promise<number> {
    return Number(/process_id:(\d+)/.exec(await (await node(port)).info('server'))?.[1]);
  }

  beforeAll(async () => {
    cluster = await LocalRedisCluster.start();
    // The collector's own kind of client: fails fast, never queues (libs/redis).
    producer = createRedis(cluster.url, 'producer', 'events-stream-replicas-spec');
    await new Promise((resolve) => (producer.status === 'ready' ? resolve(undefined) : producer.once('ready', resolve)));
  }, 180_000);

  afterAll(async () => {
    producer?.disconnect();
    for (const client of direct.values()) client.disconnect();
    await cluster?.stop();
  });

  it("sends each partition's WAIT to the master holding it, and resolves with every entry already on that master's replica", async () => {
    const base = `wait:${uniqueId()}`;
    const stream = new EventsStream(producer, base, 3, 4, { replicas: 1, timeoutMs: 2_000 });
    const masterOf = new Map<string, number>();
    for (const key of stream.partitions.keys) masterOf.set(key, await cluster.masterPortOf(key));
    const masters = [...new Set(masterOf.values())];
    expect(masters.length).toBeGreaterThan(1);
    const before = new Map(await Promise.all(masters.map(async (port) => [port, await waitCalls(port)] as const)));

    const events = members.flatMap((member) => eventsOf(member, 7));
    const appended = await stream.append(events);

    // One WAIT per partition written, each on the master owning the partition's slot, none elsewhere.
    const written = [...new Set(appended.map((a) => a.stream))];
    for (const port of masters) {
      const expected = written.filter((key) => masterOf.get(key) === port).length;
      expect((await waitCalls(port)) - before.get(port)!).toBe(expected);
    }
    // Read at once from each replica, no polling: WAIT 1 promised they are there.
    for (const key of written) {
      const replica = await node(await replicaPortOf(masterOf.get(key)!));
      const ids = (await replica.xrange(key, '-', '+')).map(([id]) => id);
      expect(ids).toEqual(appended.filter((a) => a.stream === key).map((a) => a.entry_id));
    }
    expect(appended.reduce((sum, a) => sum + a.events, 0)).toBe(events.length);
  }, 60_000);

  it("rejects, naming the partition and the replicas, when the key's replica is paused; a paused replica of another master changes nothing", async () => {
    const key = `wait:{${uniqueId()}}:events`;
    const stream = new EventsStream(producer, key, 500, 1, { replicas: 1, timeoutMs: 500 });
    const master = await cluster.masterPortOf(key);
    const paused = await pidOf(await replicaPortOf(master));
    const otherMaster = (await cluster.layout()).find((n) => n.role === 'master' && !n.failed && n.port !== master)!.port;
    const otherPaused = await pidOf(await replicaPortOf(otherMaster));

    process.kill(otherPaused, 'SIGSTOP');
    try {
      // Another master's replica does not answer: this key's WAIT is not asked of it.
      expect(await stream.append(eventsOf('0751', 3))).toHaveLength(1);
    } finally {
      process.kill(otherPaused, 'SIGCONT');
    }

    process.kill(paused, 'SIGSTOP');
    let refusal: unknown;
    const started = Date.now();
    try {
      await stream.append(eventsOf('0751', 5));
    } catch (error) {
      refusal = error;
    } finally {
      process.kill(paused, 'SIGCONT');
    }
    const tookMs = Date.now() - started;
    expect(refusal).toBeInstanceOf(ReplicaConfirmationError);
    expect((refusal as Error).message).toBe(
      `events stream ${key}: 0 of 1 required replica(s) confirmed the append within 500 ms (INGEST_WAIT_REPLICAS); the entries are on the master, a retry may store them twice`,
    );
    expect(refusal).toMatchObject({ stream: key, confirmed: 0, required: 1 });
    // About the timeout: not at once (WAIT did wait), not much longer (nothing else blocked it).
    expect(tookMs).toBeGreaterThanOrEqual(450);
    expect(tookMs).toBeLessThan(2_500);
    // The refused entries are on the master (at least once: a retry stores them again).
    expect(await (await node(master)).xlen(key)).toBe(2);

    // Once the replica runs again, appends are confirmed again.
    await cluster.waitHealthy(30_000);
    expect(await stream.append(eventsOf('0751', 1))).toHaveLength(1);
  }, 90_000);

  // Last: it kills a master. With one replica per master, the replica that takes over has none of
  // its own, so WAIT 1 cannot be met until the dead node comes back as its replica.
  it('keeps what it acknowledged through a failover, refuses while the new master has no replica, and accepts once the old one rejoins as its replica', async () => {
    const key = `wait:{${uniqueId()}}:failover`;
    const stream = new EventsStream(producer, key, 500, 1, { replicas: 1, timeoutMs: 300 });
    const acknowledged: string[] = [];
    for (let i = 0; i < 20; i++) acknowledged.push(...(await stream.append(eventsOf('0751', 2))).map((a) => a.entry_id));
    const master = await cluster.masterPortOf(key);
    await cluster.kill(master);
    await cluster.waitForFailover(master, 90_000);
    const promoted = await cluster.masterPortOf(key);
    expect((await (await node(promoted)).xrange(key, '-', '+')).map(([id]) => id)).toEqual(acknowledged);

    // The client may first meet the old layout (connection refused, MOVED); then every append is refused for want of a replica.
    let refusal: unknown;
    await waitFor(
      async () => {
        refusal = await stream.append(eventsOf('0751', 1)).then(
          () => undefined,
          (error: unknown) => error,
        );
        return refusal instanceof ReplicaConfirmationError;
      },
      30_000,
      () => `append after the failover: ${String(refusal)}`,
      200,
    );
    expect(refusal).toMatchObject({ stream: key, confirmed: 0, required: 1 });

    await cluster.restart(master);
    await cluster.waitHealthy(60_000);
    expect((await cluster.layout()).find((n) => n.port === master)).toMatchObject({ role: 'replica', failed: false });
    // The cluster reports the old master as a healthy replica before its first sync from the new
    // master is done, and until then WAIT confirms nothing: appends are refused for a moment more.
    let after: { entry_id: string } | undefined;
    await waitFor(
      async () => {
        [after] = await stream.append(eventsOf('0751', 1)).catch((error: unknown) => {
          if (error instanceof ReplicaConfirmationError) return [];
          throw error;
        });
        return after !== undefined;
      },
      30_000,
      () => 'append after the old master came back as a replica',
      200,
    );
    // A new connection: a cached one to this port reconnected after the restart without its READONLY.
    direct.get(master)?.disconnect();
    direct.delete(master);
    expect((await (await node(master)).xrange(key, after!.entry_id, after!.entry_id)).length).toBe(1);
  }, 180_000);
});
