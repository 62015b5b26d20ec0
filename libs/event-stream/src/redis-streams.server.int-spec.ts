import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { eventPatterns, type SocEvent } from '@soc/contracts';
import { createRedis } from '@soc/redis';
import { EventsStream } from './events.stream';
import { RedisStreamsServer, type RedisStreamsServerOptions } from './redis-streams.server';
import type { StreamBatchContext } from './stream-batch.context';
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

  function startServer(
    handler: (batch: { batch_id: string; correlation_id?: string; events: SocEvent[] }, context: StreamBatchContext) => unknown,
    overrides: Partial<RedisStreamsServerOptions> = {},
  ): RedisStreamsServer {
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
    server.addHandler(
      eventPatterns.eventBatch,
      async (data: { batch_id: string; events: SocEvent[] }, context: StreamBatchContext) => handler(data, context),
      true,
    );
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

  const pendingCount = async () => ((await redis.xpending(stream, 'g')) as [number])[0];
  const ids = (batch: { events: SocEvent[] }) => batch.events.map((e) => e.event.id);

  describe('with mergeEvents', () => {
    it('merges the entries of one read into handler calls of up to mergeEvents events, an entry larger than that alone, and acknowledges each call together', async () => {
      // Written before the server starts, so its first read returns them all (readCount 10).
      const entries = [
        ...(await new EventsStream(redis, stream, 3).append([1, 2, 3, 4, 5, 6].map(event), 'corr-a')),
        ...(await new EventsStream(redis, stream, 10).append([7, 8, 9, 10, 11, 12, 13, 14, 15, 16].map(event))),
        ...(await new EventsStream(redis, stream, 3).append([17, 18, 19].map(event))),
      ];
      const calls: Array<{ batch_id: string; correlation_id?: string; events: string[]; entryIds: string[] }> = [];
      startServer(
        (batch, context) => {
          calls.push({ batch_id: batch.batch_id, correlation_id: batch.correlation_id, events: ids(batch), entryIds: context.getEntryIds() });
        },
        { mergeEvents: 7 },
      );
      await waitFor(() => calls.reduce((n, c) => n + c.events.length, 0) === 19);
      expect(calls.map((c) => c.events.length)).toEqual([6, 10, 3]);
      expect(calls.flatMap((c) => c.events)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19].map((n) => `e${n}`));
      expect(calls.map((c) => c.entryIds)).toEqual([[entries[0].entry_id, entries[1].entry_id], [entries[2].entry_id], [entries[3].entry_id]]);
      // Merged: every batch id, and the correlation id the two entries share.
      expect(calls[0]).toMatchObject({ batch_id: `${entries[0].batch_id},${entries[1].batch_id}`, correlation_id: 'corr-a' });
      await waitFor(async () => (await pendingCount()) === 0);
      expect(await redis.xlen(`${stream}:dead-letter`)).toBe(0);
    });

    it('dead-letters an entry that is not a batch and merges the entries around it', async () => {
      await new EventsStream(redis, stream, 2).append([event(1), event(2)]);
      await redis.xadd(stream, '*', 'b', '{not json');
      await new EventsStream(redis, stream, 2).append([event(3), event(4)]);
      const calls: string[][] = [];
      const server = startServer((batch) => void calls.push(ids(batch)), { mergeEvents: 100 });
      await waitFor(async () => (await redis.xlen(server.deadLetterStream)) === 1 && calls.length === 1);
      expect(calls).toEqual([['e1', 'e2', 'e3', 'e4']]);
      await waitFor(async () => (await pendingCount()) === 0);
    });

    it('when a merged call fails, handles each entry alone: the good ones are acknowledged, the bad one counted, retried and dead-lettered per entry', async () => {
      await new EventsStream(redis, stream, 2).append([1, 2, 3, 4, 5, 6].map(event));
      const handled: string[] = [];
      const calls: string[][] = [];
      const server = startServer(
        (batch) => {
          calls.push(ids(batch));
          if (ids(batch).includes('e4')) throw new Error('e4 is poison');
          handled.push(...ids(batch));
        },
        { mergeEvents: 100, maxDeliveries: 2 },
      );
      await waitFor(async () => (await redis.xlen(server.deadLetterStream)) === 1);
      // The merged call, then each entry alone; the bad entry's claim (its second delivery) alone again.
      expect(calls).toEqual([
        ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'],
        ['e1', 'e2'],
        ['e3', 'e4'],
        ['e5', 'e6'],
        ['e3', 'e4'],
      ]);
      expect(handled).toEqual(['e1', 'e2', 'e5', 'e6']);
      const [[, fields]] = (await redis.xrange(server.deadLetterStream, '-', '+')) as Array<[string, string[]]>;
      // Two deliveries (one read, one claim): the merged attempt did not count as one.
      expect(fields[fields.indexOf('reason') + 1]).toBe('handler failed 2 times: e4 is poison');
      expect(ids(JSON.parse(fields[fields.indexOf('b') + 1]) as { events: SocEvent[] })).toEqual(['e3', 'e4']);
      await waitFor(async () => (await pendingCount()) === 0);
    });

    it('leaves every entry pending while the handler fails for all (an outage), then handles each once it recovers', async () => {
      await new EventsStream(redis, stream, 2).append([1, 2, 3, 4, 5, 6].map(event));
      let outage = true;
      const calls: string[][] = [];
      const handled: string[] = [];
      startServer(
        (batch) => {
          calls.push(ids(batch));
          if (outage) throw new Error('Elasticsearch away');
          handled.push(...ids(batch));
        },
        { mergeEvents: 100, claimIdleMs: 300 },
      );
      // The merged call and the three entries alone failed: all three stay pending, none dead-lettered.
      await waitFor(() => calls.length >= 4);
      expect(await pendingCount()).toBe(3);
      outage = false;
      await waitFor(async () => (await pendingCount()) === 0);
      expect(handled.sort()).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6']);
      expect(await redis.xlen(`${stream}:dead-letter`)).toBe(0);
    });

    it.each([
      ['its own pending entries after a restart', 'restarted', 3_600_000],
      ['the entries a dead consumer never acknowledged', 'dead-consumer', 500],
    ])('merges %s', async (_what, reader, claimIdleMs) => {
      await redis.xgroup('CREATE', stream, 'g', '0', 'MKSTREAM');
      await new EventsStream(redis, stream, 2).append([1, 2, 3, 4, 5, 6].map(event));
      await redis.xreadgroup('GROUP', 'g', reader, 'COUNT', 10, 'STREAMS', stream, '>');
      const calls: string[][] = [];
      startServer((batch) => void calls.push(ids(batch)), { consumer: 'restarted', mergeEvents: 100, claimIdleMs });
      await waitFor(async () => calls.length > 0 && (await pendingCount()) === 0);
      expect(calls).toEqual([['e1', 'e2', 'e3', 'e4', 'e5', 'e6']]);
    });
  });
});
