import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '@soc/config';
import type { EventBatch, SocEvent } from '@soc/contracts';
import { MemberDirectory, membersFileSchema } from '@soc/members';
import { createRedis, type Redis } from '@soc/redis';
import {
  defaultAttackDefinition,
  statisticsQuerySchema,
  StatisticsReports,
  STATISTICS_TIME_ZONE,
  type AttackDefinition,
  type MemberDayCount,
  type MemberDayQuery,
} from '@soc/statistics';
import {
  createElasticsearchClient,
  defaultIndexSettings,
  ensureIndexTemplates,
  EventRepository,
  IndexNames,
  RollupMemberDayCounts,
  StatisticsRepository,
  StatisticsRollupRepository,
} from '@soc/storage';
import { daysFrom, memberDayEvents, membersFileOfRanges, municipalityIds } from '../../../libs/statistics/src/testing/generated-attempts';
import { EventsIndexer } from './events.indexer';
import { StatisticsRollupRoller } from './statistics-rollups';
import { StatisticsController } from './statistics/statistics.controller';
import { statisticsDefinition, type StatisticsDefinition } from './statistics/statistics-definition';
import { elasticsearchUrl, redisUrl, uniqueId } from '../../../test/support';

const client = createElasticsearchClient(elasticsearchUrl);
const march = daysFrom('2026-03-01', 31);
const settings = { threshold: 200, minMunicipalities: 5, nameMunicipalities: false, finalAfterDays: 31 };
const byKey = (a: MemberDayCount, b: MemberDayCount) => (`${a.day} ${a.memberId}` < `${b.day} ${b.memberId}` ? -1 : 1);
// About a quarter of the member-days... of a few members, above 200; the rest 0–11 (generated-attempts).
const attemptsOf = (m: number, d: number) => (m % 8 === 0 && d % 10 === 0 ? 195 + m : (m * 7 + d * 13) % 12);

/** Ground truth: the generator's counts, served as storage would (the member-day counts of a query). */
class Truth {
  constructor(readonly counts: MemberDayCount[]) {}
  memberDayCounts(q: MemberDayQuery): Promise<MemberDayCount[]> {
    return Promise.resolve(this.counts.filter((c) => c.day >= q.from && c.day <= q.to && q.memberIds.includes(c.memberId)));
  }
}

/**
 * The daily roll-ups against real Elasticsearch and Redis: a generated March 2026 for the 98
 * municipalities goes through the events indexer (marks) and the roller (recounts); roll-ups
 * equal the raw-event counts and the generator's truth, also after batches are replayed, after
 * a crash between the bulk and the mark, after a failed roller cycle, and after a definition
 * change and rebuild (interrupted and resumed); the statistics answers equal the truth's.
 */
describe('statistics roll-ups', () => {
  let redis: Redis;
  let names: IndexNames;
  let stream: string;
  let indexer: EventsIndexer;
  let rollups: StatisticsRollupRepository;
  let raw: StatisticsRepository;
  let definition: StatisticsDefinition;
  let members: ReturnType<MemberDirectory['all']>;
  const batches: EventBatch[] = [];
  const truth: MemberDayCount[] = [];

  beforeAll(async () => {
    const id = uniqueId();
    redis = createRedis(redisUrl, 'producer', 'rollups-int-spec');
    names = new IndexNames(`test-rollups-${id}`);
    stream = `test:${id}:events`;
    await ensureIndexTemplates(client, names);
    const membersFile = join(tmpdir(), `rollups-members-${id}.json`);
    writeFileSync(membersFile, JSON.stringify(membersFileOfRanges()));
    const config = {
      elasticsearch: { url: '', indexPrefix: names.prefix, index: defaultIndexSettings },
      streams: { events: stream },
      ingest: { eventTimeWindow: { maxPastMs: 10 * 365 * 86_400_000, maxFutureMs: 86_400_000 } },
      statistics: { ...settings },
      membersFile,
    } as unknown as AppConfig;
    indexer = new EventsIndexer(client, redis, config);
    raw = new StatisticsRepository(client, names);
    rollups = new StatisticsRollupRepository(client, names, raw);
    members = MemberDirectory.withDefaults(membersFileSchema.parse(membersFileOfRanges())).all();
    definition = statisticsDefinition(config, members);

    let events: SocEvent[] = [];
    for (const [d, day] of march.entries()) {
      for (let m = 0; m < municipalityIds.length; m += 1) {
        const generated = memberDayEvents(m, day, attemptsOf(m, d));
        truth.push(generated.truth);
        for (const [i, event] of generated.events.entries()) {
          const id = `${municipalityIds[m]}-${day}-${i}`;
          events.push({ ...event, event: { ...(event.event as object), id, ingested: String(event['@timestamp']) } } as unknown as SocEvent);
        }
      }
      batches.push({ batch_id: `b-${day}-1`, events: events.slice(0, Math.ceil(events.length / 2)) });
      batches.push({ batch_id: `b-${day}-2`, events: events.slice(Math.ceil(events.length / 2)) });
      events = [];
    }
    truth.sort(byKey);
  }, 60_000);

  afterAll(async () => {
    await redis.del(indexer.rollups.dirtyKey, indexer.rollups.sequenceKey);
    redis.disconnect();
    await client.indices.delete({ index: names.all, ignore_unavailable: true, allow_no_indices: true });
    await client.indices.deleteIndexTemplate({ name: `${names.prefix}-*` }).catch(() => undefined);
  });

  it('counts every member-day exactly once at ingest: batches replayed, a crash between bulk and mark, a failed roller cycle', async () => {
    for (const batch of batches) await indexer.index(batch);
    // Delivered again, twice (a consumer that died before its acknowledgement, then a reclaim).
    await indexer.index(batches[5]);
    await indexer.index(batches[5]);
    // The crash window: the bulk request went through, the process died before the mark; the batch is delivered again.
    const crashed = batches[20];
    await new EventRepository(client, names).bulkIndex(crashed.events);
    await indexer.index(crashed);

    // A roller cycle that fails (Elasticsearch unreachable) leaves every mark for the next.
    const marks = await redis.zcard(indexer.rollups.dirtyKey);
    expect(marks).toBe(98 * 31);
    const unreachable = createElasticsearchClient('http://127.0.0.1:9');
    const broken = new StatisticsRollupRoller(
      redis,
      unreachable,
      names,
      new StatisticsRollupRepository(unreachable, names, new StatisticsRepository(unreachable, names)),
      stream,
      () => definition,
    );
    await expect(broken.runOnce('2026-12-02')).rejects.toThrow();
    await unreachable.close();
    expect(await redis.zcard(indexer.rollups.dirtyKey)).toBe(marks);

    expect(await indexer.rollups.runOnce('2026-12-02')).toBe(98 * 31);
    expect(await redis.zcard(indexer.rollups.dirtyKey)).toBe(0);
    // A batch replayed after its member-days were rolled up: recounted, still once.
    await indexer.index(batches[5]);
    expect(await indexer.rollups.runOnce('2026-12-02')).toBeGreaterThan(0);

    const rolled = (await rollups.read('2026-03-01', '2026-03-31', municipalityIds, definition.fingerprint)).sort(byKey);
    const rawCounts = (
      await raw.memberDayCounts({ from: '2026-03-01', to: '2026-03-31', timeZone: STATISTICS_TIME_ZONE, memberIds: municipalityIds, ...definition })
    ).sort(byKey);
    expect(rolled).toEqual(truth);
    expect(rawCounts).toEqual(truth);
    // The roller's first cycle starts the coverage tomorrow: days before it may hold events indexed without marks.
    expect(await rollups.coverage(definition.fingerprint)).toEqual({ definition: definition.fingerprint, from: '2026-12-03', to: '2026-12-02' });
  }, 300_000); // about 40k events through the indexer on the shared machine

  it('answers from the roll-ups where they cover the period, from raw events elsewhere, with the figures of the ground truth', async () => {
    const query = { timeZone: STATISTICS_TIME_ZONE, memberIds: municipalityIds, ...definition };
    const done = await rollups.rebuild({ from: '2026-03-01', to: '2026-03-31' }, query, definition.fingerprint);
    expect(done).toEqual({ from: '2026-03-01', to: '2026-03-31', resumedAt: undefined, memberDays: 98 * 31 });
    expect(await rollups.coverage(definition.fingerprint)).toEqual({ definition: definition.fingerprint, from: '2026-03-01', to: '2026-03-31' });

    const reportsOf = (counts: ConstructorParameters<typeof StatisticsReports>[0]) =>
      new StatisticsReports(counts, defaultAttackDefinition, definition.attemptQuery, definition.categoryFilters, members, settings, () => '2026-12-02');
    const fromRollups = reportsOf(new RollupMemberDayCounts(rollups, raw, definition.fingerprint));
    const fromTruth = reportsOf(new Truth(truth));
    const fromRaw = reportsOf(raw);
    for (const q of [
      { from: '2026-03-01', to: '2026-03-31' },
      { from: '2026-03-01', to: '2026-03-31', granularity: 'month' },
      { from: '2026-02-23', to: '2026-04-05', granularity: 'week' },
    ]) {
      const query = statisticsQuerySchema.parse(q);
      const [a, b, c] = await Promise.all([fromRollups.attempts(query, true), fromTruth.attempts(query, true), fromRaw.attempts(query, true)]);
      expect(a.rows).toEqual(b.rows);
      expect(a.rows).toEqual(c.rows);
      const [ra, rb] = await Promise.all([fromRollups.regions(query, false), fromTruth.regions(query, false)]);
      expect(ra.rows).toEqual(rb.rows);
      const [ma, mb] = await Promise.all([fromRollups.municipalities(query), fromTruth.municipalities(query)]);
      expect(ma.rows).toEqual(mb.rows);
      expect(a.source).toEqual(
        q.from === '2026-02-23'
          ? {
              rollup: ['2026-03-01', '2026-03-31'],
              raw: [
                ['2026-02-23', '2026-02-28'],
                ['2026-04-01', '2026-04-05'],
              ],
            }
          : { rollup: ['2026-03-01', '2026-03-31'], raw: [] },
      );
    }
    // KL's JSON answer says where its counts came from.
    const reply = { header: () => reply } as never;
    const answer = (await new StatisticsController(fromRollups).regions({ role: 'kl_reporter' } as never, { from: '2026-02-28', to: '2026-03-02' }, reply)) as {
      source: unknown;
    };
    expect(answer.source).toEqual({ rollup: ['2026-03-01', '2026-03-02'], raw: [['2026-02-28', '2026-02-28']] });
    const month = statisticsQuerySchema.parse({ from: '2026-03-01', to: '2026-03-31', granularity: 'month' });
    const national = (await fromRollups.attempts(month, false)).rows[0];
    expect(national).toMatchObject({ bucket: '2026-03', group: 'all', attempts: truth.reduce((sum, c) => sum + c.attempts, 0) });
  }, 120_000);

  it('after a definition change, an interrupted rebuild resumes, and the new roll-ups equal the raw counts under the new definition', async () => {
    const changedDefinition: AttackDefinition = { criteria: defaultAttackDefinition.criteria.filter((c) => c.id !== 'detection') };
    const file = join(tmpdir(), `rollups-definition-${uniqueId()}.json`);
    writeFileSync(file, JSON.stringify(changedDefinition));
    const changed = statisticsDefinition({ statistics: { ...settings, definitionFile: file } } as unknown as AppConfig, members);
    expect(changed.fingerprint).not.toBe(definition.fingerprint);
    const query = { timeZone: STATISTICS_TIME_ZONE, memberIds: municipalityIds, attemptQuery: changed.attemptQuery, categoryFilters: changed.categoryFilters };

    // Interrupted after two steps of a week (the operator's Ctrl-C, a crash)...
    let steps = 0;
    await expect(
      rollups.rebuild({ from: '2026-03-01', to: '2026-03-31' }, query, changed.fingerprint, () => {
        steps += 1;
        if (steps === 2) throw new Error('interrupted');
      }),
    ).rejects.toThrow('interrupted');
    // ...meanwhile the answers still come from raw events for the new definition (the coverage is the old one's).
    expect(await rollups.coverage(changed.fingerprint)).toBeNull();
    // ...and resumed where it stopped.
    const resumed = await rollups.rebuild(undefined, query, changed.fingerprint);
    expect(resumed).toMatchObject({ from: '2026-03-01', to: '2026-03-31', resumedAt: '2026-03-15' });
    expect(await rollups.coverage(changed.fingerprint)).toEqual({ definition: changed.fingerprint, from: '2026-03-01', to: '2026-03-31' });
    expect(await rollups.coverage(definition.fingerprint)).toBeNull();

    const expected = truth.map((c) => {
      const { detection, ...byCategory } = c.byCategory;
      return { ...c, attempts: c.attempts - detection, byCategory };
    });
    const rolled = (await rollups.read('2026-03-01', '2026-03-31', municipalityIds, changed.fingerprint)).sort(byKey);
    const rawCounts = (await raw.memberDayCounts({ ...query, from: '2026-03-01', to: '2026-03-31' })).sort(byKey);
    expect(rawCounts).toEqual(expected);
    expect(rolled).toEqual(expected);
    // The old definition's roll-ups of the rebuilt days are gone.
    expect(await rollups.read('2026-03-01', '2026-03-31', municipalityIds, definition.fingerprint)).toEqual([]);
    // A replica still running the old definition recounts a replayed batch but cannot take the new coverage away.
    await indexer.index(batches[7]);
    expect(await indexer.rollups.runOnce('2026-12-02')).toBeGreaterThan(0);
    expect(await rollups.coverage(changed.fingerprint)).toEqual({ definition: changed.fingerprint, from: '2026-03-01', to: '2026-03-31' });
    expect((await rollups.read('2026-03-01', '2026-03-31', municipalityIds, changed.fingerprint)).sort(byKey)).toEqual(expected);
  }, 120_000);
});
