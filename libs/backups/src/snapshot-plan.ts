import { isAbsolute, posix } from 'node:path';

/** The backup settings of one deployment (libs/config `backups`, with the index prefix). */
export interface BackupSettings {
  indexPrefix: string;
  repository: string;
  /** Absolute, or relative to the node's first `path.repo` (as Elasticsearch resolves it). */
  location: string;
  /** Elasticsearch cron (seconds first, UTC), e.g. `0 30 1 * * ?` for 01:30 every night. */
  schedule: string;
  retention: SnapshotRetention;
}

/** SLM's retention: delete what is older than `expireAfter`, keep at least `minCount`, at most `maxCount`. */
export interface SnapshotRetention {
  expireAfter: string;
  minCount: number;
  maxCount: number;
}

/** A configuration the cluster would refuse, or would accept and then surprise the operator with. */
export class BackupSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupSettingsError';
  }
}

/**
 * Every index the product writes under its prefix (libs/storage): daily events, alerts, the audit
 * trail, exceptions, and the statistics roll-ups with their state. Incidents, SLA timers and
 * webhooks are BullMQ jobs in Redis (the Redis backup), not indices.
 */
export function productIndexPatterns(indexPrefix: string): string[] {
  return [`${indexPrefix}-events-*`, `${indexPrefix}-alerts`, `${indexPrefix}-audit`, `${indexPrefix}-exceptions`, `${indexPrefix}-statistics-*`];
}

/** The SLM policy id of a deployment: one per index prefix, so deployments sharing a cluster do not collide. */
export function lifecyclePolicyId(indexPrefix: string): string {
  return `${indexPrefix}-nightly`;
}

/**
 * Where the repository lives on the node, checked against the node's `path.repo` (Elasticsearch
 * refuses an `fs` location outside it with a less helpful "location doesn't match any of the
 * locations specified by path.repo").
 */
export function repositoryLocation(location: string, pathRepo: readonly string[]): string {
  if (pathRepo.length === 0) {
    throw new BackupSettingsError(
      'Elasticsearch has no path.repo: add `path.repo: [/srv/es-snapshots]` (a folder every node mounts) to elasticsearch.yml and restart it; SNAPSHOT_REPOSITORY_LOCATION must lie under it',
    );
  }
  const resolved = isAbsolute(location) ? posix.normalize(location) : posix.join(pathRepo[0], location);
  const under = pathRepo.some((root) => {
    const relative = posix.relative(posix.normalize(root), resolved);
    return relative !== '' && !relative.startsWith('..') && !isAbsolute(relative);
  });
  if (!under) {
    throw new BackupSettingsError(
      `SNAPSHOT_REPOSITORY_LOCATION ${location} (${resolved}) is not inside the node's path.repo (${pathRepo.join(', ')}): use a folder under one of them, or a relative name`,
    );
  }
  return resolved;
}

/** The body of `PUT _snapshot/<repository>`: a shared-filesystem repository, compressed metadata. */
export function fsRepositoryBody(location: string): { type: 'fs'; settings: { location: string; compress: boolean } } {
  return { type: 'fs', settings: { location, compress: true } };
}

/** What every snapshot of the product holds: its indices only, never the cluster's global state. */
export function snapshotContents(indexPrefix: string): { indices: string[]; ignore_unavailable: true; include_global_state: false } {
  return { indices: productIndexPatterns(indexPrefix), ignore_unavailable: true, include_global_state: false };
}

/**
 * The body of `PUT _slm/policy/<id>`. Elasticsearch names each snapshot `<prefix>-nightly-<day>-<uuid>`
 * and deletes by `retention` (its retention task, 01:30 UTC by default).
 */
export function lifecyclePolicyBody(settings: BackupSettings) {
  validateRetention(settings.retention);
  return {
    name: `<${settings.indexPrefix}-nightly-{now/d}>`,
    schedule: settings.schedule,
    repository: settings.repository,
    config: snapshotContents(settings.indexPrefix),
    retention: { expire_after: settings.retention.expireAfter, min_count: settings.retention.minCount, max_count: settings.retention.maxCount },
  };
}

export function validateRetention(retention: SnapshotRetention): void {
  if (retention.minCount > retention.maxCount) {
    throw new BackupSettingsError(`SNAPSHOT_RETENTION_MIN_COUNT (${retention.minCount}) is larger than SNAPSHOT_RETENTION_MAX_COUNT (${retention.maxCount})`);
  }
  durationMs(retention.expireAfter);
}

/** `30d`, `12h`, `90m` in milliseconds (the subset of Elasticsearch time units the settings accept). */
export function durationMs(value: string): number {
  const match = /^(\d+)([dhm])$/.exec(value);
  if (!match) throw new BackupSettingsError(`SNAPSHOT_RETENTION_EXPIRE_AFTER "${value}" is not a number of days, hours or minutes such as 30d`);
  return Number(match[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[match[2] as 'd' | 'h' | 'm'];
}

/** A snapshot the CLI takes now: lower case (Elasticsearch requires it), sortable, unique to the second. */
export function manualSnapshotName(indexPrefix: string, now: Date, suffix: string): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `${indexPrefix}-manual-${stamp}-${suffix}`.toLowerCase();
}

/** A snapshot as retention sees it. */
export interface RetainedSnapshot {
  name: string;
  startMs: number;
}

/**
 * The snapshots SLM's retention would delete, for clusters without SLM (`backup prune`): newest
 * first, the `minCount` newest are always kept; of the others, those older than `expireAfter` go,
 * then the oldest until at most `maxCount` are left.
 */
export function snapshotsPastRetention(snapshots: readonly RetainedSnapshot[], retention: SnapshotRetention, nowMs: number): string[] {
  validateRetention(retention);
  // Two snapshots taken within a moment can carry the same start time (Elasticsearch stamps them
  // from a cached clock); then the name decides, newest first: every name carries its time.
  const newestFirst = [...snapshots].sort((a, b) => b.startMs - a.startMs || b.name.localeCompare(a.name));
  const expireBefore = nowMs - durationMs(retention.expireAfter);
  const kept: RetainedSnapshot[] = [];
  const deleted: string[] = [];
  newestFirst.forEach((snapshot, position) => {
    if (position < retention.minCount) kept.push(snapshot);
    else if (snapshot.startMs < expireBefore || kept.length >= retention.maxCount) deleted.push(snapshot.name);
    else kept.push(snapshot);
  });
  return deleted;
}

/** Which of a snapshot's indices a restore takes: all, or those matching comma-separated globs (`*` only). */
export function indicesToRestore(snapshotIndices: readonly string[], patterns?: string): string[] {
  const chosen = [...snapshotIndices].filter((index) => !index.startsWith('.')).sort();
  if (!patterns) return chosen;
  const globs = patterns
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`));
  const matched = chosen.filter((index) => globs.some((glob) => glob.test(index)));
  if (matched.length === 0) {
    throw new BackupSettingsError(`--indices ${patterns} matches none of the snapshot's indices (${chosen.join(', ') || 'none'})`);
  }
  return matched;
}

/** The settings from the configuration (libs/config `backups` and the index prefix). */
export function backupSettingsOf(config: {
  elasticsearch: { indexPrefix: string };
  backups: { repository: string; location: string; schedule: string; retention: SnapshotRetention };
}): BackupSettings {
  return { indexPrefix: config.elasticsearch.indexPrefix, ...config.backups };
}

/** What monitoring needs to know: is there a recent complete snapshot? */
export interface BackupVerdict {
  ok: boolean;
  newest_success?: string;
  newest_success_age_hours?: number;
  problem?: string;
}

/** Healthy when the newest `SUCCESS` snapshot started less than `maxAgeMs` ago (`backup check`). */
export function backupVerdict(
  snapshots: ReadonlyArray<{ snapshot: string; state: string; start_time?: string }>,
  nowMs: number,
  maxAgeMs: number,
): BackupVerdict {
  const successes = snapshots
    .filter((s) => s.state === 'SUCCESS' && s.start_time !== undefined)
    .sort((a, b) => Date.parse(b.start_time!) - Date.parse(a.start_time!));
  const newest = successes[0];
  if (!newest) return { ok: false, problem: `no successful snapshot in the repository (${snapshots.length} in all)` };
  const ageMs = nowMs - Date.parse(newest.start_time!);
  const verdict = { newest_success: newest.snapshot, newest_success_age_hours: Math.round((ageMs / 3_600_000) * 10) / 10 };
  if (ageMs > maxAgeMs) {
    return {
      ok: false,
      ...verdict,
      problem: `the newest successful snapshot is ${verdict.newest_success_age_hours} h old (more than ${maxAgeMs / 3_600_000} h)`,
    };
  }
  return { ok: true, ...verdict };
}
