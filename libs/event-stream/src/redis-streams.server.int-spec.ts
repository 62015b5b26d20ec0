import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { eventPatterns, type SocEvent } from '@soc/contracts';
import { createRedis } from '@soc/redis';
import { EventsStream } from './events.stream';
import { RedisStreamsServer, type RedisStreamsServerOptions } from './redis-streams.server';
import { redisUrl, waitFor } from '../../../test/support';

function event(n: number): SocEvent {
  return {
    '@timestamp': new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    event: { id: `e${n}`, ingested: new Date().toISOString() },
    organization: { id: '0751' },
    message: `event ${n}`,
  };
}

describe(RedisStreamsServer.name, () => {
  let redis: Redis;
  let stream: string;
  const servers: RedisStreamsServer[] = [];

  function startServer(handler: (batch: { events: SocEvent[] }) => unknown, overrides: Partial<RedisStreamsServerOptions> = {}): RedisStreamsServer {
    const server = new RedisStreamsServer({
      redisUrl,
      stream,
      group: 'g',
      consumer: randomUUID(),
      readCount: 10,
      claimIdleMs: 500,
      blockMs: 100,
      ...overrides,
    });
    server.addHandler(eventPatterns.eventBatch, async (data: { events: SocEvent[] }) => handler(data), true);
    server.listen(() => undefined);
    servers.push(server);
    return server;
  }

  beforeEach(() => {
    redis = createRedis(redisUrl, 'consumer', 'test');
    stream = `test:stream:${randomUUID()}`;
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await redis.del(stream, `${stream}:dead-letter`);
    redis.disconnect();
  });

  it('delivers every batch to the handler and acknowledges it after success', async () => {
    const seen: string[] = [];
    startServer((batch) => {
      seen.push(...batch.events.map((e) => e.event.id));
    });
    await new EventsStream(redis, stream, 3).append([1, 2, 3, 4, 5, 6, 7].map(event));
    await waitFor(() => seen.length === 7);
    expect(seen.sort()).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7']);
    await waitFor(async () => ((await redis.xpending(stream, 'g')) as [number])[0] === 0);
  });

  it('writes one correlation id into every entry of one append, each entry with its own batch id', async () => {
    const seen: Array<{ batch_id: string; correlation_id?: string; events: SocEvent[] }> = [];
    startServer((batch) => {
      seen.push(batch as (typeof seen)[number]);
    });
    const appended = await new EventsStream(redis, stream, 3).append([1, 2, 3, 4, 5].map(event), 'corr-1');
    await new EventsStream(redis, stream, 3).append([event(6)]);
    await waitFor(() => seen.length === 3);
    expect(appended.map((b) => [b.correlation_id, b.events])).toEqual([
      ['corr-1', 3],
      ['corr-1', 2],
    ]);
    const byBatch = new Map(seen.map((b) => [b.batch_id, b]));
    expect(appended.map((b) => byBatch.get(b.batch_id)?.correlation_id)).toEqual(['corr-1', 'corr-1']);
    expect(new Set(appended.map((b) => b.batch_id)).size).toBe(2);
    // An append without one gets a fresh id of its own.
    const single = seen.find((b) => b.events[0].event.id === 'e6')!;
    expect(single.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses to start without a handler for the batch pattern', () => {
    const server = new RedisStreamsServer({ redisUrl, stream, group: 'g', consumer: 'c', readCount: 1, claimIdleMs: 1000 });
    expect(() => server.listen(() => undefined)).toThrow(`no @EventPattern('events.batch') handler for stream ${stream}`);
  });

  it('leaves a failed batch pending and delivers it again until it succeeds', async () => {
    let attempts = 0;
    const done: string[] = [];
    startServer((batch) => {
      attempts += 1;
      if (attempts < 3) throw new Error('transient failure');
      done.push(...batch.events.map((e) => e.event.id));
    });
    await new EventsStream(redis, stream, 10).append([event(1)]);
    await waitFor(() => done.length === 1);
    expect(attempts).toBe(3);
  });

  it('runs several consumers of the group in one process, each under its own name, handling entries at once', async () => {
    let active = 0;
    let most = 0;
    const seen: string[] = [];
    let release!: () => void;
    const allBusy = new Promise<void>((resolve) => (release = resolve));
    startServer(
      async (batch) => {
        active += 1;
        most = Math.max(most, active);
        if (most === 3) release();
        // Each handler holds its entry until three are in hand at once: one consumer alone never gets there.
        await allBusy;
        seen.push(...batch.events.map((e) => e.event.id));
        active -= 1;
      },
      { consumer: 'indexer-a', consumers: 3, readCount: 1 },
    );
    await new EventsStream(redis, stream, 1).append([1, 2, 3, 4, 5, 6].map(event));
    await waitFor(() => seen.length === 6);
    expect(most).toBe(3);
    const consumers = (await redis.xinfo('CONSUMERS', stream, 'g')) as unknown[][];
    expect(consumers.map((c) => c[1]).sort()).toEqual(['indexer-a', 'indexer-a-2', 'indexer-a-3']);
    await waitFor(async () => ((await redis.xpending(stream, 'g')) as [number])[0] === 0);
  });

  it('after a restart, each of several consumers handles first the entries it read and never acknowledged', async () => {
    await redis.xgroup('CREATE', stream, 'g', '0', 'MKSTREAM');
    await new EventsStream(redis, stream, 10).append([event(1)]);
    // The second consumer of the process read the entry and the process died before the acknowledgement.
    await redis.xreadgroup('GROUP', 'g', 'indexer-a-2', 'COUNT', 10, 'STREAMS', stream, '>');
    const seen: string[] = [];
    // Claiming is an hour away: only the consumer's own pending read can deliver the entry.
    startServer(
      (batch) => {
        seen.push(...batch.events.map((e) => e.event.id));
      },
      { consumer: 'indexer-a', consumers: 2, claimIdleMs: 3_600_000 },
    );
    await waitFor(() => seen.length === 1);
    expect(seen).toEqual(['e1']);
    await waitFor(async () => ((await redis.xpending(stream, 'g')) as [number])[0] === 0);
  });

  it('lets another consumer take over the batch a dead consumer never acknowledged', async () => {
    // A consumer that reads and dies before acknowledging: read with XREADGROUP, never XACK.
    await redis.xgroup('CREATE', stream, 'g', '0', 'MKSTREAM');
    await new EventsStream(redis, stream, 10).append([event(1), event(2)]);
    await redis.xreadgroup('GROUP', 'g', 'dead-consumer', 'COUNT', 10, 'STREAMS', stream, '>');
    const seen: string[] = [];
    startServer((batch) => {
      seen.push(...batch.events.map((e) => e.event.id));
    });
    await waitFor(() => seen.length === 2);
    expect(seen.sort()).toEqual(['e1', 'e2']);
  });

  it('moves an entry that is not an event batch to the dead-letter stream with the reason', async () => {
    const server = startServer(() => undefined);
    await redis.xadd(stream, '*', 'b', '{not json');
    await waitFor(async () => (await redis.xlen(server.deadLetterStream)) === 1);
    const [[, fields]] = (await redis.xrange(server.deadLetterStream, '-', '+')) as Array<[string, string[]]>;
    expect(fields[fields.indexOf('reason') + 1]).toMatch(/^payload is not JSON/);
    expect(fields[fields.indexOf('b') + 1]).toBe('{not json');
  });

  it('reads each entry with its catalogue schema: a batch with a bad event is dead-lettered naming the field, unhandled', async () => {
    const handled: unknown[] = [];
    const server = startServer((batch) => void handled.push(batch));
    const { organization: _member, ...withoutMember } = event(1);
    await redis.xadd(stream, '*', 'b', JSON.stringify({ batch_id: 'x', events: [event(2), withoutMember] }));
    await waitFor(async () => (await redis.xlen(server.deadLetterStream)) === 1);
    const [[, fields]] = (await redis.xrange(server.deadLetterStream, '-', '+')) as Array<[string, string[]]>;
    expect(fields[fields.indexOf('reason') + 1]).toBe(
      'payload is not an event batch: events.1.organization: Invalid input: expected object, received undefined',
    );
    expect(handled).toEqual([]);
  });

  it('dead-letters a batch whose handler keeps failing, after the last delivery', async () => {
    const server = startServer(
      () => {
        throw new Error('always broken');
      },
      { maxDeliveries: 2 },
    );
    await new EventsStream(redis, stream, 10).append([event(1)]);
    await waitFor(async () => (await redis.xlen(server.deadLetterStream)) === 1);
    const [[, fields]] = (await redis.xrange(server.deadLetterStream, '-', '+')) as Array<[string, string[]]>;
    expect(fields[fields.indexOf('reason') + 1]).toBe('handler failed 2 times: always broken');
  });
});
