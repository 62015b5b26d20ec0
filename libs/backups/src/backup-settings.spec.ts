import { ConfigError, parseConfig } from '@soc/config';
import { backupSettingsOf } from './snapshot-plan';

const problems = (env: Record<string, string>): string[] => {
  try {
    parseConfig(env);
  } catch (error) {
    return (error as ConfigError).problems;
  }
  return [];
};

describe('backupSettingsOf', () => {
  it('names the repository and its folder after the index prefix, nightly at 01:30 UTC, 30 days, 7 to 60 snapshots', () => {
    expect(backupSettingsOf(parseConfig({ INDEX_PREFIX: 'soc' }))).toEqual({
      indexPrefix: 'soc',
      repository: 'soc-backups',
      location: 'soc',
      schedule: '0 30 1 * * ?',
      retention: { expireAfter: '30d', minCount: 7, maxCount: 60 },
    });
  });

  it('takes every SNAPSHOT_* setting', () => {
    const env = {
      INDEX_PREFIX: 'soc',
      SNAPSHOT_REPOSITORY: 'nightly.backups',
      SNAPSHOT_REPOSITORY_LOCATION: '/srv/es-snapshots/soc',
      SNAPSHOT_SCHEDULE: '0 0 */6 * * ?',
      SNAPSHOT_RETENTION_EXPIRE_AFTER: '72h',
      SNAPSHOT_RETENTION_MIN_COUNT: '3',
      SNAPSHOT_RETENTION_MAX_COUNT: '12',
    };
    expect(backupSettingsOf(parseConfig(env))).toEqual({
      indexPrefix: 'soc',
      repository: 'nightly.backups',
      location: '/srv/es-snapshots/soc',
      schedule: '0 0 */6 * * ?',
      retention: { expireAfter: '72h', minCount: 3, maxCount: 12 },
    });
  });

  it('names each bad setting', () => {
    expect(problems({ SNAPSHOT_REPOSITORY: 'Nightly Backups', SNAPSHOT_RETENTION_EXPIRE_AFTER: '1w', SNAPSHOT_RETENTION_MIN_COUNT: '0' })).toEqual([
      'SNAPSHOT_REPOSITORY: must be lower-case letters, digits, ".", "_" or "-"',
      'SNAPSHOT_RETENTION_EXPIRE_AFTER: must be a number of days, hours or minutes such as 30d',
      'SNAPSHOT_RETENTION_MIN_COUNT: Too small: expected number to be >0',
    ]);
  });
});
