import type { SocEvent } from '@soc/contracts';
import { municipalities } from '@soc/members';
import { createRedis, type Redis } from '@soc/redis';
import { createElasticsearchClient, IndexNames, StatisticsRepository, StatisticsRollupRepository } from '@soc/storage';
import { StatisticsRollupRoller } from './statistics-rollups';
import type { StatisticsDefinition } from './statistics/statistics-definition';
import { elasticsearchUrl, redisUrl, uniqueId } from '../../../test/support';

const [a, b] = municipalities.map((m) => m.code);
const event = (member: string | undefined, timestamp: string) =>
  ({
    '@timestamp': timestamp,
    event: { id: `${member}-${timestamp}` },
    ...(member === undefined ? {} : { organization: { id: member } }),
  }) as unknown as SocEvent;

/**
 * What the indexer marks for a batch, in Redis: each municipality-day once, on the Copenhagen day
 * (across midnight and the switch to summer time), whatever order the events come in; members
 * that are not municipalities, events without a member and unreadable times are not marked.
 */
describe('statistics roll-up marks', () => {
  let redis: Redis;
  let roller: StatisticsRollupRoller;
  // Marking uses Redis only; the roller is built with a client it never calls here.
  const client = createElasticsearchClient(elasticsearchUrl);

  beforeAll(() => {
    redis = createRedis(redisUrl, 'worker', 'rollup-marks-int-spec');
    const names = new IndexNames(`test-marks-${uniqueId()}`);
    const repository = new StatisticsRollupRepository(client, names, new StatisticsRepository(client, names));
    roller = new StatisticsRollupRoller(redis, client, names, repository, `test:${uniqueId()}:events`, () => ({}) as StatisticsDefinition);
  });

  afterAll(async () => {
    await redis.del(roller.dirtyKey, roller.sequenceKey);
    redis.disconnect();
    await client.close();
  });

  it('marks each municipality-day of a batch once, on its Copenhagen day, with one sequence number per batch', async () => {
    await roller.mark([
      event(a, '2026-03-28T22:59:59.999Z'), // 23:59 CET, 28 March
      event(a, '2026-03-28T23:00:00.000Z'), // midnight: 29 March
      event(b, '2026-03-28T23:30:00.000Z'),
      event(a, '2026-03-28T23:45:00.000Z'), // a again after b: still one mark
      event(a, '2026-03-29T01:30:00.000Z'), // summer time since 01:00 UTC, still 29 March
      event(a, '2026-03-29T21:59:59.000Z'),
      event(a, '2026-03-29T22:00:00.000Z'), // the first summer-time midnight: 30 March
      event('not-a-municipality', '2026-03-29T12:00:00.000Z'),
      event(undefined, '2026-03-29T12:00:00.000Z'),
      event(b, 'not a time'),
      event(b, '2026-03-29T12:00:00+02:00'), // another notation of a 29 March time
    ]);
    expect(await redis.zrange(roller.dirtyKey, '0', '-1', 'WITHSCORES')).toEqual(
      [`${a}|2026-03-28`, `${a}|2026-03-29`, `${a}|2026-03-30`, `${b}|2026-03-29`].sort().flatMap((m) => [m, '1']),
    );

    // The next batch: a new sequence number for what it marks, the rest keep theirs.
    await roller.mark([event(b, '2026-10-25T22:59:59.000Z'), event(b, '2026-10-25T23:00:00.000Z'), event(b, '2026-03-29T10:00:00.000Z')]);
    expect(await redis.zrange(roller.dirtyKey, '0', '-1', 'WITHSCORES')).toEqual(
      [
        [`${a}|2026-03-28`, '1'],
        [`${a}|2026-03-29`, '1'],
        [`${a}|2026-03-30`, '1'],
        [`${b}|2026-03-29`, '2'],
        [`${b}|2026-10-25`, '2'],
        [`${b}|2026-10-26`, '2'],
      ].flat(),
    );

    await roller.mark([event('not-a-municipality', '2026-03-29T12:00:00.000Z'), event(a, 'garbage')]);
    expect(await redis.get(roller.sequenceKey)).toBe('2');
  });
});
