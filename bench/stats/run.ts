import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { loadConfig } from '@soc/config';
import { MemberDirectory, membersFileSchema } from '@soc/members';
import {
  attackAttemptQuery,
  attackCategoryFilters,
  categoryColumns,
  categoryRow,
  defaultAttackDefinition,
  definitionFingerprint,
  StatisticsReports,
  statisticsQuerySchema,
  STATISTICS_TIME_ZONE,
  toCsv,
  type MemberDayCount,
} from '@soc/statistics';
import {
  createElasticsearchClient,
  ensureIndexTemplates,
  IndexNames,
  RollupMemberDayCounts,
  StatisticsRepository,
  StatisticsRollupRepository,
} from '@soc/storage';
import { daysFrom, memberDayEvents, membersFileOfRanges, municipalityIds } from '../../libs/statistics/src/testing/generated-attempts';
import { bulkLoad } from '../../libs/storage/src/testing/bulk-load';

/**
 * `npm run bench:stats`: KL's statistics at national volume (docs/PERFORMANCE.md). A year (2025)
 * for the 98 municipalities: attempts per municipality-day drawn from a log-normal (median 100,
 * a municipality's own level times a day's variation) so that about a quarter of the
 * municipality-days are above 200, and 20k–300k events a day per municipality, so the year
 * holds billions of events. Those are represented through the roll-up path: raw events are
 * loaded for SAMPLE_DAYS only (every attempt and noise event of those days), the year is rebuilt
 * from them with the rebuild the CLI runs, and the other days' roll-ups are written as drawn.
 * Then every statistics endpoint is asked for the whole year as the controller answers KL
 * (kl_reporter: a publication, suppression included; the named table with naming on), RUNS times after a warm-up: median
 * and p95. Prints one JSON object.
 */
const RUNS = 20;
const year = daysFrom('2025-01-01', 365);
const SAMPLE_DAYS = ['2025-03-04', '2025-06-17', '2025-10-07'];

/** mulberry32: a seeded generator, so every run draws the same year. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/** Attempts and events per member-day of the year, drawn once. */
function drawYear(): Array<MemberDayCount & { events: number }> {
  const next = random(20);
  const level = municipalityIds.map(() => normal(next));
  const categories = ['failed_authentication', 'blocked_connection', 'indicator_hit', 'detection'];
  const counts: Array<MemberDayCount & { events: number }> = [];
  for (const day of year) {
    for (const [m, memberId] of municipalityIds.entries()) {
      // log-normal: median 100; sigma 1.18 (0.9 between municipalities, 0.76 between days) puts P(> 200) near 28 % (this seed: see share_member_days_above_200).
      const attempts = Math.round(Math.exp(Math.log(100) + 0.9 * level[m] + 0.76 * normal(next)));
      const share = [0.55, 0.3, 0.05];
      const byCategory: Record<string, number> = {};
      let left = attempts;
      for (const [i, c] of categories.entries()) {
        byCategory[c] = i < share.length ? Math.floor(attempts * share[i]) : left;
        left -= byCategory[c];
      }
      const events = attempts + Math.round(Math.exp(Math.log(70_000) + 0.5 * level[m] + 0.3 * normal(next)));
      counts.push({ memberId, day, attempts, byCategory, events });
    }
  }
  return counts;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
const round = (n: number) => Math.round(n * 10) / 10;

async function main(): Promise<void> {
  const config = loadConfig();
  const client = createElasticsearchClient(config.elasticsearch.url);
  const names = new IndexNames(`bench-stats-${randomUUID().slice(0, 8)}`);
  const loadBefore = loadavg();
  try {
    await ensureIndexTemplates(client, names);
    const raw = new StatisticsRepository(client, names);
    const rollups = new StatisticsRollupRepository(client, names, raw);
    await rollups.ensureIndices();
    const directory = MemberDirectory.withDefaults(membersFileSchema.parse(membersFileOfRanges()));
    const ranges = directory.all().map((m) => ({ memberId: m.id, ranges: m.network_ranges }));
    const attemptQuery = attackAttemptQuery(defaultAttackDefinition, ranges);
    const categoryFilters = attackCategoryFilters(defaultAttackDefinition, ranges);
    const fingerprint = definitionFingerprint(attemptQuery, categoryFilters);

    const drawn = drawYear();
    const sampled = new Set(SAMPLE_DAYS);
    // Raw events of the sample days: each member-day's drawn attempts and three non-attempts (generated-attempts).
    const loadStart = performance.now();
    function* sampleEvents() {
      for (const count of drawn) {
        if (sampled.has(count.day)) yield* memberDayEvents(municipalityIds.indexOf(count.memberId), count.day, count.attempts).events;
      }
    }
    const rawDocs = await bulkLoad(client, sampleEvents(), (event) => `${names.prefix}-events-${String(event['@timestamp']).slice(0, 7).replace('-', '.')}`);
    await client.indices.refresh({ index: names.eventsPattern });
    const loadSeconds = (performance.now() - loadStart) / 1000;

    // The rebuild the CLI runs, over the whole year (roll-ups of the sample days counted from their events).
    const rebuildStart = performance.now();
    await rollups.rebuild(
      { from: year[0], to: year[364] },
      { timeZone: STATISTICS_TIME_ZONE, memberIds: municipalityIds, attemptQuery, categoryFilters },
      fingerprint,
    );
    const rebuildSeconds = (performance.now() - rebuildStart) / 1000;
    // The rest of the national year, as drawn.
    await rollups.put(
      drawn.filter((c) => !sampled.has(c.day)),
      fingerprint,
    );

    const reports = new StatisticsReports(
      new RollupMemberDayCounts(rollups, raw, fingerprint),
      defaultAttackDefinition,
      attemptQuery,
      categoryFilters,
      directory.all(),
      { threshold: 200, minMunicipalities: 5, nameMunicipalities: true, finalAfterDays: 31 },
      () => '2026-12-02',
    );
    // What each endpoint of apps/alerting's StatisticsController does for kl_reporter (a publication), minus HTTP.
    const endpoint = {
      attempts: async (q: Record<string, string>) => {
        const query = statisticsQuerySchema.parse(q);
        const report = await reports.attempts(query, true);
        return query.format === 'csv' ? reports.csv(report, true) : JSON.stringify({ source: report.source, cells: report.rows });
      },
      regions: async (q: Record<string, string>) => {
        const query = statisticsQuerySchema.parse(q);
        const report = await reports.regions(query, true);
        return query.format === 'csv' ? reports.csv(report, true) : JSON.stringify({ source: report.source, cells: report.rows });
      },
      categories: async (q: Record<string, string>) => {
        const query = statisticsQuerySchema.parse(q);
        const report = await reports.attempts(query, true);
        return query.format === 'csv'
          ? toCsv(categoryColumns(reports.categories), report.rows.map(categoryRow))
          : JSON.stringify({
              source: report.source,
              cells: report.rows.map((c) => (c.suppressed ? c : { bucket: c.bucket, attempts: c.attempts, by_category: c.by_category })),
            });
      },
      municipalities: async (q: Record<string, string>) => {
        const query = statisticsQuerySchema.parse(q);
        const report = await reports.municipalities(query);
        return query.format === 'csv' ? reports.csv(report, false) : JSON.stringify({ source: report.source, municipalities: report.rows });
      },
    };
    // 2025 is a whole year but not a whole run of ISO weeks: weeks from its first Monday to its last Sunday.
    const period = (granularity: string, format = 'json') =>
      granularity === 'week' ? { from: '2025-01-06', to: '2025-12-28', granularity, format } : { from: '2025-01-01', to: '2025-12-31', granularity, format };
    const queries: Record<string, () => Promise<unknown>> = {
      attempts_day: () => endpoint.attempts(period('day')),
      attempts_week: () => endpoint.attempts(period('week')),
      attempts_month: () => endpoint.attempts(period('month')),
      attempts_year: () => endpoint.attempts(period('year')),
      attempts_day_csv: () => endpoint.attempts(period('day', 'csv')),
      regions_day: () => endpoint.regions(period('day')),
      regions_month_csv: () => endpoint.regions(period('month', 'csv')),
      categories_day: () => endpoint.categories(period('day')),
      categories_month_csv: () => endpoint.categories(period('month', 'csv')),
      municipalities_day: () => endpoint.municipalities(period('day')),
      municipalities_month_csv: () => endpoint.municipalities(period('month', 'csv')),
      // The Elasticsearch part of every endpoint: the year's roll-ups (365 day documents), no fold.
      rollup_read_year_es_only: () => rollups.read(year[0], year[364], municipalityIds, fingerprint),
      // For comparison: one sample day from raw events (what a day outside the roll-ups costs).
      raw_one_sample_day: () =>
        raw.memberDayCounts({
          from: SAMPLE_DAYS[0],
          to: SAMPLE_DAYS[0],
          timeZone: STATISTICS_TIME_ZONE,
          memberIds: municipalityIds,
          attemptQuery,
          categoryFilters,
        }),
    };
    // node_cpu_ms: this process's CPU time per run (user + system), the fold's own cost whatever the other processes on the machine do.
    const timings: Record<string, { median_ms: number; p95_ms: number; min_ms: number; max_ms: number; node_cpu_median_ms: number }> = {};
    for (const [name, run] of Object.entries(queries)) {
      await run(); // warm-up: the first run pays for loading field data and caches
      const samples: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const start = performance.now();
        const cpuStart = process.cpuUsage();
        await run();
        const used = process.cpuUsage(cpuStart);
        samples.push(performance.now() - start);
        cpu.push((used.user + used.system) / 1000);
      }
      samples.sort((a, b) => a - b);
      cpu.sort((a, b) => a - b);
      timings[name] = {
        median_ms: round(percentile(samples, 0.5)),
        p95_ms: round(percentile(samples, 0.95)),
        min_ms: round(samples[0]),
        max_ms: round(samples[RUNS - 1]),
        node_cpu_median_ms: round(percentile(cpu, 0.5)),
      };
    }
    const answer = await reports.attempts(statisticsQuerySchema.parse(period('year')), true);
    const totalEvents = drawn.reduce((sum, c) => sum + (sampled.has(c.day) ? 0 : c.events), 0) + rawDocs;
    const totalAttempts = drawn.reduce((sum, c) => sum + c.attempts, 0);
    process.stdout.write(
      `${JSON.stringify({
        benchmark: 'statistics',
        period: '2025-01-01..2025-12-31',
        municipalities: municipalityIds.length,
        member_days: drawn.length,
        share_member_days_above_200: round((1000 * drawn.filter((c) => c.attempts > 200).length) / drawn.length) / 1000,
        events_represented: totalEvents,
        attempts_represented: totalAttempts,
        sample_days_raw: SAMPLE_DAYS,
        raw_documents: rawDocs,
        raw_load_seconds: round(loadSeconds),
        rebuild_year_seconds: round(rebuildSeconds),
        source_of_year: answer.source,
        runs: RUNS,
        queries: timings,
        loadavg_before: loadBefore.map(round),
        loadavg_after: loadavg().map(round),
      })}\n`,
    );
  } finally {
    await client.indices.delete({ index: names.all, ignore_unavailable: true, allow_no_indices: true });
    await client.indices.deleteIndexTemplate({ name: `${names.prefix}-*` }).catch(() => undefined);
    await client.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench:stats failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
