import type { Redis } from '@soc/redis';
import { backupFileName, isLocalRedis, parseInfo, RedisBackup } from './redis-backup';

describe('isLocalRedis', () => {
  it('is true only for a loopback host, where the dump file is on this disk', () => {
    expect(isLocalRedis('redis://127.0.0.1:6379')).toBe(true);
    expect(isLocalRedis('redis://localhost:6379/2')).toBe(true);
    expect(isLocalRedis('redis://[::1]:6379')).toBe(true);
    expect(isLocalRedis('redis://:secret@redis.internal:6379')).toBe(false);
    expect(isLocalRedis('rediss://10.0.0.5:6380')).toBe(false);
  });
});

describe('parseInfo', () => {
  it('reads the fields of INFO persistence, skipping the section header', () => {
    const info = parseInfo('# Persistence\r\nrdb_bgsave_in_progress:0\r\nrdb_last_bgsave_status:ok\r\nrdb_saves:3\r\n');
    expect(Object.fromEntries(info)).toEqual({ rdb_bgsave_in_progress: '0', rdb_last_bgsave_status: 'ok', rdb_saves: '3' });
  });
});

describe('backupFileName', () => {
  it('is sortable by time and never the name Redis writes', () => {
    expect(backupFileName(new Date('2026-12-03T03:15:09.500Z'))).toBe('redis-20261203T031509Z-dump.rdb');
  });
});

describe('RedisBackup on a Redis Cluster', () => {
  it('refuses before sending anything: the dump of one node is not the cluster', async () => {
    // No client is needed to refuse; a command on it would fail the spec.
    const backup = new RedisBackup({} as Redis, 'redis+cluster://127.0.0.1:7000,127.0.0.1:7001');
    await expect(backup.backupTo('/tmp/never')).rejects.toThrow(
      "backup redis copies one server's dump, and a Redis Cluster has one per master: run it on each master's host with REDIS_URL=redis://<that master> (docs/SCALING.md, Redis Cluster)",
    );
  });
});
