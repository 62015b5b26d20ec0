import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { allMembers, type SocEvent } from '@soc/contracts';
import { AuditRepository, createElasticsearchClient, ensureIndexTemplates, EventRepository, IndexNames } from '@soc/storage';
import { elasticsearchUrl, uniqueName } from '../../../test/support';
import { SnapshotAdministration } from './snapshot-administration';
import { BackupSettingsError, type BackupSettings } from './snapshot-plan';

const client = createElasticsearchClient(elasticsearchUrl);

const event = (id: string, timestamp: string): SocEvent => ({
  '@timestamp': timestamp,
  event: { id, ingested: timestamp, category: ['authentication'] },
  organization: { id: '0751' },
  source: { ip: '198.51.100.7' },
});

/** The node's path.repo (CI may reuse an Elasticsearch started elsewhere, so it is read, not assumed). */
async function nodePathRepo(): Promise<string> {
  const answer = (await client.nodes.info({ metric: 'settings', filter_path: 'nodes.*.settings.path.repo' })) as {
    nodes?: Record<string, { settings?: { path?: { repo?: string | string[] } } }>;
  };
  const repo = Object.values(answer.nodes ?? {})[0]?.settings?.path?.repo;
  const first = Array.isArray(repo) ? repo[0] : repo;
  if (!first) throw new Error('this Elasticsearch has no path.repo (scripts/services.sh starts it with one): snapshots cannot be tested');
  return first;
}

describe(SnapshotAdministration.name, () => {
  let names: IndexNames;
  let settings: BackupSettings;
  let snapshots: SnapshotAdministration;
  let folder: string;

  beforeEach(async () => {
    names = new IndexNames(uniqueName('backup'));
    folder = join(await nodePathRepo(), names.prefix);
    settings = {
      indexPrefix: names.prefix,
      repository: `${names.prefix}-backups`,
      location: folder,
      schedule: '0 30 1 * * ?',
      retention: { expireAfter: '30d', minCount: 1, maxCount: 2 },
    };
    snapshots = new SnapshotAdministration(client, settings);
    await ensureIndexTemplates(client, names);
  });

  afterEach(async () => {
    const taken = await client.snapshot.get({ repository: settings.repository, snapshot: '_all' }).catch(() => undefined);
    const all = (taken?.snapshots ?? []).map((s) => s.snapshot);
    if (all.length > 0) await client.snapshot.delete({ repository: settings.repository, snapshot: all.join(',') });
    // Only a cluster with SLM has the policy setup made; the test distribution answers 400.
    await client.slm.deleteLifecycle({ policy_id: snapshots.policyId }).catch(() => undefined);
    await client.snapshot.deleteRepository({ name: settings.repository }).catch(() => undefined);
    rmSync(folder, { recursive: true, force: true });
    await client.indices.delete({ index: names.all, ignore_unavailable: true, allow_no_indices: true });
    await client.indices.deleteIndexTemplate({ name: `${names.prefix}-*` }).catch(() => undefined);
  });

  it('refuses a repository location outside path.repo before asking Elasticsearch', async () => {
    const outside = new SnapshotAdministration(client, { ...settings, location: '/var/tmp/not-under-path-repo' });
    await expect(outside.setup()).rejects.toThrow(
      `SNAPSHOT_REPOSITORY_LOCATION /var/tmp/not-under-path-repo (/var/tmp/not-under-path-repo) is not inside the node's path.repo`,
    );
    await expect(client.snapshot.getRepository({ name: settings.repository })).rejects.toMatchObject({ meta: { statusCode: 404 } });
  });

  it('says to run setup first when the repository is missing', async () => {
    await expect(snapshots.list()).rejects.toThrow(`no snapshot repository "${settings.repository}": run \`backup setup\` first (SNAPSHOT_REPOSITORY)`);
  });

  it('takes a snapshot of the product indices, restores them after they were deleted, audit trail and events back', async () => {
    const setup = await snapshots.setup();
    expect(setup).toMatchObject({ repository: settings.repository, location: folder });
    // Local runs and CI use the test distribution, which has no SLM: setup says what to do instead.
    if (setup.schedule.managed_by === 'none') expect(setup.schedule.reason).toContain('run `backup snapshot --prune` from cron at "0 30 1 * * ?"');

    const audit = new AuditRepository(client, names);
    const entries = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        audit.record({
          target: { type: 'alert', id: `alert-${i % 5}` },
          organization: { id: '0751' },
          actor: { sub: 'analyst', role: 'soc_analyst' },
          action: `step-${i}`,
        }),
      ),
    );
    const now = new Date().toISOString();
    await new EventRepository(client, names).bulkIndex(Array.from({ length: 40 }, (_, i) => event(`event-${i}`, now)));
    await client.indices.refresh({ index: names.all });

    const taken = await snapshots.snapshot('cli:test');
    expect(taken).toMatchObject({ state: 'SUCCESS', policy: `${names.prefix}-nightly`, shards: { failed: 0 } });
    expect(taken.indices).toEqual(expect.arrayContaining([names.alerts, names.audit, names.exceptions, names.eventsIndexFor(now)]));
    expect(taken.size_bytes).toBeGreaterThan(0);
    expect(await snapshots.list()).toEqual([expect.objectContaining({ snapshot: taken.snapshot, state: 'SUCCESS' })]);

    const plan = await snapshots.restorePlan(taken.snapshot);
    expect(plan.existing).toEqual(plan.indices);
    await client.indices.delete({ index: plan.indices.join(',') });
    expect(await client.indices.exists({ index: names.audit })).toBe(false);

    const restored = await snapshots.restore(taken.snapshot, await snapshots.restorePlan(taken.snapshot));
    expect(restored).toMatchObject({ indices: plan.indices, deleted: [], shards: { failed: 0 } });
    expect(['green', 'yellow']).toContain(restored.health);
    const back = await Promise.all([0, 1, 2, 3, 4].map((i) => audit.forTarget(allMembers, 'alert', `alert-${i}`)));
    expect(
      back
        .flat()
        .map((e) => e.id)
        .sort(),
    ).toEqual(entries.map((e) => e.id).sort());
    expect((await client.count({ index: names.eventsPattern })).count).toBe(40);
  });

  it('restores only the indices asked for, deleting the live one first', async () => {
    await snapshots.setup();
    const audit = new AuditRepository(client, names);
    const before = await audit.record({
      target: { type: 'alert', id: 'a' },
      organization: { id: '0751' },
      actor: { sub: 'x', role: 'soc_analyst' },
      action: 'before',
    });
    const taken = await snapshots.snapshot('cli:test');
    await audit.record({ target: { type: 'alert', id: 'a' }, organization: { id: '0751' }, actor: { sub: 'x', role: 'soc_analyst' }, action: 'after' });

    const plan = await snapshots.restorePlan(taken.snapshot, `${names.prefix}-audit`);
    expect(plan).toEqual({ indices: [names.audit], existing: [names.audit] });
    expect(await snapshots.restore(taken.snapshot, plan)).toMatchObject({ indices: [names.audit], deleted: [names.audit] });
    expect((await audit.forTarget(allMembers, 'alert', 'a')).map((e) => e.id)).toEqual([before.id]);
    // Alerting left running creates its indices again between the delete and the restore.
    const stale = await snapshots.restorePlan(taken.snapshot, `${names.prefix}-audit`);
    await client.indices.delete({ index: names.audit });
    await ensureIndexTemplates(client, names);
    await expect(snapshots.restore(taken.snapshot, { ...stale, existing: [] })).rejects.toThrow(
      `restore of ${taken.snapshot} refused: an index it restores was created again after the delete`,
    );
    await expect(snapshots.restorePlan('no-such-snapshot')).rejects.toThrow(
      `no snapshot "no-such-snapshot" in repository ${settings.repository} (backup list shows them)`,
    );
    await expect(snapshots.restorePlan(taken.snapshot, 'other-*')).rejects.toThrow(BackupSettingsError);
  });

  it('prunes the policy snapshots beyond the retention, newest kept', async () => {
    await snapshots.setup();
    const first = await snapshots.snapshot('cli:test', new Date(Date.now() - 2000));
    const second = await snapshots.snapshot('cli:test', new Date(Date.now() - 1000));
    const third = await snapshots.snapshot('cli:test');
    expect(await snapshots.prune()).toEqual([first.snapshot]);
    expect((await snapshots.list()).map((s) => s.snapshot).sort()).toEqual([second.snapshot, third.snapshot].sort());
  });
});
