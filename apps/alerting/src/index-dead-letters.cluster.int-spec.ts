import { IndexDeadLetters as IndexDeadLetterStore } from '@soc/dead-letters';
import { createRedis, type Redis } from '@soc/redis';
import type { SocEvent } from '@soc/contracts';
import { LocalRedisCluster } from '../../../test/support/redis-cluster';
import { uniqueId } from '../../../test/support';
import { IndexDeadLetters } from './index-dead-letters';

describe('index dead letters on a Redis Cluster', () => {
  let cluster: LocalRedisCluster;
  let redis: Redis;

  beforeAll(async () => {
    cluster = await LocalRedisCluster.start();
    redis = createRedis(cluster.url, 'worker', 'index-dead-letters-cluster');
  }, 180_000);

  afterAll(async () => {
    redis?.disconnect();
    await cluster?.stop();
  });

  it('writes the stream and its count in one transaction (one slot) under an untagged events stream, and the dead-letter API reads them', async () => {
    // Untagged, as with several partitions (EVENTS_STREAM may then carry no tag): the family's tag keeps the two together.
    const stream = `test:${uniqueId()}:events`;
    const event = { '@timestamp': '2026-12-02T10:00:00.000Z', event: { id: 'e-1' }, organization: { id: '0751' } } as unknown as SocEvent;
    const writer = new IndexDeadLetters(redis, stream);
    await writer.record([{ event, reason: 'mapper_parsing_exception' }]);
    expect(writer.key).toBe(`${stream}:{index-dead-letter}`);
    expect(await redis.hget(writer.countKey, '0751')).toBe('1');
    const letters = await new IndexDeadLetterStore(redis, stream).list();
    expect(letters.map((l) => [l.members, l.reason])).toEqual([[['0751'], 'mapper_parsing_exception']]);
  });
});
