import { readFileSync } from 'node:fs';
import { Presets, SingleBar } from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import type { AppConfig } from '@soc/config';
import { municipalities, type MemberDirectory } from '@soc/members';
import {
  attackAttemptQuery,
  attackCategoryFilters,
  copenhagenToday,
  defaultAttackDefinition,
  definitionFingerprint,
  parseAttackDefinition,
  STATISTICS_TIME_ZONE,
} from '@soc/statistics';
import { createElasticsearchClient, IndexNames, StatisticsRepository, StatisticsRollupRepository } from '@soc/storage';

function day(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new InvalidArgumentError('must be a date YYYY-MM-DD');
  return value;
}

/**
 * Progress on stderr: a bar on a terminal, one line per step otherwise (a log, a pipe), so
 * stdout keeps only the JSON summary.
 */
function progressReporter(): { update: (done: number, total: number, through: string) => void; stop: () => void } {
  if (!process.stderr.isTTY) {
    return {
      update: (done, total, through) => void process.stderr.write(`rebuilt ${done}/${total} days (through ${through})\n`),
      stop: () => undefined,
    };
  }
  const bar = new SingleBar({ format: 'rebuilding roll-ups [{bar}] {value}/{total} days, through {through}', stream: process.stderr }, Presets.shades_classic);
  let started = false;
  return {
    update: (done, total, through) => {
      if (!started) bar.start(total, 0, { through });
      started = true;
      bar.update(done, { through });
    },
    stop: () => started && bar.stop(),
  };
}

/**
 * `npm run cli -- statistics rebuild-rollups [--from --to]` (docs/STATISTICS.md, Roll-ups):
 * recounts the daily roll-ups from the events under the definition in force
 * (STATISTICS_DEFINITION_FILE and the members' ranges). Resumable: run it again (with the same
 * range, or none) and it continues at the first day not yet rebuilt.
 */
export function registerStatisticsCommands(program: Command, config: AppConfig, members: MemberDirectory): void {
  const statistics = program.command('statistics').description("KL's statistics (docs/STATISTICS.md)");
  statistics
    .command('rebuild-rollups')
    .description('recount the daily roll-ups from the events (after a change of the attack-attempt definition); resumes an interrupted rebuild')
    .option('--from <day>', 'first day (YYYY-MM-DD, Copenhagen); default: the first day of the events, or where an interrupted rebuild stopped', day)
    .option('--to <day>', 'last day; default: today', day)
    .action(async (options: { from?: string; to?: string }) => {
      const file = config.statistics.definitionFile;
      const definition = file ? parseAttackDefinition(readFileSync(file, 'utf8'), file) : defaultAttackDefinition;
      const ranges = members.all().map((m) => ({ memberId: m.id, ranges: m.network_ranges }));
      const attemptQuery = attackAttemptQuery(definition, ranges);
      const categoryFilters = attackCategoryFilters(definition, ranges);
      const fingerprint = definitionFingerprint(attemptQuery, categoryFilters);
      const client = createElasticsearchClient(config.elasticsearch.url);
      const names = new IndexNames(config.elasticsearch.indexPrefix);
      const rollups = new StatisticsRollupRepository(client, names, new StatisticsRepository(client, names), config.elasticsearch.index.replicas);
      const progress = progressReporter();
      try {
        await rollups.ensureIndices();
        const pending = (await rollups.state()).rebuild;
        let range: { from: string; to: string } | undefined;
        if (options.from || options.to || !pending || pending.definition !== fingerprint) {
          const to = options.to ?? copenhagenToday();
          const from = options.from ?? (await rollups.firstEventDay()) ?? to;
          if (from > to) throw new Error(`--from ${from} is after --to ${to}`);
          range = { from, to };
        }
        const query = { timeZone: STATISTICS_TIME_ZONE, memberIds: municipalities.map((m) => m.code), attemptQuery, categoryFilters };
        const done = await rollups.rebuild(range, query, fingerprint, progress.update);
        progress.stop();
        process.stdout.write(`${JSON.stringify({ definition: fingerprint, ...done, coverage: await rollups.coverage(fingerprint) })}\n`);
      } finally {
        progress.stop();
        await client.close();
      }
    });
}
