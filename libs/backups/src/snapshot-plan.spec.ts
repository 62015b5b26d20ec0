import {
  BackupSettingsError,
  backupVerdict,
  indicesToRestore,
  lifecyclePolicyBody,
  manualSnapshotName,
  productIndexPatterns,
  repositoryLocation,
  snapshotsPastRetention,
  type BackupSettings,
} from './snapshot-plan';

const settings: BackupSettings = {
  indexPrefix: 'soc',
  repository: 'soc-backups',
  location: 'soc',
  schedule: '0 30 1 * * ?',
  retention: { expireAfter: '30d', minCount: 7, maxCount: 60 },
};

describe('repositoryLocation', () => {
  it('resolves a relative location under the first path.repo, as Elasticsearch does', () => {
    expect(repositoryLocation('soc', ['/srv/es-snapshots', '/mnt/other'])).toBe('/srv/es-snapshots/soc');
  });

  it('accepts an absolute location under any path.repo entry', () => {
    expect(repositoryLocation('/mnt/other/soc/', ['/srv/es-snapshots', '/mnt/other'])).toBe('/mnt/other/soc/');
  });

  it('refuses a location outside path.repo, naming both', () => {
    expect(() => repositoryLocation('/var/backups/soc', ['/srv/es-snapshots'])).toThrow(
      "SNAPSHOT_REPOSITORY_LOCATION /var/backups/soc (/var/backups/soc) is not inside the node's path.repo (/srv/es-snapshots): use a folder under one of them, or a relative name",
    );
  });

  it('refuses a relative location that climbs out of path.repo, and path.repo itself', () => {
    expect(() => repositoryLocation('../elsewhere', ['/srv/es-snapshots'])).toThrow(BackupSettingsError);
    expect(() => repositoryLocation('/srv/es-snapshots', ['/srv/es-snapshots'])).toThrow('is not inside');
    expect(() => repositoryLocation('/srv/es-snapshots-2/x', ['/srv/es-snapshots'])).toThrow('is not inside');
  });

  it('says how to set path.repo when the node has none', () => {
    expect(() => repositoryLocation('soc', [])).toThrow('Elasticsearch has no path.repo: add `path.repo: [/srv/es-snapshots]`');
  });
});

describe('lifecyclePolicyBody', () => {
  it("snapshots the product's indices without the global state, on the schedule, with the retention", () => {
    expect(lifecyclePolicyBody(settings)).toEqual({
      name: '<soc-nightly-{now/d}>',
      schedule: '0 30 1 * * ?',
      repository: 'soc-backups',
      config: {
        indices: ['soc-events-*', 'soc-alerts', 'soc-audit', 'soc-exceptions', 'soc-statistics-*'],
        ignore_unavailable: true,
        include_global_state: false,
      },
      retention: { expire_after: '30d', min_count: 7, max_count: 60 },
    });
  });

  it('refuses a minimum count above the maximum', () => {
    expect(() => lifecyclePolicyBody({ ...settings, retention: { expireAfter: '30d', minCount: 9, maxCount: 3 } })).toThrow(
      'SNAPSHOT_RETENTION_MIN_COUNT (9) is larger than SNAPSHOT_RETENTION_MAX_COUNT (3)',
    );
  });

  it('refuses an expiry that is not days, hours or minutes', () => {
    expect(() => lifecyclePolicyBody({ ...settings, retention: { ...settings.retention, expireAfter: '1w' } })).toThrow(
      'SNAPSHOT_RETENTION_EXPIRE_AFTER "1w" is not a number of days, hours or minutes such as 30d',
    );
  });
});

describe('productIndexPatterns', () => {
  it('names only indices of its own prefix (another deployment on the cluster is left out)', () => {
    for (const pattern of productIndexPatterns('soc')) expect(pattern.startsWith('soc-')).toBe(true);
  });
});

describe('manualSnapshotName', () => {
  it('is lower case and sorts by time', () => {
    expect(manualSnapshotName('SOC', new Date('2026-12-03T03:15:09.123Z'), 'ab12cd')).toBe('soc-manual-20261203-031509-ab12cd');
  });
});

describe('snapshotsPastRetention', () => {
  const day = 86_400_000;
  const now = Date.parse('2026-12-31T12:00:00Z');
  const daily = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `s${i}`, startMs: now - i * day }));

  it('deletes what is older than expire_after', () => {
    expect(snapshotsPastRetention(daily(10), { expireAfter: '7d', minCount: 2, maxCount: 60 }, now)).toEqual(['s8', 's9']);
  });

  it('keeps min_count even when they all expired', () => {
    const old = daily(5).map((s) => ({ ...s, startMs: s.startMs - 100 * day }));
    expect(snapshotsPastRetention(old, { expireAfter: '30d', minCount: 3, maxCount: 60 }, now)).toEqual(['s3', 's4']);
  });

  it('takes the later name as the newer of two snapshots stamped with the same start time', () => {
    const sameStart = ['soc-manual-20261231-115958-aa', 'soc-manual-20261231-115959-bb', 'soc-manual-20261231-120000-cc'].map((name) => ({
      name,
      startMs: now,
    }));
    expect(snapshotsPastRetention(sameStart, { expireAfter: '30d', minCount: 1, maxCount: 2 }, now)).toEqual(['soc-manual-20261231-115958-aa']);
  });

  it('deletes the oldest beyond max_count even when they have not expired', () => {
    expect(snapshotsPastRetention(daily(6), { expireAfter: '30d', minCount: 1, maxCount: 4 }, now)).toEqual(['s4', 's5']);
  });

  it('deletes nothing within every limit', () => {
    expect(snapshotsPastRetention(daily(3), { expireAfter: '30d', minCount: 1, maxCount: 4 }, now)).toEqual([]);
  });
});

describe('indicesToRestore', () => {
  const indices = ['soc-audit', 'soc-alerts', 'soc-events-2026.12.02', '.security-7'];

  it('takes every product index of the snapshot, never a system index', () => {
    expect(indicesToRestore(indices)).toEqual(['soc-alerts', 'soc-audit', 'soc-events-2026.12.02']);
  });

  it('takes those matching the patterns', () => {
    expect(indicesToRestore(indices, 'soc-events-*, soc-audit')).toEqual(['soc-audit', 'soc-events-2026.12.02']);
  });

  it('refuses patterns that match nothing, listing what the snapshot has', () => {
    expect(() => indicesToRestore(indices, 'soc-exceptions')).toThrow(
      "--indices soc-exceptions matches none of the snapshot's indices (soc-alerts, soc-audit, soc-events-2026.12.02)",
    );
  });
});

describe('backupVerdict', () => {
  const now = Date.parse('2026-12-03T12:00:00Z');
  const at = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString();

  it('is ok when the newest successful snapshot is younger than the limit, whatever failed since', () => {
    const snapshots = [
      { snapshot: 'old', state: 'SUCCESS', start_time: at(30) },
      { snapshot: 'recent', state: 'SUCCESS', start_time: at(10) },
      { snapshot: 'failed', state: 'FAILED', start_time: at(1) },
    ];
    expect(backupVerdict(snapshots, now, 26 * 3_600_000)).toEqual({ ok: true, newest_success: 'recent', newest_success_age_hours: 10 });
  });

  it('names the age when the newest successful snapshot is too old', () => {
    expect(backupVerdict([{ snapshot: 'old', state: 'SUCCESS', start_time: at(30) }], now, 26 * 3_600_000)).toEqual({
      ok: false,
      newest_success: 'old',
      newest_success_age_hours: 30,
      problem: 'the newest successful snapshot is 30 h old (more than 26 h)',
    });
  });

  it('says when there is no successful snapshot at all', () => {
    expect(backupVerdict([{ snapshot: 'p', state: 'PARTIAL', start_time: at(1) }], now, 26 * 3_600_000)).toEqual({
      ok: false,
      problem: 'no successful snapshot in the repository (1 in all)',
    });
  });
});
