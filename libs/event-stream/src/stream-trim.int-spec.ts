import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { SocEvent } from '@soc/contracts';
import { createRedis } from '@soc/redis';
import { EventsStream } from './events.stream';
import { redisUrl } from '../../../test/support';

const event = (n: number): SocEvent => ({ '@timestamp': new Date().toISOString(), event: { id: `e${n}` }, organization: { id: '0751' } }) as SocEvent;

describe('EventsStream.trimAcknowledged on Redis', () => {
  let redis: Redis;
  let key: string;
  let stream: EventsStream;

  beforeEach(() => {
    redis = createRedis(redisUrl, 'worker', 'stream-trim-spec');
    key = `stream-trim-${randomUUID()}`;
    // One event per entry, so entries are easy to count.
    stream = new EventsStream(redis, key, 1);
  });

  afterEach(async () => {
    await redis.del(key);
    redis.disconnect();
  });

  /** Reads `count` entries for a group's consumer, acknowledging the first `ack` of them. */
  async function consume(group: string, count: number, ack: number): Promise<string[]> {
    const answer = (await redis.xreadgroup('GROUP', group, 'c1', 'COUNT', count, 'STREAMS', key, '>')) as Array<[string, Array<[string, string[]]>]>;
    const ids = answer[0][1].map(([id]) => id);
    if (ack > 0) await redis.xack(key, group, ...ids.slice(0, ack));
    return ids;
  }

  it('removes only what both groups acknowledged, keeps what is pending or undelivered', async () => {
    await stream.append([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(event));
    await redis.xgroup('CREATE', key, 'correlator', '0');
    await redis.xgroup('CREATE', key, 'indexer', '0');
    const all = (await redis.xrange(key, '-', '+')).map(([id]) => id);
    await consume('correlator', 8, 8); // 8 delivered and acknowledged
    const indexed = await consume('indexer', 6, 4); // 6 delivered, the 5th and 6th still pending

    // No retention: exactly the four entries both groups acknowledged go.
    expect(await stream.trimAcknowledged(0)).toBe(4);
    expect((await redis.xrange(key, '-', '+')).map(([id]) => id)).toEqual(all.slice(4));
    expect(indexed.slice(4)).toEqual(all.slice(4, 6));
    // The pending entries can still be claimed and acknowledged.
    expect(await redis.xack(key, 'indexer', ...indexed.slice(4))).toBe(2);
    expect(await stream.trimAcknowledged(0)).toBe(2);
  });

  it('keeps every entry while a group the product expects is missing, and within the retention', async () => {
    await stream.append([1, 2, 3].map(event));
    await redis.xgroup('CREATE', key, 'correlator', '0');
    await consume('correlator', 3, 3);
    expect(await stream.trimAcknowledged(0)).toBe(0);
    expect(await redis.xlen(key)).toBe(3);

    await redis.xgroup('CREATE', key, 'indexer', '0');
    await consume('indexer', 3, 3);
    // Acknowledged by both, but younger than an hour's retention.
    expect(await stream.trimAcknowledged(3_600_000)).toBe(0);
    expect(await redis.xlen(key)).toBe(3);
  });
});
