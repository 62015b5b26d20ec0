import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { AppConfig } from '@soc/config';
import type { MemberDirectory } from '@soc/members';
import { ChromiumPdf } from '@soc/report-pdf';
import {
  attackAttemptQuery,
  attackCategoryFilters,
  copenhagenToday,
  defaultAttackDefinition,
  definitionFingerprint,
  klReportCsv,
  klReportData,
  klReportFormats,
  klReportQuerySchema,
  parseAttackDefinition,
  renderKlReportHtml,
  StatisticsReports,
  type KlReportFormat,
} from '@soc/statistics';
import {
  createElasticsearchClient,
  IndexNames,
  RollupMemberDayCounts,
  StatisticsRepository,
  StatisticsRollupRepository,
  type ElasticsearchClient,
} from '@soc/storage';

function formats(value: string): KlReportFormat[] {
  const list = value.split(',').map((f) => f.trim());
  const unknown = list.filter((f) => !(klReportFormats as readonly string[]).includes(f));
  if (unknown.length || list.length === 0) throw new InvalidArgumentError(`must be a comma-separated list of ${klReportFormats.join(', ')}`);
  return list as KlReportFormat[];
}

function month(value: string): string {
  const parsed = klReportQuerySchema.shape.month.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues[0].message);
  return parsed.data;
}

/**
 * `npm run cli -- report --month 2026-11 [--out dir] [--format html,pdf,csv]`: KL's report from
 * Elasticsearch, the same published answers and renderer as `GET /v1/statistics/report`.
 */
export function registerReportCommand(program: Command, config: AppConfig, members: MemberDirectory): void {
  program
    .command('report')
    .description("KL's monthly report (docs/STATISTICS.md): published cells only, as HTML, PDF (headless Chromium) and CSV files")
    .requiredOption('--month <YYYY-MM>', 'the calendar month', month)
    .option('--out <dir>', 'directory for the files', '.')
    .option('--format <list>', `comma-separated: ${klReportFormats.join(', ')}`, formats, [...klReportFormats])
    .action(async (options: { month: string; out: string; format: KlReportFormat[] }) => {
      const client = createElasticsearchClient(config.elasticsearch.url);
      try {
        const reports = statisticsReports(config, members, client);
        const data = await klReportData(reports, options.month, copenhagenToday());
        mkdirSync(options.out, { recursive: true });
        const html = renderKlReportHtml(data);
        const written: string[] = [];
        const write = (ext: string, body: string | Buffer) => {
          const file = join(options.out, `kl-rapport-${options.month}.${ext}`);
          writeFileSync(file, body);
          written.push(file);
        };
        if (options.format.includes('html')) write('html', html);
        if (options.format.includes('csv')) write('csv', klReportCsv(data));
        if (options.format.includes('pdf')) write('pdf', await new ChromiumPdf().render(html));
        process.stdout.write(`${JSON.stringify({ month: options.month, files: written })}\n`);
      } finally {
        await client.close();
      }
    });
}

/**
 * The reports as the alerting API builds them (apps/alerting/src/statistics/statistics.providers.ts):
 * roll-ups where they cover the period under the definition in force, raw events elsewhere, so the
 * CLI's report and the API's are made of the same counts.
 */
function statisticsReports(config: AppConfig, directory: MemberDirectory, client: ElasticsearchClient): StatisticsReports {
  const file = config.statistics.definitionFile;
  const definition = file ? parseAttackDefinition(readFileSync(file, 'utf8'), file) : defaultAttackDefinition;
  const members = directory.all();
  const ranges = members.map((m) => ({ memberId: m.id, ranges: m.network_ranges }));
  const attemptQuery = attackAttemptQuery(definition, ranges);
  const categoryFilters = attackCategoryFilters(definition, ranges);
  const names = new IndexNames(config.elasticsearch.indexPrefix);
  const raw = new StatisticsRepository(client, names);
  const counts = new RollupMemberDayCounts(new StatisticsRollupRepository(client, names, raw), raw, definitionFingerprint(attemptQuery, categoryFilters));
  return new StatisticsReports(counts, definition, attemptQuery, categoryFilters, members, {
    threshold: config.statistics.threshold,
    minMunicipalities: config.statistics.minMunicipalities,
    nameMunicipalities: config.statistics.nameMunicipalities,
    finalAfterDays: config.statistics.finalAfterDays,
  });
}
