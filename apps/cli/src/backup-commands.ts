import { userInfo } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { backupSettingsOf, backupVerdict, RedisBackup, SnapshotAdministration, type RestoreResult } from '@soc/backups';
import type { AppConfig } from '@soc/config';
import { createRedis } from '@soc/redis';
import { AuditRepository, createElasticsearchClient, ensureIndexTemplates, IndexNames, type ElasticsearchClient } from '@soc/storage';

/** The operator running the CLI, as the audit trail names them. */
const actor = { sub: `cli:${userInfo().username}`, role: 'soc_admin' };

const print = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

/**
 * `npm run cli -- backup setup|snapshot|list|check|restore|prune|redis` (docs/OPERATIONS.md "Backups and
 * restore"): Elasticsearch snapshots of the product's indices, and a copy of Redis's dump.
 */
export function registerBackupCommands(program: Command, config: AppConfig): void {
  const withSnapshots = async <T>(work: (snapshots: SnapshotAdministration, es: ElasticsearchClient) => Promise<T>): Promise<T> => {
    const es = createElasticsearchClient(config.elasticsearch.url);
    try {
      return await work(new SnapshotAdministration(es, backupSettingsOf(config)), es);
    } finally {
      await es.close();
    }
  };

  const backup = program.command('backup').description('snapshots of the Elasticsearch indices, and Redis dumps (docs/OPERATIONS.md)');
  backup
    .command('setup')
    .description('register the fs snapshot repository (SNAPSHOT_REPOSITORY_LOCATION, under path.repo) and the nightly SLM policy (SNAPSHOT_SCHEDULE)')
    .action(async () => {
      const result = await withSnapshots((s) => s.setup());
      if (result.schedule.managed_by === 'none') process.stderr.write(`warning: ${result.schedule.reason}\n`);
      print(result);
    });
  backup
    .command('snapshot')
    .description("take a snapshot of the product's indices now and wait for it")
    .option('--prune', 'then delete snapshots past the retention (for clusters without SLM)', false)
    .action(async (options: { prune: boolean }) => {
      print(
        await withSnapshots(async (s) => {
          const taken = await s.snapshot(actor.sub);
          return options.prune ? { ...taken, pruned: await s.prune() } : taken;
        }),
      );
    });
  backup
    .command('list')
    .description('snapshots in the repository, oldest first: state, indices, size, start and end')
    .action(async () => print({ snapshots: await withSnapshots((s) => s.list()) }));
  backup
    .command('check')
    .description('for monitoring: exit 1 unless the newest successful snapshot is younger than --max-age-hours')
    .option('--max-age-hours <n>', 'hours (26: a nightly snapshot with two hours of slack)', '26')
    .action(async (options: { maxAgeHours: string }) => {
      const hours = Number(options.maxAgeHours);
      if (!Number.isFinite(hours) || hours <= 0) throw new InvalidArgumentError(`--max-age-hours ${options.maxAgeHours}: must be a positive number`);
      const verdict = backupVerdict(await withSnapshots((s) => s.list()), Date.now(), hours * 3_600_000);
      print(verdict);
      if (!verdict.ok) throw new Error(`backup check: ${verdict.problem}`);
    });
  backup
    .command('prune')
    .description('delete snapshots past SNAPSHOT_RETENTION_* (what SLM does by itself where it exists)')
    .action(async () => print({ deleted: await withSnapshots((s) => s.prune()) }));
  backup
    .command('restore <snapshot>')
    .description("delete the product's indices in the snapshot and restore them (stop alerting first); audited")
    .option('--indices <patterns>', 'only these, comma-separated, * allowed (e.g. "soc-alerts,soc-audit")')
    .option('--yes', 'really delete and restore (without it: show what would be replaced)', false)
    .option('--why <text>', 'why (audited)')
    .action(async (snapshot: string, options: { indices?: string; yes: boolean; why?: string }) => {
      await withSnapshots(async (s, es) => {
        const plan = await s.restorePlan(snapshot, options.indices);
        if (!options.yes) {
          print({ snapshot, would_restore: plan.indices, would_delete_first: plan.existing });
          throw new Error(`add --yes to delete ${plan.existing.length} and restore ${plan.indices.length} indices from ${snapshot}`);
        }
        const restored = await s.restore(snapshot, plan);
        print({ ...restored, ...(await audit(es, restored, options.why)) });
      });
    });
  backup
    .command('redis')
    .description("BGSAVE and copy Redis's dump with its sha256 into a folder (on the Redis host only)")
    .requiredOption('--to <dir>', 'folder for the copy')
    .action(async (options: { to: string }) => {
      const redis = createRedis(config.redis.url, 'worker', 'cli-backup');
      try {
        print(await new RedisBackup(redis, config.redis.url).backupTo(options.to));
      } finally {
        redis.disconnect();
      }
    });

  /** After the restore, so the restored audit index does not replace the entry. */
  async function audit(es: ElasticsearchClient, restored: RestoreResult, why?: string): Promise<{ audited: boolean; audit_error?: string }> {
    const names = new IndexNames(config.elasticsearch.indexPrefix);
    try {
      await ensureIndexTemplates(es, names, config.elasticsearch.index);
      await new AuditRepository(es, names).record({
        target: { type: 'snapshot', id: `${config.backups.repository}:${restored.snapshot}` },
        organization: { id: 'shared-soc' },
        actor,
        action: 'snapshot_restored',
        after: { indices: restored.indices, deleted: restored.deleted, shards: restored.shards, took_ms: restored.took_ms },
        reason: why,
      });
      return { audited: true };
    } catch (error) {
      process.stderr.write(`warning: restored, but the audit entry could not be written: ${(error as Error).message}\n`);
      return { audited: false, audit_error: (error as Error).message };
    }
  }
}
