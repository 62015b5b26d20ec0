import { BadRequestException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ChromiumPdf } from '@soc/report-pdf';
import type { Principal } from '@soc/auth';
import { MemberDirectory, membersFileSchema } from '@soc/members';
import { attackAttemptQuery, attackCategoryFilters, defaultAttackDefinition, StatisticsReports, type MemberDayCount } from '@soc/statistics';
import { createElasticsearchClient, ensureIndexTemplates, IndexNames, StatisticsRepository } from '@soc/storage';
import { daysFrom, memberDayEvents, membersFileOfRanges, municipalityIds } from '../../../../libs/statistics/src/testing/generated-attempts';
import { bulkLoad } from '../../../../libs/storage/src/testing/bulk-load';
import { elasticsearchUrl, uniqueName } from '../../../../test/support';
import { StatisticsController } from './statistics.controller';
import { StatisticsReportController } from './statistics-report.controller';

/**
 * The adversary: a KL reporter with a valid token, asking the statistics API (the controller
 * itself, with its query parsing, as the HTTP route calls it) and doing arithmetic on the
 * answers. Two weeks of March 2026 (ISO weeks 10 and 11) for the 98 municipalities, where
 * - on 4 March only three municipalities (all in region 1084) forwarded: that DAY is withheld;
 * - on 10 March only two municipalities of region 1081 forwarded: that REGION is withheld while
 *   the national figure of the day is published.
 * Before the fix, each attack below recovered the withheld value exactly (national minus regions
 * gave 1081's 45 attempts, 3–4 March minus 3 March gave 4 March's 47, and a threshold sweep gave
 * every count of a region-day, the withheld one included). Now each must fail.
 */
const client = createElasticsearchClient(elasticsearchUrl);
const names = new IndexNames(uniqueName('test-statsdiff'));
const days = daysFrom('2026-03-02', 14);
const directory = MemberDirectory.withDefaults(membersFileSchema.parse(membersFileOfRanges()));
const regionOf = new Map(directory.all().map((m) => [m.id, m.region_code]));
const withheldDay = '2026-03-04';
const dayOfWithheldRegion = '2026-03-10';
const withheldRegion = '1081';

/** Known attempts per municipality per day; every forwarding municipality has at least one. */
function attemptsOf(memberIndex: number, day: string): number | undefined {
  if (day === withheldDay) return memberIndex < 3 ? [40, 7, 0][memberIndex] : undefined;
  if (day === dayOfWithheldRegion && regionOf.get(municipalityIds[memberIndex]) === withheldRegion) {
    return { 85: 33, 87: 12 }[memberIndex];
  }
  return ((memberIndex * 5 + Number(day.slice(8)) * 3) % 11) + 1;
}

const truth: MemberDayCount[] = [];
function* generated(): Generator<Record<string, unknown>> {
  for (const day of days) {
    for (let m = 0; m < municipalityIds.length; m += 1) {
      const attempts = attemptsOf(m, day);
      if (attempts === undefined) continue;
      const { events, truth: count } = memberDayEvents(m, day, attempts);
      truth.push(count);
      yield* events;
    }
  }
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const truthOf = (dayFilter: (day: string) => boolean, groups: string[]) => truth.filter((t) => dayFilter(t.day) && groups.includes(regionOf.get(t.memberId)!));
const categoriesOf = (counts: MemberDayCount[]) =>
  Object.fromEntries(['failed_authentication', 'blocked_connection', 'indicator_hit', 'detection'].map((c) => [c, sum(counts.map((t) => t.byCategory[c]))]));

type Cell = {
  bucket: string;
  group: string;
  suppressed: boolean;
  reason?: string;
  attempts?: number;
  municipalities?: number;
  by_category?: Record<string, number>;
};
type Answer = { threshold: number; cells: Cell[] };

describe('statistics as an adversary sees them: nothing withheld can be differenced out', () => {
  const kl = { sub: 'kl', role: 'kl_reporter' } as Principal;
  const reply = { header: () => reply } as unknown as FastifyReply;
  let controller: StatisticsController;
  let laterController: StatisticsController;
  let reportController: StatisticsReportController;

  const ask = async (endpoint: 'attempts' | 'regions' | 'categories', raw: Record<string, string>, on = controller) =>
    (await on[endpoint](kl, raw, reply)) as Answer & string;
  const refusal = async (endpoint: 'attempts' | 'regions', raw: Record<string, string>) => {
    try {
      await controller[endpoint](kl, raw, reply);
    } catch (error) {
      if (error instanceof BadRequestException) return { status: error.getStatus(), body: error.getResponse() };
      throw error;
    }
    return { status: 200, body: undefined };
  };
  const published = (cells: Cell[], group: string) => cells.find((c) => c.group === group && !c.suppressed);

  beforeAll(async () => {
    await ensureIndexTemplates(client, names);
    await bulkLoad(client, generated(), (event) => names.eventsIndexFor(String(event['@timestamp'])));
    await client.indices.refresh({ index: names.eventsPattern });
    const ranges = directory.all().map((m) => ({ memberId: m.id, ranges: m.network_ranges }));
    const reportsOn = (today: string) =>
      new StatisticsReports(
        new StatisticsRepository(client, names),
        defaultAttackDefinition,
        attackAttemptQuery(defaultAttackDefinition, ranges),
        attackCategoryFilters(defaultAttackDefinition, ranges),
        directory.all(),
        { threshold: 200, minMunicipalities: 5, nameMunicipalities: false, finalAfterDays: 2 },
        () => today,
      );
    controller = new StatisticsController(reportsOn('2026-06-01'));
    reportController = new StatisticsReportController(reportsOn('2026-06-01'), new ChromiumPdf());
    laterController = new StatisticsController(reportsOn('2026-03-12'));
  });

  afterAll(async () => {
    await client.indices.delete({ index: names.all, ignore_unavailable: true, allow_no_indices: true });
    await client.indices.deleteIndexTemplate({ name: `${names.prefix}-*` }).catch(() => undefined);
    await client.close();
  });

  it('(a) national minus the published regions gives a union of at least 5 municipalities, never the withheld region', async () => {
    const day = { from: dayOfWithheldRegion, to: dayOfWithheldRegion };
    const national = published((await ask('attempts', day)).cells, 'all')!;
    const regions = (await ask('regions', day)).cells;
    const hidden = regions.filter((c) => c.suppressed).map((c) => c.group);
    expect(national).toBeDefined();
    // 1081 (two municipalities) is withheld, and with it the region of fewest municipalities, 1085 (17).
    expect(hidden).toEqual([withheldRegion, '1085']);
    const shown = regions.filter((c) => !c.suppressed);
    const derived = national.attempts! - sum(shown.map((c) => c.attempts!));
    const target = truthOf((d) => d === dayOfWithheldRegion, [withheldRegion]);
    // The attacker's arithmetic is right (it gives the union exactly) but the union is not the target.
    expect(derived).toBe(sum(truthOf((d) => d === dayOfWithheldRegion, hidden).map((t) => t.attempts)));
    expect(derived).not.toBe(sum(target.map((t) => t.attempts)));
    expect(national.municipalities! - sum(shown.map((c) => c.municipalities!))).toBeGreaterThanOrEqual(5);
    // Category differencing: the same subtraction per category gives the union's categories, not 1081's.
    const categories = (await ask('categories', day)).cells;
    const derivedCategories = Object.fromEntries(
      Object.entries(published(categories, 'all')!.by_category!).map(([c, n]) => [c, n - sum(shown.map((r) => r.by_category![c]))]),
    );
    expect(derivedCategories).toEqual(categoriesOf(truthOf((d) => d === dayOfWithheldRegion, hidden)));
    expect(derivedCategories).not.toEqual(categoriesOf(target));
  });

  it('(a) over the week too: the week of the withheld region-day is withheld for both regions, and national minus regions is still the union', async () => {
    const week = { from: '2026-03-09', to: '2026-03-15', granularity: 'week' };
    const national = published((await ask('attempts', week)).cells, 'all')!;
    const regions = (await ask('regions', week)).cells;
    expect(regions.filter((c) => c.suppressed).map((c) => [c.group, c.reason])).toEqual([
      [withheldRegion, 'a day of this cell is withheld'],
      ['1085', 'a day of this cell is withheld'],
    ]);
    // Week of 1081 minus its six published days would have given 10 March: the week is not published.
    const derived = national.attempts! - sum(regions.filter((c) => !c.suppressed).map((c) => c.attempts!));
    const inWeek = (d: string) => d >= week.from && d <= week.to;
    expect(derived).toBe(sum(truthOf(inWeek, [withheldRegion, '1085']).map((t) => t.attempts)));
    // Subtracting both regions' published days from that union leaves both regions' 10 March, never 1081's alone.
    const dailyRegions = (await ask('regions', { from: week.from, to: week.to })).cells;
    const publishedDays = dailyRegions.filter((c) => [withheldRegion, '1085'].includes(c.group) && !c.suppressed);
    const leftover = derived - sum(publishedDays.map((c) => c.attempts!));
    expect(leftover).toBe(sum(truthOf((d) => d === dayOfWithheldRegion, [withheldRegion, '1085']).map((t) => t.attempts)));
    expect(leftover).not.toBe(sum(truthOf((d) => d === dayOfWithheldRegion, [withheldRegion]).map((t) => t.attempts)));
  });

  it('(b) a period minus a day: no free period is offered, and no week, month or year holding the withheld day is published', async () => {
    expect(await refusal('attempts', { from: '2026-03-03', to: withheldDay, granularity: 'period' })).toEqual({
      status: 400,
      body: {
        error: 'invalid_query',
        problems: [
          { path: 'granularity', message: 'period is not offered: two free periods could be subtracted from each other; use day, week, month or year' },
        ],
      },
    });
    // A week cut to the two days 3–4 March is refused, naming the whole week.
    expect(await refusal('attempts', { from: '2026-03-03', to: withheldDay, granularity: 'week' })).toMatchObject({
      status: 400,
      body: { problems: [{ path: 'from' }, { path: 'to' }] },
    });
    const daily = (await ask('attempts', { from: '2026-03-02', to: '2026-03-08' })).cells;
    expect(daily.filter((c) => c.suppressed).map((c) => c.bucket)).toEqual([withheldDay]);
    for (const [granularity, from, to] of [
      ['week', '2026-03-02', '2026-03-08'],
      ['month', '2026-03-01', '2026-03-31'],
      ['year', '2026-01-01', '2026-12-31'],
    ]) {
      const [national] = (await ask('attempts', { from, to, granularity })).cells;
      const withDay = (await ask('regions', { from, to, granularity })).cells.find((c) => c.group === '1084');
      // The whole the attacker would subtract the published days from is not published.
      expect([granularity, national.suppressed, withDay?.suppressed]).toEqual([granularity, true, true]);
    }
  });

  it("(b) where a withheld day held no data of a region, that region's week is published and subtracting its days yields the true 0", async () => {
    const week = (await ask('regions', { from: '2026-03-02', to: '2026-03-08', granularity: 'week' })).cells;
    const days1082 = (await ask('regions', { from: '2026-03-02', to: '2026-03-08' })).cells.filter((c) => c.group === '1082' && !c.suppressed);
    expect(published(week, '1082')!.attempts! - sum(days1082.map((c) => c.attempts!))).toBe(
      sum(truthOf((d) => d === withheldDay, ['1082']).map((t) => t.attempts)),
    );
    expect(truthOf((d) => d === withheldDay, ['1082'])).toEqual([]);
  });

  it('(c) the threshold cannot be swept: every value is refused by name, and the answer states the configured one', async () => {
    for (const threshold of ['0', '1', '12', '33', '200', '']) {
      for (const endpoint of ['attempts', 'regions'] as const) {
        expect(await refusal(endpoint, { from: dayOfWithheldRegion, to: dayOfWithheldRegion, threshold })).toEqual({
          status: 400,
          body: {
            error: 'invalid_query',
            problems: [{ path: 'threshold', message: 'not a query parameter: the threshold is set by configuration (STATISTICS_THRESHOLD)' }],
          },
        });
      }
    }
    expect((await ask('attempts', { from: dayOfWithheldRegion, to: dayOfWithheldRegion })).threshold).toBe(200);
  });

  it('CSV holds exactly what JSON holds: the same withheld cells, and no figure of them', async () => {
    const queries: Array<Record<string, string>> = [
      { from: '2026-03-02', to: '2026-03-15' },
      { from: '2026-03-02', to: '2026-03-15', granularity: 'week' },
      { from: '2026-03-01', to: '2026-03-31', granularity: 'month' },
    ];
    for (const query of queries) {
      for (const endpoint of ['attempts', 'regions', 'categories'] as const) {
        const json = (await ask(endpoint, query)).cells;
        const [header, ...lines] = (await ask(endpoint, { ...query, format: 'csv' })).trim().split('\r\n');
        const columns = header.split(',');
        // Parse the simple rows (no quoted commas in these answers) back into objects.
        const rows = lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [columns[i], v])));
        expect(rows.map((r) => [r.bucket, r.group, r.suppressed, r.suppressed === 'true' ? r.reason : r.attempts])).toEqual(
          json.map((c) => [c.bucket, c.group, String(c.suppressed), c.suppressed ? c.reason : String(c.attempts)]),
        );
        for (const row of rows.filter((r) => r.suppressed === 'true')) {
          expect(Object.entries(row).filter(([k, v]) => !['bucket', 'group', 'suppressed', 'reason'].includes(k) && v !== '')).toEqual([]);
        }
      }
    }
  });

  it('asking again later cannot difference late events: a day is withheld, in every group, until no event of it can still arrive', async () => {
    // On 12 March with finality after two days, 10 March is not final (events may still arrive).
    const early = (await ask('regions', { from: '2026-03-09', to: '2026-03-11' }, laterController)).cells;
    expect(early.filter((c) => c.bucket === dayOfWithheldRegion).map((c) => c.reason)).toEqual(Array(5).fill('not final before 2026-03-13'));
    const [week] = (await ask('attempts', { from: '2026-03-09', to: '2026-03-15', granularity: 'week' }, laterController)).cells;
    expect(week).toEqual({ bucket: '2026-W11', group: 'all', suppressed: true, reason: 'not final before 2026-03-18' });
    expect(early.filter((c) => c.bucket === '2026-03-09').every((c) => !c.suppressed)).toBe(true);
  });

  it("the KL report adds no cell: its CSV is rows of the API's answers, the withheld day and region withheld in it too", async () => {
    const [, ...rows] = ((await reportController.report({ month: '2026-03', format: 'csv' }, reply)) as string).trimEnd().split('\r\n');
    const apiRows = new Set<string>();
    for (const [endpoint, query] of [
      ['attempts', { from: '2026-03-01', to: '2026-03-31', granularity: 'month' }],
      ['attempts', { from: '2026-02-01', to: '2026-02-28', granularity: 'month' }],
      ['attempts', { from: '2026-03-01', to: '2026-03-31' }],
      ['regions', { from: '2026-03-01', to: '2026-03-31', granularity: 'month' }],
    ] as const) {
      const [, ...lines] = (await ask(endpoint, { ...query, format: 'csv' })).trimEnd().split('\r\n');
      lines.forEach((line) => apiRows.add(line));
    }
    expect(rows.filter((row) => !apiRows.has(row.slice(row.indexOf(',') + 1)))).toEqual([]);
    const cellOf = (table: string, bucket: string, group: string) => rows.find((row) => row.startsWith(`${table},${bucket},${group},`));
    expect(cellOf('days', withheldDay, 'all')).toMatch(/^days,2026-03-04,all,true,fewer than 5 municipalities/);
    expect(cellOf('month', '2026-03', 'all')).toBe('month,2026-03,all,true,a day of this cell is withheld' + ','.repeat(16));
    expect(cellOf('regions', '2026-03', withheldRegion)).toMatch(/^regions,2026-03,1081,true,/);
    const html = (await reportController.report({ month: '2026-03', format: 'html' }, reply)) as string;
    expect(html).toContain('tilbageholdt (en dag i perioden er tilbageholdt)');
  });
});
