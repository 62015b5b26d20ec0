import { userInfo } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import type { AppConfig } from '@soc/config';
import { jobs, type SocEvent } from '@soc/contracts';
import {
  DeadLetterOperations,
  deadLetterFilterSchema,
  deadLetterKinds,
  deadLetterListQuerySchema,
  deadLetterStores,
  type DeadLetterKind,
} from '@soc/dead-letters';
import { createQueue, jobSettings } from '@soc/jobs';
import { createRedis } from '@soc/redis';
import { AuditRepository, createElasticsearchClient, ensureIndexTemplates, EventRepository, IndexNames } from '@soc/storage';

/** The operator running the CLI, as the audit trail names them. */
const actor = { sub: `cli:${userInfo().username}`, role: 'soc_admin' };

const print = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

function kind(value: string): DeadLetterKind {
  if (!(deadLetterKinds as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${deadLetterKinds.join(', ')}`);
  return value as DeadLetterKind;
}

interface FilterOptions {
  kind?: DeadLetterKind;
  member?: string;
  from?: string;
  to?: string;
  reason?: string;
}

const withFilter = (command: Command): Command =>
  command
    .option('--kind <kind>', deadLetterKinds.join(' | '), kind)
    .option('--member <id>', 'a member id (the events’ organization.id)')
    .option('--from <time>', 'dead-lettered at or after (ISO 8601)')
    .option('--to <time>', 'dead-lettered at or before (ISO 8601)')
    .option('--reason <text>', 'substring of the reason (any case)');

function filterOf(options: FilterOptions) {
  const parsed = deadLetterFilterSchema.safeParse({ kind: options.kind, member: options.member, from: options.from, to: options.to, reason: options.reason });
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

/**
 * `npm run cli -- dead-letters list|show|replay|discard` (docs/OPERATIONS.md "Dead letters"): the
 * alerting API's dead-letter operations straight on Redis and Elasticsearch, audited the same way
 * as `cli:<user>`.
 */
export function registerDeadLetterCommands(program: Command, config: AppConfig): void {
  const withOperations = async <T>(work: (operations: DeadLetterOperations) => Promise<T>): Promise<T> => {
    const redis = createRedis(config.redis.url, 'worker', 'cli');
    const es = createElasticsearchClient(config.elasticsearch.url);
    const names = new IndexNames(config.elasticsearch.indexPrefix);
    const events = new EventRepository(es, new IndexNames(config.elasticsearch.indexPrefix, config.ingest.eventTimeWindow));
    const webhooks = createQueue(jobs.webhooks, { redisUrl: config.redis.url, settings: jobSettings(config), connectionName: 'cli-dead-letters' });
    try {
      return await work(
        new DeadLetterOperations(
          deadLetterStores(redis, config, (batch) => events.bulkIndex(batch as SocEvent[]), webhooks.queue),
          async (record) => {
            await ensureIndexTemplates(es, names, config.elasticsearch.index);
            await new AuditRepository(es, names).record(record);
          },
        ),
      );
    } finally {
      await webhooks.close();
      redis.disconnect();
      await es.close();
    }
  };

  const letters = program.command('dead-letters').description('dead letters of ingest, the events stream, indexing and webhooks (docs/OPERATIONS.md)');
  withFilter(letters.command('list').description('dead letters as JSON, oldest first, with the total and the next offset'))
    .option('--size <n>', 'at most this many (1–1000)', '100')
    .option('--offset <n>', 'skip this many', '0')
    .option('--stats', 'only the count and oldest time per kind', false)
    .action(async (options: FilterOptions & { size: string; offset: string; stats: boolean }) => {
      if (options.stats) return print({ kinds: await withOperations((o) => o.stats()) });
      const query = deadLetterListQuerySchema.safeParse({ ...filterOf(options), size: options.size, offset: options.offset });
      if (!query.success) throw new InvalidArgumentError(query.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      print(await withOperations((o) => o.list(query.data)));
    });
  letters
    .command('show <kind> <id>')
    .description('one dead letter with its payload in full')
    .action(async (k: string, id: string) => {
      const found = await withOperations((o) => o.get(kind(k), id));
      if (!found) throw new Error(`no ${k} dead letter ${id}`);
      print(found);
    });
  withFilter(
    letters
      .command('replay [kind] [id]')
      .description('replay one (<kind> <id>), or with --kind and a filter or --all every matching one; removed once its path accepted it'),
  )
    .option('--all', 'every dead letter of --kind', false)
    .option('--why <text>', 'why (audited)')
    .action(async (k: string | undefined, id: string | undefined, options: FilterOptions & { all: boolean; why?: string }) => {
      if (k && id) return print(await withOperations((o) => o.replay(kind(k), id, actor, options.why)));
      const filter = filterOf(options);
      if (!filter.kind) throw new InvalidArgumentError('name <kind> <id>, or --kind with a filter or --all');
      if (!options.all && !filter.member && !filter.from && !filter.to && !filter.reason) throw new InvalidArgumentError('add a filter or --all');
      print(await withOperations((o) => o.replayMatching({ ...filter, kind: filter.kind! }, actor, options.why)));
    });
  letters
    .command('discard <kind> <id>')
    .description('remove one dead letter for good (audited with the reason)')
    .requiredOption('--why <text>', 'why it is discarded')
    .action(async (k: string, id: string, options: { why: string }) => {
      const removed = await withOperations((o) => o.discard(kind(k), id, actor, options.why));
      if (!removed) throw new Error(`no ${k} dead letter ${id}`);
      print({ kind: k, id, outcome: 'discarded' });
    });
}
