import { randomUUID } from 'node:crypto';
import { loadConfig } from '@soc/config';
import { MemberDirectory, membersFileSchema } from '@soc/members';
import {
  attackAttemptQuery,
  attackCategoryFilters,
  defaultAttackDefinition,
  statisticsQuerySchema,
  StatisticsReports,
  STATISTICS_TIME_ZONE,
} from '@soc/statistics';
import { createElasticsearchClient, ensureIndexTemplates, IndexNames, StatisticsRepository } from '@soc/storage';
import { daysFrom, memberDayEvents, membersFileOfRanges, municipalityIds } from '../../libs/statistics/src/testing/generated-attempts';
import { bulkLoad } from '../../libs/storage/src/testing/bulk-load';

/**
 * `npm run bench:stats`: a year (2025) of events for the 98 municipalities, every member-day
 * populated, then each statistics query over the whole year, median of RUNS runs after a warm-up. Prints one
 * JSON object. The load is representative, not national: 0–11 attempts plus 3 non-attempt
 * events per member-day (about 300k documents), because the query cost is driven by the
 * 98 × 365 member-day buckets the composite aggregation builds, which are all there.
 */
const RUNS = 5;
const year = daysFrom('2025-01-01', 365);

async function main(): Promise<void> {
  const config = loadConfig();
  const client = createElasticsearchClient(config.elasticsearch.url);
  const names = new IndexNames(`bench-stats-${randomUUID().slice(0, 8)}`);
  try {
    await ensureIndexTemplates(client, names);
    function* events() {
      for (const [d, day] of year.entries()) {
        for (let m = 0; m < municipalityIds.length; m += 1) yield* memberDayEvents(m, day, (m * 7 + d * 13) % 12).events;
      }
    }
    const loadStart = performance.now();
    // Monthly indices (matched by the same events-* pattern) keep the shared test node under its
    // shard limit; production's daily indices only add shards the range query skips.
    const docs = await bulkLoad(client, events(), (event) => `${names.prefix}-events-${String(event['@timestamp']).slice(0, 7).replace('-', '.')}`);
    await client.indices.refresh({ index: names.eventsPattern });
    await client.indices.forcemerge({ index: names.eventsPattern, max_num_segments: 1 });
    const loadSeconds = (performance.now() - loadStart) / 1000;

    const directory = MemberDirectory.withDefaults(membersFileSchema.parse(membersFileOfRanges()));
    const ranges = directory.all().map((m) => ({ memberId: m.id, ranges: m.network_ranges }));
    const reports = new StatisticsReports(
      new StatisticsRepository(client, names),
      defaultAttackDefinition,
      attackAttemptQuery(defaultAttackDefinition, ranges),
      attackCategoryFilters(defaultAttackDefinition, ranges),
      directory.all(),
      { threshold: 200, minMunicipalities: 5, nameMunicipalities: false, finalAfterDays: 31 },
    );
    // 2025 is a whole year but not a whole run of ISO weeks: weeks are asked for from its first Monday to its last Sunday.
    const query = (granularity: string) =>
      statisticsQuerySchema.parse(
        granularity === 'week' ? { from: '2025-01-06', to: '2025-12-28', granularity } : { from: '2025-01-01', to: '2025-12-31', granularity },
      );
    const yearQuery = query('day');
    const repository = new StatisticsRepository(client, names);
    const queries: Record<string, () => Promise<unknown>> = {
      // Elasticsearch alone: the composite aggregation behind every endpoint.
      member_day_counts_es_only: () =>
        repository.memberDayCounts({
          from: yearQuery.from,
          to: yearQuery.to,
          timeZone: STATISTICS_TIME_ZONE,
          memberIds: municipalityIds,
          attemptQuery: attackAttemptQuery(defaultAttackDefinition, ranges),
          categoryFilters: attackCategoryFilters(defaultAttackDefinition, ranges),
        }),
      attempts_per_day: () => reports.attempts(query('day'), true),
      attempts_per_week: () => reports.attempts(query('week'), true),
      attempts_over_year: () => reports.attempts(query('year'), true),
      regions_per_day: () => reports.regions(query('day'), true),
      municipalities_per_month_named_csv: async () => reports.csv(await reports.municipalities(query('month')), false),
    };
    const timings: Record<string, { median_ms: number; min_ms: number; max_ms: number }> = {};
    for (const [name, run] of Object.entries(queries)) {
      await run(); // warm-up: the first run pays for loading field data and caches
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const start = performance.now();
        await run();
        samples.push(performance.now() - start);
      }
      samples.sort((a, b) => a - b);
      timings[name] = { median_ms: round(samples[Math.floor(RUNS / 2)]), min_ms: round(samples[0]), max_ms: round(samples[RUNS - 1]) };
    }
    process.stdout.write(
      `${JSON.stringify({
        benchmark: 'statistics',
        period: '2025-01-01..2025-12-31',
        municipalities: municipalityIds.length,
        member_days: year.length * municipalityIds.length,
        documents: docs,
        load_seconds: round(loadSeconds),
        load_docs_per_second: Math.round(docs / loadSeconds),
        runs: RUNS,
        queries: timings,
      })}\n`,
    );
  } finally {
    await client.indices.delete({ index: names.all, ignore_unavailable: true, allow_no_indices: true });
    await client.indices.deleteIndexTemplate({ name: `${names.prefix}-*` }).catch(() => undefined);
    await client.close();
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

main().catch((error: Error) => {
  process.stderr.write(`bench:stats failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
