import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import type { AppConfig } from '@soc/config';
import { ruleLevels, type RuleLevel } from '@soc/contracts';
import type { MemberDirectory } from '@soc/members';
import { createRedis } from '@soc/redis';
import { ruleOrigins, tuningInputSchema, type RuleOrigin } from '@soc/rule-catalogue';
import { RuleAdministration, RuleCatalogueRepository, RuleRefusedError, type RuleAuditRecord } from '@soc/rule-store';
import { readRuleFiles } from '@soc/sigma';
import { AuditRepository, createElasticsearchClient, ensureIndexTemplates, IndexNames } from '@soc/storage';

/** The operator running the CLI, as the audit trail and the catalogue's stamps name them. */
const actor = { sub: `cli:${userInfo().username}`, role: 'soc_admin' };

function level(value: string): RuleLevel | null {
  if (value === 'reset') return null;
  if (!(ruleLevels as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${ruleLevels.join(', ')} or reset`);
  return value as RuleLevel;
}

function origin(value: string): RuleOrigin {
  if (!(ruleOrigins as readonly string[]).includes(value) || value === 'custom') throw new InvalidArgumentError('must be sigmahq, third_party or bundled');
  return value as RuleOrigin;
}

const print = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

/**
 * `npm run cli -- rules …` (docs/RULES.md): the rules API's operations on the catalogue in Redis,
 * checked the same way (a change that does not compile is refused with every located error) and
 * audited in the same audit index, as `cli:<user>`. Every correlator picks a change up within seconds.
 */
export function registerRuleCommands(program: Command, config: AppConfig, members: MemberDirectory): void {
  const withRules = async <T>(work: (administration: RuleAdministration) => Promise<T>): Promise<T> => {
    const redis = createRedis(config.redis.url, 'worker', 'cli');
    const es = createElasticsearchClient(config.elasticsearch.url);
    const names = new IndexNames(config.elasticsearch.indexPrefix);
    const audit = async (record: RuleAuditRecord): Promise<void> => {
      await ensureIndexTemplates(es, names, config.elasticsearch.index);
      await new AuditRepository(es, names).record(record);
    };
    try {
      return await work(
        new RuleAdministration(new RuleCatalogueRepository(redis, config.redis.keyPrefix), {
          engine: {
            allowedLatenessMs: config.correlator.allowedLatenessMs,
            latenessByDataset: config.correlator.latenessByDatasetMs,
            latenessByMember: members.allowedLateness(),
          },
          audit,
          isMember: (id) => members.get(id) !== undefined,
        }),
      );
    } catch (error) {
      // Every located error on its own line, as editors and CI logs link them.
      if (error instanceof RuleRefusedError) throw new Error(error.message);
      throw error;
    } finally {
      redis.disconnect();
      await es.close();
    }
  };

  const rules = program.command('rules').description('the rule catalogue every correlator runs (docs/RULES.md)');
  rules
    .command('list')
    .description('rules as JSON: id, title, origin, folder, level, enabled, version, author, references')
    .option('--q <text>', 'substring of the id, title or document')
    .option('--origin <origin>', ruleOrigins.join(' | '))
    .option('--folder <path>', 'path prefix, e.g. windows/process_creation')
    .option('--enabled <yes|no>', 'only enabled (yes) or disabled (no) rules')
    .option('--offset <n>', 'skip this many', (v) => Number.parseInt(v, 10), 0)
    .option('--limit <n>', 'page size', (v) => Number.parseInt(v, 10), 100)
    .action(async (options: { q?: string; origin?: RuleOrigin; folder?: string; enabled?: string; offset: number; limit: number }) => {
      const enabled = options.enabled === undefined ? undefined : options.enabled === 'yes';
      print(await withRules((a) => a.list({ ...options, enabled })));
    });
  rules
    .command('show <id>')
    .description('one rule with its effective YAML, overrides and tunings')
    .action(async (id: string) => print(await withRules((a) => a.get(id))));
  rules
    .command('revision')
    .description('the catalogue revision')
    .action(async () => print({ revision: await withRules((a) => a.revision()) }));
  for (const [name, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    rules
      .command(`${name} <id>`)
      .description(`${name} a rule`)
      .requiredOption('--why <text>', 'why (kept with the change and in the audit trail)')
      .action(async (id: string, options: { why: string }) => print(await withRules((a) => a.setRuleEnabled(id, enabled, actor, options.why))));
    rules
      .command(`${name}-folder <path>`)
      .description(`${name} every rule under a folder (path prefix)`)
      .requiredOption('--why <text>', 'why')
      .action(async (folder: string, options: { why: string }) =>
        print(await withRules((a) => a.setFolderEnabled(folder.replace(/\/+$/, ''), enabled, actor, options.why))),
      );
  }
  rules
    .command('level <id> <level>')
    .description(`override a rule's level (${ruleLevels.join(', ')}), or reset it`)
    .requiredOption('--why <text>', 'why')
    .action(async (id: string, value: string, options: { why: string }) => print(await withRules((a) => a.setLevel(id, level(value), actor, options.why))));
  rules
    .command('tune <id>')
    .description('add a tuning: --filter (detection rules, global or --member) or --threshold/--timespan (correlation rules)')
    .option('--member <id>', 'only this member')
    .option('--filter <json>', 'a Sigma selection as JSON, e.g. \'{"user.name": "backup"}\'')
    .option('--threshold <n>', 'the count a correlation needs (gte)', (v) => Number.parseInt(v, 10))
    .option('--timespan <span>', "a correlation's window, e.g. 15m")
    .requiredOption('--why <text>', 'why')
    .action(async (id: string, options: { member?: string; filter?: string; threshold?: number; timespan?: string; why: string }) => {
      let filter: unknown;
      try {
        filter = options.filter === undefined ? undefined : JSON.parse(options.filter);
      } catch (error) {
        throw new InvalidArgumentError(`--filter is not JSON: ${(error as Error).message}`);
      }
      const parsed = tuningInputSchema.safeParse({
        member_id: options.member,
        filter,
        threshold: options.threshold,
        timespan: options.timespan,
        why: options.why,
      });
      if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues.map((i) => `${i.path.join('.') || 'tuning'}: ${i.message}`).join('; '));
      print(await withRules((a) => a.addTuning(id, parsed.data, actor)));
    });
  rules
    .command('untune <tuning-id>')
    .description('remove a tuning')
    .requiredOption('--why <text>', 'why')
    .action(async (tuningId: string, options: { why: string }) => print(await withRules((a) => a.removeTuning(tuningId, actor, options.why))));
  rules
    .command('put <file>')
    .description('add or replace a custom rule document (YAML file: a rule, or a correlation with its base rules)')
    .requiredOption('--why <text>', 'why')
    .action(async (file: string, options: { why: string }) => print(await withRules((a) => a.putCustomRule(readFileSync(file, 'utf8'), actor, options.why))));
  rules
    .command('delete <id>')
    .description('delete a custom rule (other origins are disabled, not deleted)')
    .requiredOption('--why <text>', 'why')
    .action(async (id: string, options: { why: string }) => print(await withRules((a) => a.deleteCustomRule(id, actor, options.why))));
  rules
    .command('import <dir>')
    .description('import a folder of Sigma rules (e.g. a SigmaHQ checkout) as data of its origin; prints the import report summary')
    .requiredOption('--origin <origin>', 'sigmahq | third_party | bundled', origin)
    .option('--replace', "remove the origin's documents that are no longer in the folder", false)
    .option('--why <text>', 'why', 'import')
    .action(async (dir: string, options: { origin: RuleOrigin; replace: boolean; why: string }) => {
      const files = readRuleFiles(dir);
      const result = await withRules((a) => a.importFolder(files, options.origin, actor, options.why, { replace: options.replace }));
      const { report } = result;
      print({
        origin: report.origin,
        dir,
        files: report.files,
        accepted: report.accepted,
        rejected: report.files - report.accepted,
        rules: report.rules,
        written: result.written,
        removed: result.removed,
        revision: result.revision,
        rejected_by_reason: report.reasons,
      });
    });
}
