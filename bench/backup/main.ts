import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { SnapshotAdministration } from '@soc/backups';
import { loadConfig } from '@soc/config';
import { AuditRepository, createElasticsearchClient, ensureIndexTemplates, IndexNames } from '@soc/storage';
import { bulkLoad } from '../../libs/storage/src/testing/bulk-load';

/**
 * `npm run bench:backup -- --events N`: the Elasticsearch side of the recovery figures in
 * docs/OPERATIONS.md "Backups and restore". Loads N events (over --days daily indices) and 1,000
 * audit entries under a private index prefix, then times a full snapshot, an incremental one after
 * 1 % more events, and the restore of everything after the indices were deleted (the drill), with
 * the product's own SnapshotAdministration. Removes its indices, snapshots, repository and folder.
 * Prints one JSON object.
 */
async function main(): Promise<void> {
  const options = new Command('bench:backup')
    .option('--events <n>', 'events to load', Number, 200_000)
    .option('--days <n>', 'daily event indices they spread over', Number, 7)
    .parse(process.argv)
    .opts<{ events: number; days: number }>();
  const config = loadConfig();
  const client = createElasticsearchClient(config.elasticsearch.url);
  const names = new IndexNames(`bench-backup-${Date.now().toString(36)}`);
  const pathRepo = await firstPathRepo(client);
  const folder = join(pathRepo, names.prefix);
  const repository = `${names.prefix}-backups`;
  const snapshots = new SnapshotAdministration(client, {
    indexPrefix: names.prefix,
    repository,
    location: folder,
    schedule: '0 30 1 * * ?',
    retention: { expireAfter: '30d', minCount: 1, maxCount: 10 },
  });
  try {
    await ensureIndexTemplates(client, names);
    const loadStarted = Date.now();
    await load(client, names, 0, options.events, options.days);
    const audit = new AuditRepository(client, names);
    for (let i = 0; i < 1_000; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, j) =>
          audit.record({
            target: { type: 'alert', id: `alert-${i + j}` },
            organization: { id: '0751' },
            actor: { sub: 'bench', role: 'soc_analyst' },
            action: 'status',
          }),
        ),
      );
    }
    await client.indices.refresh({ index: names.all });
    const loadMs = Date.now() - loadStarted;

    await snapshots.setup();
    const full = await timed(() => snapshots.snapshot('bench'));
    await load(client, names, options.events, Math.ceil(options.events / 100), options.days);
    await client.indices.refresh({ index: names.all });
    const incremental = await timed(() => snapshots.snapshot('bench', new Date(Date.now() + 1000)));
    const documents = (await client.count({ index: names.all })).count;

    const plan = await snapshots.restorePlan(incremental.value.snapshot);
    const restore = await timed(() => snapshots.restore(incremental.value.snapshot, plan));
    const restoredDocuments = (await client.count({ index: names.all })).count;
    if (restoredDocuments !== documents) throw new Error(`restored ${restoredDocuments} documents, expected ${documents}`);

    process.stdout.write(
      `${JSON.stringify(
        {
          events: options.events,
          documents,
          indices: plan.indices.length,
          snapshot_bytes: incremental.value.size_bytes,
          load_ms: loadMs,
          full_snapshot_ms: full.ms,
          incremental_snapshot_ms: incremental.ms,
          restore_ms: restore.ms,
          restore_docs_per_second: Math.round(documents / (restore.ms / 1000)),
          load_average: loadavg().map((l) => Math.round(l * 100) / 100),
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    const taken = await client.snapshot.get({ repository, snapshot: '_all' }).catch(() => undefined);
    const all = (taken?.snapshots ?? []).map((s) => s.snapshot);
    if (all.length > 0) await client.snapshot.delete({ repository, snapshot: all.join(',') }).catch(() => undefined);
    await client.slm.deleteLifecycle({ policy_id: snapshots.policyId }).catch(() => undefined);
    await client.snapshot.deleteRepository({ name: repository }).catch(() => undefined);
    rmSync(folder, { recursive: true, force: true });
    await client.indices.delete({ index: names.all, ignore_unavailable: true, allow_no_indices: true });
    await client.indices.deleteIndexTemplate({ name: `${names.prefix}-*` }).catch(() => undefined);
    await client.close();
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work();
  return { value, ms: Date.now() - started };
}

async function firstPathRepo(client: ReturnType<typeof createElasticsearchClient>): Promise<string> {
  const answer = (await client.nodes.info({ metric: 'settings', filter_path: 'nodes.*.settings.path.repo' })) as {
    nodes?: Record<string, { settings?: { path?: { repo?: string | string[] } } }>;
  };
  const repo = Object.values(answer.nodes ?? {})[0]?.settings?.path?.repo;
  const first = Array.isArray(repo) ? repo[0] : repo;
  if (!first) throw new Error('this Elasticsearch has no path.repo (scripts/services.sh starts it with one)');
  return first;
}

/** Events shaped like the indexer's, `count` of them numbered from `from`, spread over the last `days` days. */
async function load(client: ReturnType<typeof createElasticsearchClient>, names: IndexNames, from: number, count: number, days: number): Promise<void> {
  const now = Date.now();
  function* events() {
    for (let i = from; i < from + count; i++) {
      const at = new Date(now - (i % days) * 86_400_000 - (i % 3_600) * 1000).toISOString();
      yield {
        '@timestamp': at,
        event: { id: `bench-${i}`, ingested: at, category: ['authentication'], outcome: 'failure' },
        organization: { id: ['0751', '0461', '0101', '0147'][i % 4] },
        source: { ip: `198.51.100.${i % 250}` },
        user: { name: `user${i % 500}` },
        message: `Failed password for user${i % 500} from 198.51.100.${i % 250} port ${1024 + (i % 60_000)} ssh2`,
      };
    }
  }
  await bulkLoad(client, events(), (event) => names.eventsIndexFor(event['@timestamp'] as string));
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
