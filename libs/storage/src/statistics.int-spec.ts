import { MemberDirectory, membersFileSchema } from '@soc/members';
import {
  attackAttemptQuery,
  attackCategoryFilters,
  defaultAttackDefinition,
  statisticsQuerySchema,
  StatisticsReports,
  STATISTICS_TIME_ZONE,
  type MemberDayCount,
} from '@soc/statistics';
import { elasticsearchUrl, uniqueName } from '../../../test/support';
import { daysFrom, memberDayEvents, membersFileOfRanges, municipalityIds, regionEvents } from '../../statistics/src/testing/generated-attempts';
import { createElasticsearchClient } from './elasticsearch.client';
import { ensureIndexTemplates } from './index-templates';
import { IndexNames } from './index-names';
import { StatisticsRepository } from './statistics.repository';
import { bulkLoad } from './testing/bulk-load';

// The repository's aggregation and the reports built on it, against real Elasticsearch (the
// controller over them: apps/alerting/src/statistics/statistics-differencing.int-spec.ts).
const client = createElasticsearchClient(elasticsearchUrl);
const names = new IndexNames(uniqueName('test-stats'));
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

function* generated(truth: MemberDayCount[], outside: MemberDayCount[]): Generator<Record<string, unknown>> {
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
  for (const day of ['2026-02-28', '2026-04-01']) {
    const { events, truth: count } = memberDayEvents(5, day, 300);
    outside.push(count);
    yield* events;
  }
  yield { '@timestamp': '2026-03-31T22:30:00.000Z', organization: { id: municipalityIds[3] }, event: { kind: 'alert' } };
  outside.push({
    memberId: municipalityIds[3],
    day: '2026-04-01',
    attempts: 1,
    byCategory: { failed_authentication: 0, blocked_connection: 0, indicator_hit: 0, detection: 1 },
  });
}

/** Type-7 quantile written out again here, so the expectation does not reuse the code under test. */
function expectedQuantile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  return sorted[Math.floor(h)] + (sorted[Math.ceil(h)] - sorted[Math.floor(h)]) * (h - Math.floor(h));
}
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
/** March 2026 starts on a Sunday (ISO week 9, with 28 February); each Monday from the 2nd starts the next week; 1 April is in week 14. */
const isoWeekOfMarchDay = (day: string) => {
  if (day === '2026-02-28') return '2026-W09';
  if (day === '2026-04-01') return '2026-W14';
  const dom = Number(day.slice(8));
  return `2026-W${String(dom === 1 ? 9 : 10 + Math.floor((dom - 2) / 7)).padStart(2, '0')}`;
};
const settings = { threshold: 200, minMunicipalities: 5, nameMunicipalities: false, finalAfterDays: 31 };
const small = 'fewer than 5 municipalities or withheld to protect such a cell';

describe(StatisticsReports.name, () => {
  const truth: MemberDayCount[] = [];
  const outside: MemberDayCount[] = [];
  let service: StatisticsReports;
  let repository: StatisticsRepository;
  const query = (q: Record<string, string>) => statisticsQuerySchema.parse({ from: '2026-03-01', to: lastDay, ...q });
  const directory = MemberDirectory.withDefaults(membersFileSchema.parse(membersFileOfRanges()));
  const regionOf = new Map(directory.all().map((m) => [m.id, m.region_code]));

  beforeAll(async () => {
    await ensureIndexTemplates(client, names);
    await bulkLoad(client, generated(truth, outside), (event) => names.eventsIndexFor(String(event['@timestamp'])));
    await client.indices.refresh({ index: names.eventsPattern });
    repository = new StatisticsRepository(client, names);
    const ranges = directory.all().map((m) => ({ memberId: m.id, ranges: m.network_ranges }));
    service = new StatisticsReports(
      repository,
      defaultAttackDefinition,
      attackAttemptQuery(defaultAttackDefinition, ranges),
      attackCategoryFilters(defaultAttackDefinition, ranges),
      directory.all(),
      settings,
      () => '2026-06-01',
    );
  });

  afterAll(async () => {
    await client.indices.delete({ index: names.all, ignore_unavailable: true, allow_no_indices: true });
    await client.indices.deleteIndexTemplate({ name: `${names.prefix}-*` }).catch(() => undefined);
    await client.close();
  });

  it('aggregates exactly the generated attempts per municipality per day, each event once, by first criterion', async () => {
    const counts = await repository.memberDayCounts({
      from: '2026-03-01',
      to: lastDay,
      timeZone: STATISTICS_TIME_ZONE,
      memberIds: municipalityIds,
      attemptQuery: attackAttemptQuery(
        defaultAttackDefinition,
        directory.all().map((m) => ({ memberId: m.id, ranges: m.network_ranges })),
      ),
      categoryFilters: attackCategoryFilters(
        defaultAttackDefinition,
        directory.all().map((m) => ({ memberId: m.id, ranges: m.network_ranges })),
      ),
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
        suppressed: false,
        group: 'all',
        municipalities: values.length,
        attempts: sum(values),
        share_above_threshold: values.filter((v) => v > 200).length / values.length,
        distribution: { median: expectedQuantile(values, 0.5), q1: expectedQuantile(values, 0.25), q3: expectedQuantile(values, 0.75) },
      });
    }
    // The busy days do cross the threshold, ordinary days do not.
    expect(rows.filter((r) => !r.suppressed && r.share_above_threshold > 0).map((r) => r.bucket)).toEqual(['2026-03-05', '2026-03-19', lastDay]);
  });

  it('gives over the month the share of municipality-days above the threshold, and honours the configured threshold', async () => {
    const [month] = (await service.attempts(query({ granularity: 'month' }), false)).rows;
    expect(month).toMatchObject({ municipalities: 98, municipality_days: truth.length, attempts: sum(truth.map((t) => t.attempts)) });
    expect(!month.suppressed && month.share_above_threshold).toBe(truth.filter((t) => t.attempts > 200).length / truth.length);
    const ranges = directory.all().map((m) => ({ memberId: m.id, ranges: m.network_ranges }));
    const configuredLow = new StatisticsReports(
      repository,
      defaultAttackDefinition,
      attackAttemptQuery(defaultAttackDefinition, ranges),
      attackCategoryFilters(defaultAttackDefinition, ranges),
      directory.all(),
      { ...settings, threshold: 5 },
    );
    const [low] = (await configuredLow.attempts(query({ granularity: 'month' }), false)).rows;
    expect(!low.suppressed && low.days_above_threshold).toBe(truth.filter((t) => t.attempts > 5).length);
  });

  it('suppresses in the published output every cell with fewer than 5 municipalities', async () => {
    const { rows } = await service.attempts(query({}), true);
    expect(rows.filter((r) => r.suppressed)).toEqual([{ bucket: lastDay, group: 'all', suppressed: true, reason: small }]);
    const regions = (await service.regions(query({}), true)).rows;
    // Every region of the small day is withheld: 1084 had three municipalities, the others none.
    expect(regions.filter((r) => r.bucket === lastDay)).toEqual(
      ['1081', '1082', '1083', '1084', '1085'].map((group) => ({ bucket: lastDay, group, suppressed: true, reason: small })),
    );
    expect(regions.filter((r) => r.bucket !== lastDay).every((r) => !r.suppressed)).toBe(true);
    const csv = service.csv(await service.attempts(query({}), true), true).split('\r\n');
    expect(csv[0]).toMatch(/^bucket,group,suppressed,reason,municipalities,municipality_days,attempts,min,q1,median,q3,max,/);
    expect(csv[31]).toBe(`${lastDay},all,true,${small},,,,,,,,,,,,,,,,`);
  });

  it('gives the figures by region', async () => {
    const { rows } = await service.regions(query({ granularity: 'month' }), false);
    expect(rows.map((r) => r.group)).toEqual(['1081', '1082', '1083', '1084', '1085']);
    for (const row of rows) {
      const inRegion = truth.filter((t) => regionOf.get(t.memberId) === row.group);
      expect(row).toMatchObject({ municipalities: new Set(inRegion.map((t) => t.memberId)).size, attempts: sum(inRegion.map((t) => t.attempts)) });
    }
  });

  it('gives the attempts by category, adding up to the total', async () => {
    const [period] = (await service.attempts(query({ granularity: 'month' }), false)).rows;
    const expected = Object.fromEntries(
      ['failed_authentication', 'blocked_connection', 'indicator_hit', 'detection'].map((c) => [c, sum(truth.map((t) => t.byCategory[c]))]),
    );
    expect(!period.suppressed && period.by_category).toEqual(expected);
    expect(sum(Object.values(expected))).toBe(sum(truth.map((t) => t.attempts)));
  });

  it('gives the trend over ISO weeks and calendar months', async () => {
    // Whole ISO weeks: from Monday 23 February to Sunday 5 April, so 28 February and 1 April count in their weeks.
    const weeks = (await service.attempts(query({ from: '2026-02-23', to: '2026-04-05', granularity: 'week' }), false)).rows;
    const expectedWeeks = [...new Set(march.map(isoWeekOfMarchDay))];
    expect(weeks.map((w) => w.bucket)).toEqual(expectedWeeks);
    for (const week of weeks) {
      expect(!week.suppressed && week.attempts).toBe(
        sum([...truth, ...outside].filter((t) => isoWeekOfMarchDay(t.day) === week.bucket).map((t) => t.attempts)),
      );
    }
    const months = (await service.attempts(query({ granularity: 'month' }), false)).rows;
    expect(months.map((m) => [m.bucket, !m.suppressed && m.attempts])).toEqual([['2026-03', sum(truth.map((t) => t.attempts))]]);
  });

  it('names each municipality only in the per-municipality report', async () => {
    const { rows } = await service.municipalities(query({ granularity: 'month' }));
    expect(rows).toHaveLength(98);
    const copenhagen = truth.filter((t) => t.memberId === '0101');
    expect(rows[0]).toMatchObject({
      bucket: '2026-03',
      municipality: '0101',
      name: 'København Kommune',
      region: '1084',
      days: copenhagen.length,
      attempts: sum(copenhagen.map((t) => t.attempts)),
    });
  });
});
