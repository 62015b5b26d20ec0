import { backupFileName, isLocalRedis, parseInfo } from './redis-backup';

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
