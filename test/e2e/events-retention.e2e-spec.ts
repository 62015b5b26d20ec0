import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { E2eDeployment } from './support/deployment';
import { AppProcess, waitFor } from './support/stack';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
const dayMs = 86_400_000;
const dayName = (daysAgo: number) => new Date(Date.now() - daysAgo * dayMs).toISOString().slice(0, 10).replace(/-/g, '.');

/**
 * EVENTS_RETENTION_DAYS end to end: the CLI lists what is out of retention without deleting it,
 * the alerting app deletes it on its first sweep and audits each index, and an events index inside
 * the retention, the alerts and the audit trail stay.
 */
describe('events retention', () => {
  let deployment: E2eDeployment;
  const apps: AppProcess[] = [];
  const retentionDays = 31; // the minimum with the default 30-day event-time past window

  beforeAll(async () => {
    deployment = await E2eDeployment.create({ rules: {}, env: { EVENTS_RETENTION_DAYS: String(retentionDays), ES_EVENTS_SHARDS: '2' } });
  });

  afterAll(() => deployment.close(apps));

  const cli = async (...args: string[]): Promise<Record<string, unknown>> => {
    const { stdout } = await run(
      process.execPath,
      ['-r', join(root, 'scripts/register-paths.js'), join(root, 'dist/apps/cli/src/main.js'), 'retention', ...args],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', ...deployment.env },
      },
    );
    return JSON.parse(stdout) as Record<string, unknown>;
  };

  it('lists, then deletes and audits, only the events indices older than the retention', async () => {
    const { es, env } = deployment;
    const prefix = env.INDEX_PREFIX;
    const old = [`${prefix}-events-${dayName(400)}`, `${prefix}-events-${dayName(retentionDays + 1)}`];
    const kept = `${prefix}-events-${dayName(retentionDays)}`;
    for (const index of [...old, kept]) await es.indices.create({ index });

    expect(await cli('run', '--dry-run')).toEqual({ retention_days: retentionDays, dry_run: true, would_delete: old });
    for (const index of old) expect(await es.indices.exists({ index })).toBe(true);

    const alerting = new AppProcess('alerting', env).start();
    apps.push(alerting);
    await alerting.waitReady();
    const anyLeft = async () => (await Promise.all(old.map((index) => es.indices.exists({ index })))).some(Boolean);
    await waitFor(
      async () => !(await anyLeft()),
      30_000,
      () => `old indices still there\n${alerting.log}`,
    );
    expect(await es.indices.exists({ index: kept })).toBe(true);
    // The alerting app laid out the events template with the configured shards.
    const template = await es.indices.getIndexTemplate({ name: `${prefix}-events` });
    expect(template.index_templates[0].index_template.template?.settings).toMatchObject({ index: { number_of_shards: '2' } });

    await waitFor(async () => {
      await es.indices.refresh({ index: `${prefix}-audit` });
      const audit = await es.search<{ target: { id: string }; action: string; actor: { sub: string } }>({
        index: `${prefix}-audit`,
        query: { term: { 'target.type': 'events_index' } },
        size: 10,
      });
      const entries = audit.hits.hits.map((h) => h._source!);
      return (
        entries.length === 2 && entries.every((e) => e.action === 'events_index_deleted' && e.actor.sub === 'events-retention' && old.includes(e.target.id))
      );
    }, 30_000);
    expect(await cli('run')).toEqual({ retention_days: retentionDays, deleted: [] });
  });
});
