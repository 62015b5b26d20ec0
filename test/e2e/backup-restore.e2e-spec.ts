import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TokenIssuer } from '@soc/auth';
import type { Alert } from '@soc/contracts';
import { IndexNames } from '@soc/storage';
import { createForwarderKey, startServices } from './support/deployment-start';
import { E2eDeployment } from './support/deployment';
import { failedSshLogins } from './support/events';
import { AppProcess, waitFor } from './support/stack';

const root = join(__dirname, '..', '..');
const run = promisify(execFile);

/** The node's path.repo: CI may reuse an Elasticsearch started elsewhere, so it is read, not assumed. */
async function nodePathRepo(deployment: E2eDeployment): Promise<string> {
  const answer = (await deployment.es.nodes.info({ metric: 'settings', filter_path: 'nodes.*.settings.path.repo' })) as {
    nodes?: Record<string, { settings?: { path?: { repo?: string | string[] } } }>;
  };
  const repo = Object.values(answer.nodes ?? {})[0]?.settings?.path?.repo;
  const first = Array.isArray(repo) ? repo[0] : repo;
  if (!first) throw new Error('this Elasticsearch has no path.repo (scripts/services.sh starts it with one): the restore drill cannot run');
  return first;
}

/**
 * The restore drill of docs/OPERATIONS.md "Backups and restore", on the real apps: alerts and their
 * audit trail made through ingest and triage, a snapshot taken with the CLI, the indices deleted,
 * restored with the CLI while alerting is stopped, and the API serving every alert and audit entry
 * again.
 */
describe('backup and restore drill: snapshot, delete the indices, restore, alerts and audit trail back', () => {
  let deployment: E2eDeployment;
  let apps: AppProcess[] = [];
  let folder: string;

  beforeAll(async () => {
    deployment = await E2eDeployment.create({ rules: {} });
    folder = join(await nodePathRepo(deployment), deployment.env.INDEX_PREFIX);
    Object.assign(deployment.env, {
      RULES_DIR: join(root, 'rules'),
      SNAPSHOT_REPOSITORY: `${deployment.env.INDEX_PREFIX}-backups`,
      SNAPSHOT_REPOSITORY_LOCATION: folder,
    });
  });

  afterAll(async () => {
    const repository = deployment.env.SNAPSHOT_REPOSITORY;
    const taken = await deployment.es.snapshot.get({ repository, snapshot: '_all' }).catch(() => undefined);
    const all = (taken?.snapshots ?? []).map((s) => s.snapshot);
    if (all.length > 0) await deployment.es.snapshot.delete({ repository, snapshot: all.join(',') });
    // Only a cluster with SLM has the policy setup made; the test distribution answers 400.
    await deployment.es.slm.deleteLifecycle({ policy_id: `${deployment.env.INDEX_PREFIX}-nightly` }).catch(() => undefined);
    await deployment.es.snapshot.deleteRepository({ name: repository }).catch(() => undefined);
    rmSync(folder, { recursive: true, force: true });
    await deployment.close(apps);
  });

  const cli = async (...args: string[]): Promise<any> => {
    const { stdout } = await run(
      process.execPath,
      ['-r', join(root, 'scripts/register-paths.js'), join(root, 'dist/apps/cli/src/main.js'), 'backup', ...args],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', ...deployment.env },
      },
    );
    return JSON.parse(stdout);
  };

  it('brings every alert (ids, members, counts) and audit entry back, served by the API, and audits the restore', async () => {
    const started = await startServices(deployment.env);
    apps = started.apps;
    let alerting = started.alerting;
    const analyst = new TokenIssuer(deployment.env.JWT_SECRET).issue({ sub: 'ana', role: 'soc_analyst' });
    const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
      const response = await fetch(`${alerting.url}${path}`, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${analyst}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
      return { status: response.status, body: (await response.json()) as any };
    };

    // Two members, two attackers each: four alerts, then triage writes their audit trails.
    const attacks = [
      ['0751', '203.0.113.71'],
      ['0751', '203.0.113.72'],
      ['0461', '203.0.113.73'],
      ['0461', '203.0.113.74'],
    ] as const;
    for (const [member, ip] of attacks) {
      const key = await createForwarderKey(deployment.env, member);
      const posted = await fetch(`${started.collector.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson' },
        body: failedSshLogins(12, ip, new Date()),
      });
      expect(posted.status).toBe(202);
    }
    let before: Alert[] = [];
    await waitFor(
      async () => {
        before = (await api('/alerts?size=100')).body.alerts ?? [];
        return before.length === attacks.length && before.every((a) => a.count > 0);
      },
      90_000,
      () => apps.map((a) => a.log).join('\n'),
    );
    for (const alert of before) {
      expect((await api(`/alerts/${alert.id}/status`, { method: 'POST', body: { status: 'acknowledged', reason: 'drill' } })).status).toBe(200);
      expect((await api(`/alerts/${alert.id}/comments`, { method: 'POST', body: { text: `seen ${alert.id}` } })).status).toBeLessThan(300);
    }
    // The list is a search: it shows the triage once the alerts index has refreshed.
    await waitFor(async () => {
      before = (await api('/alerts?size=100')).body.alerts;
      return before.every((a) => a.status === 'acknowledged');
    }, 10_000);
    const trails = new Map<string, unknown>();
    for (const alert of before) trails.set(alert.id, (await api(`/alerts/${alert.id}/audit`)).body);
    for (const trail of trails.values()) expect(JSON.stringify(trail)).toContain('acknowledged');
    const eventsBefore = (await deployment.es.count({ index: new IndexNames(deployment.env.INDEX_PREFIX).eventsPattern })).count;
    expect(eventsBefore).toBe(attacks.length * 12);

    // The drill, as docs/OPERATIONS.md tells an operator.
    expect(await cli('setup')).toMatchObject({ repository: deployment.env.SNAPSHOT_REPOSITORY, location: folder });
    await expect(cli('check')).rejects.toMatchObject({ stderr: expect.stringContaining('backup check: no successful snapshot in the repository (0 in all)') });
    const snapshot = await cli('snapshot');
    expect(await cli('check', '--max-age-hours', '1')).toMatchObject({ ok: true, newest_success: snapshot.snapshot });
    expect(snapshot).toMatchObject({ state: 'SUCCESS', shards: { failed: 0 } });
    expect((await cli('list')).snapshots.map((s: { snapshot: string }) => s.snapshot)).toEqual([snapshot.snapshot]);

    await alerting.kill();
    const names = new IndexNames(deployment.env.INDEX_PREFIX);
    const productIndices = snapshot.indices as string[];
    expect(productIndices).toEqual(expect.arrayContaining([names.alerts, names.audit, names.exceptions]));
    await deployment.es.indices.delete({ index: productIndices.join(',') });
    for (const index of productIndices) expect(await deployment.es.indices.exists({ index })).toBe(false);

    // Without --yes nothing is touched: the CLI says what it would do and fails.
    await expect(cli('restore', snapshot.snapshot)).rejects.toMatchObject({
      stderr: expect.stringContaining(`add --yes to delete 0 and restore ${productIndices.length} indices from ${snapshot.snapshot}`),
    });
    expect(await deployment.es.indices.exists({ index: names.alerts })).toBe(false);

    const restored = await cli('restore', snapshot.snapshot, '--yes', '--why', 'restore drill');
    expect(restored).toMatchObject({ indices: [...productIndices].sort(), shards: { failed: 0 }, audited: true });

    alerting = new AppProcess('alerting', deployment.env).start();
    apps = [...apps.filter((a) => a.app !== 'alerting'), alerting];
    await alerting.waitReady();
    const after = (await api('/alerts?size=100')).body.alerts as Alert[];
    const essentials = (alerts: Alert[]) =>
      alerts
        .map((a) => ({ id: a.id, member: a.organization.id, count: a.count, status: a.status, rule: a.rule, event_ids: [...a.event_ids].sort() }))
        .sort((x, y) => x.id.localeCompare(y.id));
    expect(essentials(after)).toEqual(essentials(before));
    for (const alert of before) expect((await api(`/alerts/${alert.id}/audit`)).body).toEqual(trails.get(alert.id));
    expect((await deployment.es.count({ index: names.eventsPattern })).count).toBe(eventsBefore);

    await deployment.es.indices.refresh({ index: names.audit });
    const restoreEntries = await deployment.es.search<{ action: string; actor: { sub: string }; reason?: string }>({
      index: names.audit,
      query: { term: { 'target.type': 'snapshot' } },
    });
    expect(restoreEntries.hits.hits.map((h) => h._source)).toEqual([
      expect.objectContaining({
        action: 'snapshot_restored',
        reason: 'restore drill',
        actor: expect.objectContaining({ sub: expect.stringMatching(/^cli:/) }),
      }),
    ]);
  });
});
