import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { isRedisClusterUrl } from '@soc/config';
import type { Redis } from '@soc/redis';

/** One line of `INFO persistence` as a map. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

/** Only a Redis on this machine has its dump file on this machine's disk. */
export function isLocalRedis(redisUrl: string): boolean {
  const host = new URL(redisUrl).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** `redis-20261203T031500Z-dump.rdb`: sortable, and never the name Redis itself writes. */
export function backupFileName(now: Date): string {
  return `redis-${now.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z-dump.rdb`;
}

export interface RedisBackupResult {
  /** The copy, and `<file>.sha256` beside it (sha256sum format). */
  file: string;
  sha256: string;
  bytes: number;
  saved_at: string;
  save_took_ms: number;
  source: string;
}

/** Raised when the dump was saved but cannot be copied from here; says what to do instead. */
export class RedisBackupNotCopiedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisBackupNotCopiedError';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A point-in-time copy of Redis (docs/OPERATIONS.md "Backups and restore"): BGSAVE, wait until
 * INFO persistence says it finished well, then copy the RDB file with its sha256. The copy is
 * taken from Redis's own `dir`/`dbfilename`, so it works only where the CLI runs on the Redis host.
 */
export class RedisBackup {
  constructor(
    private readonly redis: Redis,
    private readonly redisUrl: string,
  ) {}

  /** Starts a BGSAVE (scheduled after a running AOF rewrite) and waits until it is done and ok. */
  async save(timeoutMs = 600_000): Promise<{ savedAt: Date; tookMs: number }> {
    const started = Date.now();
    const before = Number(parseInfo(await this.redis.info('persistence')).get('rdb_saves') ?? '0');
    // SCHEDULE: while an AOF rewrite runs a plain BGSAVE is refused; this one starts after it.
    await this.redis.call('BGSAVE', 'SCHEDULE');
    for (;;) {
      const info = parseInfo(await this.redis.info('persistence'));
      const saves = Number(info.get('rdb_saves') ?? '0');
      if (info.get('rdb_bgsave_in_progress') === '0' && saves > before) {
        if (info.get('rdb_last_bgsave_status') !== 'ok') {
          throw new Error(`Redis BGSAVE failed (rdb_last_bgsave_status:${info.get('rdb_last_bgsave_status')}): see the Redis log (disk full? fork refused?)`);
        }
        return { savedAt: new Date(Number(info.get('rdb_last_save_time')) * 1000), tookMs: Date.now() - started };
      }
      if (Date.now() - started > timeoutMs) throw new Error(`Redis BGSAVE still running after ${timeoutMs} ms (INFO persistence: rdb_bgsave_in_progress)`);
      await sleep(100);
    }
  }

  /** Where Redis writes its dump (CONFIG GET dir, dbfilename). */
  async dumpPath(): Promise<string> {
    const [, dir] = (await this.redis.config('GET', 'dir')) as string[];
    const [, dbfilename] = (await this.redis.config('GET', 'dbfilename')) as string[];
    if (!dir || !dbfilename) throw new Error('CONFIG GET dir/dbfilename answered nothing (CONFIG renamed or disabled on this Redis?)');
    return isAbsolute(dbfilename) ? dbfilename : join(dir, dbfilename);
  }

  /** BGSAVE, then the copy into `targetDir` with a sha256 file. */
  async backupTo(targetDir: string, now = new Date()): Promise<RedisBackupResult> {
    // A cluster client sends BGSAVE and INFO to any one node: the copy would be one shard's, named as the whole.
    if (isRedisClusterUrl(this.redisUrl)) {
      throw new RedisBackupNotCopiedError(
        "backup redis copies one server's dump, and a Redis Cluster has one per master: run it on each master's host with REDIS_URL=redis://<that master> (docs/SCALING.md, Redis Cluster)",
      );
    }
    const saved = await this.save();
    const source = await this.dumpPath();
    if (!isLocalRedis(this.redisUrl)) {
      throw new RedisBackupNotCopiedError(
        `Redis saved ${source} on its own host (${new URL(this.redisUrl).hostname}), not this machine: copy that file there (scripts/redis-backup.sh on the Redis host does both steps)`,
      );
    }
    const found = await stat(source).catch(() => undefined);
    if (!found) {
      throw new RedisBackupNotCopiedError(
        `Redis saved ${source}, but this machine has no such file (Redis in a container or under another root?): copy it on the Redis host`,
      );
    }
    await mkdir(targetDir, { recursive: true });
    const file = join(targetDir, backupFileName(now));
    // Redis replaces the dump by rename, so the copy reads one complete file even if a save follows.
    await copyFile(source, file);
    await assertRdb(file);
    const sha256 = await sha256Of(file);
    await writeFile(`${file}.sha256`, `${sha256}  ${backupFileName(now)}\n`);
    return { file, sha256, bytes: (await stat(file)).size, saved_at: saved.savedAt.toISOString(), save_took_ms: saved.tookMs, source };
  }
}

/** An RDB file starts with `REDIS` and a four-digit version; anything else is not a dump. */
async function assertRdb(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(9);
    await handle.read(head, 0, 9, 0);
    if (!/^REDIS\d{4}$/.test(head.toString('latin1')))
      throw new Error(`${file} is not an RDB file (it starts with ${JSON.stringify(head.toString('latin1'))})`);
  } finally {
    await handle.close();
  }
}

/** Streamed: a dump of several gigabytes is hashed without holding it in memory. */
export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
