import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { AppConfig } from '@soc/config';
import { AuditRepository, createElasticsearchClient, ensureIndexTemplates, EventsRetention, IndexNames } from '@soc/storage';

/**
 * `npm run cli -- retention run [--dry-run]` (docs/OPERATIONS.md, "Index settings and
 * retention"): what the alerting app's hourly sweep does, now: deletes the daily events indices
 * older than EVENTS_RETENTION_DAYS (checked as every app checks it) and audits each, or with `--dry-run` only lists them.
 */
export function registerRetentionCommands(program: Command, config: AppConfig): void {
  const retention = program.command('retention').description('events retention (EVENTS_RETENTION_DAYS)');
  retention
    .command('run')
    .description('delete the events indices older than the retention, auditing each; --dry-run only lists them')
    .option('--dry-run', 'list what would be deleted, delete nothing')
    .action(async (options: { dryRun?: boolean }) => {
      const days = config.elasticsearch.index.eventsRetentionDays;
      if (days === 0) {
        process.stdout.write(`${JSON.stringify({ retention_days: 0, deleted: [], note: 'retention is off (EVENTS_RETENTION_DAYS=0): nothing is deleted' })}\n`);
        return;
      }
      const client = createElasticsearchClient(config.elasticsearch.url);
      const names = new IndexNames(config.elasticsearch.indexPrefix);
      try {
        const sweep = new EventsRetention(client, names, days);
        if (options.dryRun) {
          process.stdout.write(`${JSON.stringify({ retention_days: days, dry_run: true, would_delete: await sweep.expired() })}\n`);
          return;
        }
        await ensureIndexTemplates(client, names, config.elasticsearch.index);
        const audit = new AuditRepository(client, names);
        const deleted = await sweep.apply();
        for (const index of deleted) {
          await audit.record({
            target: { type: 'events_index', id: index },
            organization: { id: 'shared-soc' },
            actor: { sub: `cli:${userInfo().username}`, role: 'soc_admin' },
            action: 'events_index_deleted',
            reason: `EVENTS_RETENTION_DAYS=${days} (retention run)`,
          });
        }
        process.stdout.write(`${JSON.stringify({ retention_days: days, deleted })}\n`);
      } finally {
        await client.close();
      }
    });
}
