export {
  BackupSettingsError,
  backupVerdict,
  type BackupVerdict,
  backupSettingsOf,
  durationMs,
  fsRepositoryBody,
  indicesToRestore,
  lifecyclePolicyBody,
  lifecyclePolicyId,
  manualSnapshotName,
  productIndexPatterns,
  repositoryLocation,
  snapshotContents,
  snapshotsPastRetention,
  type BackupSettings,
  type SnapshotRetention,
} from './snapshot-plan';
export { SnapshotAdministration, type RestoreResult, type SetupResult, type SnapshotSummary } from './snapshot-administration';
export { backupFileName, isLocalRedis, parseInfo, RedisBackup, RedisBackupNotCopiedError, sha256Of, type RedisBackupResult } from './redis-backup';
