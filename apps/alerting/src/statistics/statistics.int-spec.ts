import { randomUUID } from 'node:crypto';
import { MemberDirectory, membersFileSchema } from '@soc/members';
import { attackAttemptQuery, attackCategoryFilters, defaultAttackDefinition, statisticsQuerySchema, type MemberDayCount } from '@soc/statistics';
import { createElasticsearchClient, ensureIndexTemplates, IndexNames, StatisticsRepository } from '@soc/storage';
import { bulkLoad } from '../../../../bench/stats/bulk-load';
import { daysFrom, memberDayEvents, membersFileOfRanges, municipalityIds, regionEvents } from '../../../../bench/stats/generated-attempts';
import { StatisticsService, STATISTICS_TIME_ZONE } from './statistics.service';

const client = createElasticsearchClient(process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200');
const names = new IndexNames(`test-stats-${randomUUID().slice(0, 8)}`);
const march = daysFrom('2026-03-01', 31);
const lastDay = '2026-03-31';

/**
 * Known attempts per municipality per day. Two busy days put two thirds of the municipalities
 * around the threshold (195–210); other days stay under 9. On 31 March only three municipalities
 * forward anything, so that day's cells are too small to publish.
 */
function attemptsOf(memberIndex: number, dayIndex: number): number | undefined {
  if (dayIndex === 30) return memberIndex < 3 ? [210, 5, 0][memberIndex] : undefined;
  if ((dayIndex === 4 || dayIndex === 18) && memberIndex % 3 !== 0) return 195 + ((memberIndex * 7 + dayIndex) % 16);
  return (memberIndex * 3 + dayIndex) % 9;
}

function* generated(truth: MemberDayCount[]): Generator<Record<string, unknown>> {
  for (const [d, day] of march.entries()) {
    for (let m = 0; m < municipalityIds.length; m += 1) {
      const attempts = attemptsOf(m, d);
      if (attempts === undefined) continue;
      const { events, truth: count } = memberDayEvents(m, day, attempts);
      truth.push(count);
      yield* events;
    }
    yield* regionEvents(day, 20);
  }
  // Outside the period: the day before, the day after, and 00:30 on 1 April in Copenhagen (22:30 UTC on 31 March).
  yield* memberDayEvents(5, '2026-02-28', 300).events;
  yield* memberDayEvents(5, '2026-04-01', 300).events;
  yield { '@timestamp': '2026-03-31T22:30:00.000Z', organization: { id: municipalityIds[3] }, event: { kind: 'alert' } };
}

/** Type-7 quantile written out again here, so the expectation does not reuse the code under test. */
function expectedQuantile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  return sorted[Math.floor(h)] + (sorted[Math.ceil(h)] - sorted[Math.floor(h)]) * (h - Math.floor(h));
}
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
/** March 2026 starts on a Sunday (ISO week 9); each Monday from the 2nd starts the next week. */
const isoWeekOfMarchDay = (day: string) => {
  const dom = Number(day.slice(8));
  return `2026-W${String(dom === 1 ? 9 : 10 + Math.floor((dom - 2) / 7)).padStart(2, '0')}`;
};

describe(StatisticsService.name, () => {
  const truth: MemberDayCount[] = [];
  let service: StatisticsService;
  let repository: StatisticsRepository;
  const query = (q: Record<string, string>) => statisticsQuerySchema(200).parse({ from: '2026-03-01', to: lastDay, ...q });
  const directory = MemberDirectory.withDefaults(membersFileSchema.parse(membersFileOfRanges()));
  const regionOf = new Map(directory.all().map((m) => [m.id, m.region_code]));

  beforeAll(async () => {
    await ensureIndexTemplates(client, names);
    await bulkLoad(client, generated(truth), (event) => names.eventsIndexFor(String(event['@timestamp'])));
    await client.indices.refresh({ index: names.eventsPattern });
    repository = new StatisticsRepository(client, names);
    const ranges = directory.all().map((m) => ({ memberId: m.id, ranges: m.network_ranges }));
    service = new StatisticsService(
      repository, defaultAttackDefinition, attackAttemptQuery(defaultAttackDefinition, ranges),
      attackCategoryFilters(defaultAttackDefinition, ranges), directory.all(), { minMunicipalities: 5, nameMunicipalities: false },
    );
  });

  afterAll(async () => {
    await client.indices.delete({ index: names.all, ignore_unavailable: true, allow_no_indices: true });
    await client.indices.deleteIndexTemplate({ name: `${names.prefix}-*` }).catch(() => undefined);
    await client.close();
  });

  it('aggregates exactly the generated attempts per municipality per day, each event once, by first criterion', async () => {
    const counts = await repository.memberDayCounts({
      from: '2026-03-01', to: lastDay, timeZone: STATISTICS_TIME_ZONE, memberIds: municipalityIds,
      attemptQuery: attackAttemptQuery(defaultAttackDefinition, directory.all().map((m) => ({ memberId: m.id, ranges: m.network_ranges }))),
      categoryFilters: attackCategoryFilters(defaultAttackDefinition, directory.all().map((m) => ({ memberId: m.id, ranges: m.network_ranges }))),
    });
    const key = (c: MemberDayCount) => `${c.day} ${c.memberId}`;
    expect(counts.length).toBe(truth.length);
    expect([...counts].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...truth].sort((a, b) => key(a).localeCompare(key(b))));
  });

  it('gives per day the share of municipalities above 200 and the median and quartiles', async () => {
    const { rows } = await service.attempts(query({}), false);
    expect(rows.map((r) => r.bucket)).toEqual(march);
    for (const row of rows) {
      const values = truth.filter((t) => t.day === row.bucket).map((t) => t.attempts);
      expect(row).toMatchObject({
        suppressed: false, group: 'all', municipalities: values.length, attempts: sum(values),
        share_above_threshold: values.filter((v) => v > 200).length / values.length,
        distribution: { median: expectedQuantile(values, 0.5), q1: expectedQuantile(values, 0.25), q3: expectedQuantile(values, 0.75) },
      });
    }
    // The busy days do cross the threshold, ordinary days do not.
    expect(rows.filter((r) => !r.suppressed && r.share_above_threshold > 0).map((r) => r.bucket)).toEqual(['2026-03-05', '2026-03-19', lastDay]);
  });

  it('gives over the period the share of municipality-days above the threshold, and honours another threshold', async () => {
    const [period] = (await service.attempts(query({ granularity: 'period' }), false)).rows;
    expect(period).toMatchObject({ municipalities: 98, municipality_days: truth.length, attempts: sum(truth.map((t) => t.attempts)) });
    expect(!period.suppressed && period.share_above_threshold).toBe(truth.filter((t) => t.attempts > 200).length / truth.length);
    const [low] = (await service.attempts(query({ granularity: 'period', threshold: '5' }), false)).rows;
    expect(!low.suppressed && low.days_above_threshold).toBe(truth.filter((t) => t.attempts > 5).length);
  });

  it('suppresses in the published output every cell with fewer than 5 municipalities', async () => {
    const { rows } = await service.attempts(query({}), true);
    expect(rows.filter((r) => r.suppressed)).toEqual([{ bucket: lastDay, group: 'all', suppressed: true, reason: 'fewer than 5 municipalities' }]);
    const regions = (await service.regions(query({}), true)).rows;
    expect(regions.filter((r) => r.bucket === lastDay)).toEqual([{ bucket: lastDay, group: '1084', suppressed: true, reason: 'fewer than 5 municipalities' }]);
    expect(regions.filter((r) => r.bucket !== lastDay).every((r) => !r.suppressed)).toBe(true);
    const csv = service.csv(await service.attempts(query({}), true), true).split('\r\n');
    expect(csv[0]).toMatch(/^bucket,group,suppressed,municipalities,municipality_days,attempts,min,q1,median,q3,max,/);
    expect(csv[31]).toBe(`${lastDay},all,true,,,,,,,,,,,,,,,,`);
  });

  it('gives the figures by region', async () => {
    const { rows } = await service.regions(query({ granularity: 'period' }), false);
    expect(rows.map((r) => r.group)).toEqual(['1081', '1082', '1083', '1084', '1085']);
    for (const row of rows) {
      const inRegion = truth.filter((t) => regionOf.get(t.memberId) === row.group);
      expect(row).toMatchObject({ municipalities: new Set(inRegion.map((t) => t.memberId)).size, attempts: sum(inRegion.map((t) => t.attempts)) });
    }
  });

  it('gives the attempts by category, adding up to the total', async () => {
    const [period] = (await service.attempts(query({ granularity: 'period' }), false)).rows;
    const expected = Object.fromEntries(
      ['failed_authentication', 'blocked_connection', 'indicator_hit', 'detection'].map((c) => [c, sum(truth.map((t) => t.byCategory[c]))]),
    );
    expect(!period.suppressed && period.by_category).toEqual(expected);
    expect(sum(Object.values(expected))).toBe(sum(truth.map((t) => t.attempts)));
  });

  it('gives the trend over ISO weeks and calendar months', async () => {
    const weeks = (await service.attempts(query({ granularity: 'week' }), false)).rows;
    const expectedWeeks = [...new Set(march.map(isoWeekOfMarchDay))];
    expect(weeks.map((w) => w.bucket)).toEqual(expectedWeeks);
    for (const week of weeks) {
      expect(!week.suppressed && week.attempts).toBe(sum(truth.filter((t) => isoWeekOfMarchDay(t.day) === week.bucket).map((t) => t.attempts)));
    }
    const months = (await service.attempts(query({ granularity: 'month' }), false)).rows;
    expect(months.map((m) => [m.bucket, !m.suppressed && m.attempts])).toEqual([['2026-03', sum(truth.map((t) => t.attempts))]]);
  });

  it('names each municipality only in the per-municipality report', async () => {
    const { rows } = await service.municipalities(query({ granularity: 'period' }));
    expect(rows).toHaveLength(98);
    const copenhagen = truth.filter((t) => t.memberId === '0101');
    expect(rows[0]).toMatchObject({ bucket: 'period', municipality: '0101', name: 'København Kommune', region: '1084', days: copenhagen.length, attempts: sum(copenhagen.map((t) => t.attempts)) });
  });
});
