import { readFileSync } from 'node:fs';
import { importCsvBlocklist, parseIndicator, type Indicator } from '@soc/indicators';
import { createRedis, type Redis } from '@soc/redis';
import { IndicatorRepository } from './indicator.repository';
import { IndicatorSightingsRepository } from './indicator-sightings.repository';
import { LiveIndicatorIndex } from './live-indicator-index';
import { redisUrl, uniqueName, waitFor } from '../../../test/support';

const feodo = readFileSync('/work/shared/data/threat-intel/abusech-feodo/ipblocklist.csv', 'utf8');
const seenAt = Date.UTC(2024, 3, 5);

function ip(id: string, value: string): Indicator {
  const parsed = parseIndicator({ id, type: 'ipv4', value, source: 'test', confidence: 80, tlp: 'amber', valid_from: '2024-01-01T00:00:00Z' });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.indicator;
}

describe('indicator store', () => {
  let redis: Redis;
  const followers: Redis[] = [];
  let prefix: string;
  const live: LiveIndicatorIndex[] = [];

  const follower = (): IndicatorRepository => {
    const client = createRedis(redisUrl, 'consumer', 'indicator-follower');
    followers.push(client);
    return new IndicatorRepository(client, prefix);
  };

  beforeAll(() => {
    redis = createRedis(redisUrl, 'worker', 'indicator-test');
  });
  beforeEach(() => {
    prefix = uniqueName('test', ':');
  });
  afterEach(async () => {
    await Promise.all(live.splice(0).map((l) => l.stop()));
    followers.splice(0).forEach((c) => c.disconnect());
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  });
  afterAll(() => redis.disconnect());

  describe(IndicatorRepository.name, () => {
    it('stores an imported blocklist and pages through it with a cursor', async () => {
      const repository = new IndicatorRepository(redis, prefix);
      const { indicators } = importCsvBlocklist(feodo);
      const progress: number[] = [];
      await repository.upsert(indicators, (done) => progress.push(done));
      expect(progress.at(-1)).toBe(28);
      expect(await repository.count()).toBe(28);
      const seen = new Set<string>();
      let cursor = '0';
      do {
        const page = await repository.list({ cursor, limit: 10 });
        page.indicators.forEach((i) => seen.add(i.id));
        cursor = page.nextCursor;
      } while (cursor !== '0');
      expect(seen.size).toBe(28);
    });

    it('finds indicators by a substring of the value', async () => {
      const repository = new IndicatorRepository(redis, prefix);
      await repository.upsert([ip('a', '192.0.2.1'), ip('b', '198.51.100.7')]);
      const page = await repository.list({ q: '198.51' });
      expect(page.indicators.map((i) => i.id)).toEqual(['b']);
    });

    it('revokes and expires an indicator, and answers undefined for an unknown id', async () => {
      const repository = new IndicatorRepository(redis, prefix);
      await repository.upsert([ip('a', '192.0.2.1'), ip('b', '192.0.2.2')]);
      expect((await repository.revoke('a'))?.revoked).toBe(true);
      const expired = await repository.expire('b', new Date('2024-02-01T00:00:00Z'));
      expect(expired?.valid_until?.toISOString()).toBe('2024-02-01T00:00:00.000Z');
      expect((await repository.get('a'))?.revoked).toBe(true);
      expect(await repository.revoke('missing')).toBeUndefined();
    });
  });

  describe(LiveIndicatorIndex.name, () => {
    it('loads the set at start and applies later changes from the change log', async () => {
      const repository = new IndicatorRepository(redis, prefix);
      await repository.upsert([ip('a', '192.0.2.1')]);
      const replica = new LiveIndicatorIndex(follower(), { blockMs: 200 });
      live.push(replica);
      await replica.start();
      expect(replica.index.matchIp('192.0.2.1', seenAt).indicators).toHaveLength(1);

      await repository.upsert([ip('b', '192.0.2.2')]);
      await waitFor(() => replica.index.matchIp('192.0.2.2', seenAt).indicators.length === 1);
      await repository.revoke('a');
      await waitFor(() => replica.index.matchIp('192.0.2.1', seenAt).indicators.length === 0);
    });

    it('reloads everything when the change log was trimmed past what it applied', async () => {
      const repository = new IndicatorRepository(redis, prefix);
      await repository.upsert([ip('a', '192.0.2.1')]);
      const replica = new LiveIndicatorIndex(follower(), { blockMs: 100 });
      live.push(replica);
      await replica.start();
      // A burst trims the log past the replica's position while it is paused.
      const paused = replica.stop();
      await paused;
      await repository.upsert([ip('b', '192.0.2.2')]);
      await redis.xtrim(`${prefix}:indicators:changes`, 'MAXLEN', 0);
      await repository.upsert([ip('c', '192.0.2.3')]);
      expect(await repository.isTrimmedPast(replica.version)).toBe(true);
      await replica.resume();
      await waitFor(() => replica.index.has('b') && replica.index.has('c'));
    });
  });

  describe(IndicatorSightingsRepository.name, () => {
    it('counts sightings per member and keeps the latest event time', async () => {
      const sightings = new IndicatorSightingsRepository(redis, prefix);
      await sightings.record([
        { indicatorId: 'a', memberId: '0751', time: 2_000 },
        { indicatorId: 'a', memberId: '0751', time: 1_000 },
        { indicatorId: 'a', memberId: '0101', time: 3_000 },
      ]);
      await sightings.record([{ indicatorId: 'a', memberId: '0751', time: 1_500 }]);
      expect(await sightings.forIndicator('a')).toEqual([
        { memberId: '0101', count: 1, lastSeen: new Date(3_000).toISOString() },
        { memberId: '0751', count: 3, lastSeen: new Date(2_000).toISOString() },
      ]);
    });
  });
});
