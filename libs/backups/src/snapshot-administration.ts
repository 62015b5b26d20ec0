import { randomBytes } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import {
  BackupSettingsError,
  fsRepositoryBody,
  indicesToRestore,
  lifecyclePolicyBody,
  lifecyclePolicyId,
  manualSnapshotName,
  repositoryLocation,
  snapshotContents,
  snapshotsPastRetention,
  type BackupSettings,
} from './snapshot-plan';

/** Snapshots and restores of a large cluster take minutes; the client's default 30 s would cut them off. */
const longRequest = { requestTimeout: 6 * 3_600_000 };

export interface SnapshotSummary {
  snapshot: string;
  state: string;
  indices: string[];
  size_bytes: number;
  shards: { total: number; failed: number; successful: number };
  start_time?: string;
  end_time?: string;
  duration_ms?: number;
  policy?: string;
  failures: string[];
}

export interface SetupResult {
  repository: string;
  location: string;
  /** `slm`: Elasticsearch takes and expires the snapshots itself; `unavailable`: schedule `backup snapshot --prune`. */
  schedule: { managed_by: 'slm'; policy: string; cron: string } | { managed_by: 'none'; reason: string };
}

export interface RestoreResult {
  snapshot: string;
  indices: string[];
  deleted: string[];
  shards: { total: number; failed: number; successful: number };
  took_ms: number;
  health: string;
}

/** The Elasticsearch answer of a node without a module (SLM is in x-pack-ilm, absent from the test distribution). */
function isMissingApi(error: unknown): boolean {
  const meta = (error as { meta?: { statusCode?: number; body?: unknown } }).meta;
  return meta !== undefined && [400, 404, 405].includes(meta.statusCode ?? 0) && /no handler found|Incorrect HTTP method/.test(JSON.stringify(meta.body ?? ''));
}

/**
 * The product's Elasticsearch backups (docs/OPERATIONS.md "Backups and restore"): an `fs` snapshot
 * repository, the SLM policy that fills it every night, snapshots on demand, listing, restore and,
 * for clusters without SLM, the same retention applied by the CLI.
 */
export class SnapshotAdministration {
  constructor(
    private readonly client: Client,
    private readonly settings: BackupSettings,
  ) {}

  get policyId(): string {
    return lifecyclePolicyId(this.settings.indexPrefix);
  }

  /** `path.repo` of every node: a repository location must lie under it on each of them. */
  async nodePathRepos(): Promise<string[][]> {
    const answer = await this.client.nodes.info({ metric: 'settings', filter_path: 'nodes.*.settings.path.repo' });
    const nodes = Object.values((answer as { nodes?: Record<string, { settings?: { path?: { repo?: string | string[] } } }> }).nodes ?? {});
    if (nodes.length === 0) return [[]];
    return nodes.map((node) => {
      const repo = node.settings?.path?.repo ?? [];
      return Array.isArray(repo) ? repo : [repo];
    });
  }

  /** Registers (or updates) the repository, verified by every node, and the nightly SLM policy where SLM exists. */
  async setup(): Promise<SetupResult> {
    const policy = lifecyclePolicyBody(this.settings);
    const locations = (await this.nodePathRepos()).map((pathRepo) => repositoryLocation(this.settings.location, pathRepo));
    const location = locations[0];
    await this.client.snapshot.createRepository({ name: this.settings.repository, repository: fsRepositoryBody(location) });
    try {
      await this.client.slm.putLifecycle({ policy_id: this.policyId, ...policy });
    } catch (error) {
      if (!isMissingApi(error)) throw error;
      return {
        repository: this.settings.repository,
        location,
        schedule: {
          managed_by: 'none',
          reason: `this Elasticsearch has no snapshot lifecycle management (the x-pack-ilm module, e.g. the test distribution): run \`backup snapshot --prune\` from cron at "${this.settings.schedule}" instead`,
        },
      };
    }
    return { repository: this.settings.repository, location, schedule: { managed_by: 'slm', policy: this.policyId, cron: this.settings.schedule } };
  }

  /**
   * Takes a snapshot of the product's indices now and waits for it. It carries the policy's id in
   * its metadata, so SLM's retention counts it with the nightly ones, and `prune` does too.
   */
  async snapshot(takenBy: string, now = new Date()): Promise<SnapshotSummary> {
    await this.requireRepository();
    const name = manualSnapshotName(this.settings.indexPrefix, now, randomBytes(3).toString('hex'));
    await this.client.snapshot.create(
      {
        repository: this.settings.repository,
        snapshot: name,
        wait_for_completion: true,
        ...snapshotContents(this.settings.indexPrefix),
        metadata: { policy: this.policyId, taken_by: takenBy },
      },
      longRequest,
    );
    const taken = await this.get(name);
    if (!taken) throw new Error(`snapshot ${name} was taken but is not listed in repository ${this.settings.repository}`);
    if (taken.state !== 'SUCCESS') throw new Error(`snapshot ${name} ended ${taken.state}: ${taken.failures.join('; ') || 'no shard failures reported'}`);
    return taken;
  }

  /** Every snapshot in the repository, oldest first, with its size from the index details. */
  async list(): Promise<SnapshotSummary[]> {
    await this.requireRepository();
    const answer = await this.client.snapshot.get({ repository: this.settings.repository, snapshot: '_all', index_details: true, sort: 'start_time' });
    return (answer.snapshots ?? []).map(summaryOf);
  }

  async get(snapshot: string): Promise<SnapshotSummary | undefined> {
    const answer = await this.client.snapshot.get({ repository: this.settings.repository, snapshot, index_details: true, ignore_unavailable: true });
    const found = answer.snapshots?.[0];
    return found ? summaryOf(found) : undefined;
  }

  /** Which indices a restore of `snapshot` would replace (those that exist now are deleted first). */
  async restorePlan(snapshot: string, patterns?: string): Promise<{ indices: string[]; existing: string[] }> {
    await this.requireRepository();
    const found = await this.get(snapshot);
    if (!found) throw new BackupSettingsError(`no snapshot "${snapshot}" in repository ${this.settings.repository} (backup list shows them)`);
    if (found.state !== 'SUCCESS' && found.state !== 'PARTIAL')
      throw new BackupSettingsError(`snapshot ${snapshot} is ${found.state}: only a SUCCESS or PARTIAL snapshot can be restored`);
    const indices = indicesToRestore(found.indices, patterns);
    const existing = await this.existing(indices);
    return { indices, existing };
  }

  /**
   * Deletes the plan's existing indices and restores them from the snapshot, then waits until they
   * are at least yellow. Whatever writes to them (alerting) must be stopped first, or it recreates
   * an index between the delete and the restore and the restore fails for that index.
   */
  async restore(snapshot: string, plan: { indices: string[]; existing: string[] }): Promise<RestoreResult> {
    const started = Date.now();
    // Names, never a wildcard: production clusters keep action.destructive_requires_name=true.
    if (plan.existing.length > 0) await this.client.indices.delete({ index: plan.existing.join(',') }, longRequest);
    const answer = await this.client.snapshot
      .restore(
        {
          repository: this.settings.repository,
          snapshot,
          wait_for_completion: true,
          indices: plan.indices.join(','),
          include_global_state: false,
          include_aliases: true,
        },
        longRequest,
      )
      .catch((error: Error) => {
        if (!/open index with same name already exists/.test(error.message)) throw error;
        throw new Error(
          `restore of ${snapshot} refused: an index it restores was created again after the delete (${error.message}); stop alerting, which writes them, and run the restore again`,
        );
      });
    const shards = answer.snapshot?.shards ?? { total: 0, failed: 0, successful: 0 };
    if (shards.failed > 0) throw new Error(`restore of ${snapshot}: ${shards.failed} of ${shards.total} shards failed (GET _recovery shows why)`);
    const health = await this.client.cluster.health({ index: plan.indices.join(','), wait_for_status: 'yellow', timeout: '120s' }, longRequest);
    if (health.timed_out || health.status === 'red')
      throw new Error(`restored indices of ${snapshot} are ${health.status} after 120 s (GET _cluster/allocation/explain shows why)`);
    return { snapshot, indices: plan.indices, deleted: plan.existing, shards, took_ms: Date.now() - started, health: health.status };
  }

  /** For clusters without SLM: deletes the policy's snapshots past the configured retention. */
  async prune(nowMs = Date.now()): Promise<string[]> {
    const ours = (await this.list())
      .filter((s) => s.policy === this.policyId && s.start_time !== undefined && s.state !== 'IN_PROGRESS')
      .map((s) => ({ name: s.snapshot, startMs: Date.parse(s.start_time!) }));
    const past = snapshotsPastRetention(ours, this.settings.retention, nowMs);
    if (past.length > 0) await this.client.snapshot.delete({ repository: this.settings.repository, snapshot: past.join(',') }, longRequest);
    return past;
  }

  private async existing(indices: string[]): Promise<string[]> {
    const found = await this.client.indices.get({
      index: indices.join(','),
      ignore_unavailable: true,
      allow_no_indices: true,
      filter_path: '*.settings.index.uuid',
    });
    return Object.keys(found).sort();
  }

  private async requireRepository(): Promise<void> {
    try {
      await this.client.snapshot.getRepository({ name: this.settings.repository });
    } catch (error) {
      if ((error as { meta?: { statusCode?: number } }).meta?.statusCode === 404) {
        throw new BackupSettingsError(`no snapshot repository "${this.settings.repository}": run \`backup setup\` first (SNAPSHOT_REPOSITORY)`);
      }
      throw error;
    }
  }
}

interface SnapshotInfoShape {
  snapshot: string;
  state?: string;
  indices?: string[];
  index_details?: Record<string, { size_in_bytes: number }>;
  shards?: { total: number; failed: number; successful: number };
  start_time_in_millis?: number;
  end_time_in_millis?: number;
  duration_in_millis?: number;
  metadata?: Record<string, unknown>;
  failures?: Array<{ index?: string; shard_id?: number | string; reason?: string }>;
}

function summaryOf(info: SnapshotInfoShape): SnapshotSummary {
  const iso = (ms?: number) => (ms === undefined || ms <= 0 ? undefined : new Date(ms).toISOString());
  const policy = info.metadata?.policy;
  return {
    snapshot: info.snapshot,
    state: info.state ?? 'UNKNOWN',
    indices: [...(info.indices ?? [])].sort(),
    size_bytes: Object.values(info.index_details ?? {}).reduce((sum, details) => sum + (details.size_in_bytes ?? 0), 0),
    shards: info.shards ?? { total: 0, failed: 0, successful: 0 },
    start_time: iso(info.start_time_in_millis),
    end_time: iso(info.end_time_in_millis),
    duration_ms: info.duration_in_millis,
    policy: typeof policy === 'string' ? policy : undefined,
    failures: (info.failures ?? []).map((f) => `${f.index ?? '?'}[${f.shard_id ?? '?'}]: ${f.reason ?? 'unknown'}`),
  };
}
