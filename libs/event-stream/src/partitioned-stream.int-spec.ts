import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { eventPatterns, type EventBatch, type SocEvent } from '@soc/contracts';
import { createRedis } from '@soc/redis';
import { EventStreamPartitions } from './event-stream-partitions';
import { EventsStream } from './events.stream';
import { RedisStreamsServer, type RedisStreamsServerOptions } from './redis-streams.server';
import type { StreamBatchContext } from './stream-batch.context';
import { redisUrl, waitFor } from '../../../test/support';

const partitionCount = 4;
/** Members spread over all four partitions (FNV-1a of the id modulo 4: 0, 1, 2, 3 and more). */
const members = ['0101', '0202', '0303', '0404', '0505', '0606', '0707', '0751', '0808', '0909'];

let sequence = 0;
function eventOf(member: string): SocEvent {
  sequence += 1;
  return { '@timestamp': new Date().toISOString(), event: { id: `${member}-${sequence}` }, organization: { id: member } } as SocEvent;
}

describe('partitioned events stream on Redis', () => {
  let redis: Redis;
  let base: string;
  let partitions: EventStreamPartitions;
  const servers: RedisStreamsServer[] = [];

  beforeEach(() => {
    redis = createRedis(redisUrl, 'worker', 'partitioned-stream-spec');
    base = `test:partitioned:${randomUUID()}`;
    partitions = new EventStreamPartitions(base, partitionCount);
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await redis.del(...partitions.keys, `${base}:dead-letter`);
    redis.disconnect();
  });

  function startServer(
    consumer: string,
    handler: (batch: EventBatch, context: StreamBatchContext) => Promise<void> | void,
    overrides: Partial<RedisStreamsServerOptions> = {},
  ): RedisStreamsServer {
    const server = new RedisStreamsServer({
      redisUrl,
      stream: base,
      partitions: partitionCount,
      group: 'g',
      consumer,
      readCount: 10,
      claimIdleMs: 500,
      blockMs: 100,
      ...overrides,
    });
    server.addHandler(eventPatterns.eventBatch, async (batch: EventBatch, context: StreamBatchContext) => handler(batch, context), true);
    server.listen(() => undefined);
    servers.push(server);
    return server;
  }

  const consumersOf = async (key: string): Promise<Array<{ name: string; pending: number }>> =>
    ((await redis.xinfo('CONSUMERS', key, 'g').catch(() => [])) as unknown[][]).map((c) => ({ name: String(c[1]), pending: Number(c[3]) }));
  const pendingEverywhere = async (): Promise<number> => {
    let pending = 0;
    for (const key of partitions.keys) pending += ((await redis.xpending(key, 'g')) as [number])[0];
    return pending;
  };

  it('the members used here cover every partition', () => {
    expect(new Set(members.map((m) => partitions.partitionOf(m))).size).toBe(partitionCount);
  });

  it("writes each member's events to its partition, one transaction per partition, and counts backlog and trims over all of them", async () => {
    const stream = new EventsStream(redis, base, 2, partitionCount);
    const events = members.flatMap((m) => [eventOf(m), eventOf(m), eventOf(m)]);
    const appended = await stream.append(events, 'corr-p');
    expect(new Set(appended.map((a) => a.stream))).toEqual(new Set(partitions.keys));
    for (const key of partitions.keys) {
      const stored = (await redis.xrange(key, '-', '+')).flatMap(([, fields]) => (JSON.parse(fields[1]) as EventBatch).events);
      expect(stored.every((e) => partitions.keyOf(e.organization.id) === key)).toBe(true);
    }
    const total = (await Promise.all(partitions.keys.map((k) => redis.xlen(k)))).reduce((a, b) => a + b);
    expect(total).toBe(appended.length);

    // Backlog: the slowest group's entries summed over the partitions; the indexer read them all.
    for (const key of partitions.keys) {
      await redis.xgroup('CREATE', key, 'correlator', '0');
      await redis.xgroup('CREATE', key, 'indexer', '0');
      const read = (await redis.xreadgroup('GROUP', 'indexer', 'c', 'COUNT', 100, 'STREAMS', key, '>')) as Array<[string, Array<[string, string[]]>]>;
      await redis.xack(key, 'indexer', ...read[0][1].map(([id]) => id));
    }
    expect(await stream.backlog()).toBe(total);
    expect(await stream.trimAcknowledged(0)).toBe(0);
    for (const key of partitions.keys) {
      const read = (await redis.xreadgroup('GROUP', 'correlator', 'c', 'COUNT', 100, 'STREAMS', key, '>')) as Array<[string, Array<[string, string[]]>]>;
      await redis.xack(key, 'correlator', ...read[0][1].map(([id]) => id));
    }
    expect(await stream.backlog()).toBe(0);
    expect(await stream.trimAcknowledged(0)).toBe(total);
  });

  it('reads every partition: each replica runs one consumer per partition, named alike, and a member is always read from its own partition', async () => {
    const seen: Array<{ member: string; stream: string }> = [];
    startServer('replica-a', (batch, context) => void seen.push(...batch.events.map((e) => ({ member: e.organization.id, stream: context.getStream() }))));
    const events = members.map(eventOf);
    await new EventsStream(redis, base, 10, partitionCount).append(events);
    await waitFor(() => seen.length === events.length);
    expect(seen.every(({ member, stream }) => stream === partitions.keyOf(member))).toBe(true);
    for (const key of partitions.keys) expect((await consumersOf(key)).map((c) => c.name)).toEqual(['replica-a']);
  });

  it('deals more consumers than partitions round the partitions: the first round keeps the name, the second is <name>-2', async () => {
    startServer('indexer-a', () => undefined, { consumers: 6 });
    await waitFor(async () => (await Promise.all(partitions.keys.map(consumersOf))).every((c) => c.length > 0));
    const names = await Promise.all(partitions.keys.map(async (k) => (await consumersOf(k)).map((c) => c.name).sort()));
    expect(names).toEqual([['indexer-a', 'indexer-a-2'], ['indexer-a', 'indexer-a-2'], ['indexer-a'], ['indexer-a']]);
  });

  it('when one of two replicas dies mid-way, the other claims its pending entries partition by partition, and every entry is handled', async () => {
    let kill!: () => void;
    const killed = new Promise<void>((resolve) => (kill = resolve));
    const heldByA: string[] = [];
    // Replica A reads and never acknowledges: it "crashes" holding what it read.
    const a = startServer('replica-a', async (batch) => {
      heldByA.push(...batch.events.map((e) => e.event.id));
      await killed;
      throw new Error('replica A is gone');
    });
    await waitFor(async () => (await Promise.all(partitions.keys.map(consumersOf))).every((c) => c.length === 1));
    // Only A reads yet: it takes the first entry of each partition.
    const first = members.map(eventOf);
    await new EventsStream(redis, base, 100, partitionCount).append(first);
    await waitFor(async () => {
      const perPartition = await Promise.all(partitions.keys.map(consumersOf));
      return perPartition.every((consumers) => consumers.some((c) => c.name === 'replica-a' && c.pending > 0));
    });

    const handledByB: string[] = [];
    startServer('replica-b', (batch) => void handledByB.push(...batch.events.map((e) => e.event.id)));
    const rest = members.flatMap((m) => [eventOf(m), eventOf(m)]);
    const writer = new EventsStream(redis, base, 1, partitionCount);
    for (let i = 0; i < rest.length; i += 5) await writer.append(rest.slice(i, i + 5));

    kill();
    await a.close();
    await waitFor(async () => handledByB.length === first.length + rest.length && (await pendingEverywhere()) === 0, 30_000);
    expect(new Set(handledByB)).toEqual(new Set([...first, ...rest].map((e) => e.event.id)));
    expect(new Set(heldByA)).toEqual(new Set(first.map((e) => e.event.id)));
    for (const key of partitions.keys) {
      const consumers = await consumersOf(key);
      expect(consumers.find((c) => c.name === 'replica-a')?.pending).toBe(0);
    }
  });

  it("dead-letters a partition's bad entry into the stream's one dead-letter stream, naming the partition, and acknowledges it there", async () => {
    const server = startServer('replica-a', () => undefined);
    const key = partitions.keys[2];
    await redis.xadd(key, '*', 'b', '{not json');
    await waitFor(async () => (await redis.xlen(server.deadLetterStream)) === 1);
    expect(server.deadLetterStream).toBe(`${base}:dead-letter`);
    const [[, fields]] = (await redis.xrange(server.deadLetterStream, '-', '+')) as Array<[string, string[]]>;
    expect(fields[fields.indexOf('partition') + 1]).toBe(key);
    expect(fields[fields.indexOf('reason') + 1]).toMatch(/^payload is not JSON/);
    await waitFor(async () => (await pendingEverywhere()) === 0);
  });
});
