import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { createRedis, type Redis } from '@soc/redis';
import { PersistentRedis } from './support/persistent-redis';
import { freePort, waitFor } from './support/stack';

const root = join(__dirname, '..', '..');
const run = promisify(execFile);

/** Every key with its type and value, in an order-free form (a set's DUMP depends on its encoding). */
async function contents(redis: Redis): Promise<Map<string, unknown>> {
  const found = new Map<string, unknown>();
  for (const key of (await redis.keys('*')).sort()) {
    const type = await redis.type(key);
    const value =
      type === 'string'
        ? await redis.get(key)
        : type === 'hash'
          ? Object.entries(await redis.hgetall(key)).sort()
          : type === 'set'
            ? (await redis.smembers(key)).sort()
            : type === 'stream'
              ? await redis.xrange(key, '-', '+')
              : `unexpected type ${type}`;
    found.set(key, { type, value });
  }
  return found;
}

/**
 * `backup redis` on a Redis of the test's own (the product's redis.conf, append-only), then the
 * restore docs/OPERATIONS.md describes: a new redis-server started on the copied dump with the
 * append-only file off, AOF switched on, and the product's configuration again after a restart.
 */
describe('backup redis: BGSAVE, copy with sha256, a second Redis started from the copy has every key', () => {
  let source: PersistentRedis;
  let redis: Redis;
  let backups: string;
  let restoredDir: string;
  let restored: ChildProcess | undefined;
  let restoredClient: Redis | undefined;

  beforeAll(async () => {
    source = await PersistentRedis.create('everysec');
    await source.start();
    redis = createRedis(source.url, 'worker', 'e2e-redis-backup');
    backups = mkdtempSync(join(tmpdir(), 'e2e-redis-backups-'));
    restoredDir = mkdtempSync(join(tmpdir(), 'e2e-redis-restored-'));
  });

  afterAll(async () => {
    restoredClient?.disconnect();
    if (restored && restored.exitCode === null) await new Promise((resolve) => (restored!.once('exit', resolve), restored!.kill('SIGKILL')));
    redis.disconnect();
    await source.remove();
    rmSync(backups, { recursive: true, force: true });
    rmSync(restoredDir, { recursive: true, force: true });
  });

  const startRestored = async (port: number, args: string[]): Promise<Redis> => {
    restored = spawn('redis-server', [join(root, 'deploy/redis/redis.conf'), '--port', String(port), '--dir', restoredDir, ...args], { stdio: 'ignore' });
    const client = createRedis(`redis://127.0.0.1:${port}`, 'worker', 'e2e-redis-restored');
    await waitFor(
      async () => (await client.ping()) === 'PONG',
      30_000,
      () => `restored redis-server on ${port} did not start`,
    );
    return client;
  };

  it('copies a dump that restores every key, stream, hash and set', async () => {
    const pipeline = redis.pipeline();
    for (let i = 0; i < 2000; i++) pipeline.set(`soc:key:${i}`, `value-${i}`);
    for (let i = 0; i < 200; i++) pipeline.xadd('soc:events', '*', 'b', JSON.stringify({ n: i }));
    pipeline.hset('soc:forwarder-keys', { a: '1', b: '2' });
    pipeline.sadd('soc:set', 'x', 'y', 'z');
    await pipeline.exec();
    const expected = await contents(redis);

    const { stdout } = await run(
      process.execPath,
      ['-r', join(root, 'scripts/register-paths.js'), join(root, 'dist/apps/cli/src/main.js'), 'backup', 'redis', '--to', backups],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', JWT_SECRET: 'e2e-redis-backup-secret-0123456789abcdef', REDIS_URL: source.url },
      },
    );
    const result = JSON.parse(stdout) as { file: string; sha256: string; bytes: number; source: string };
    expect(dirname(result.file)).toBe(backups);
    expect(basename(result.file)).toMatch(/^redis-\d{8}T\d{6}Z-dump\.rdb$/);
    expect(result.source).toBe(join(source.dir, 'dump.rdb'));
    const copy = readFileSync(result.file);
    expect(copy.length).toBe(result.bytes);
    expect(createHash('sha256').update(copy).digest('hex')).toBe(result.sha256);
    expect(readFileSync(`${result.file}.sha256`, 'utf8')).toBe(`${result.sha256}  ${basename(result.file)}\n`);

    // Restore as documented: the dump in place, started without the AOF (with it, Redis would load
    // only an append-only file and start empty), then AOF on, which writes it from the dataset.
    const port = await freePort();
    copyFileSync(result.file, join(restoredDir, 'dump.rdb'));
    restoredClient = await startRestored(port, ['--appendonly', 'no']);
    expect(await contents(restoredClient)).toEqual(expected);
    await restoredClient.config('SET', 'appendonly', 'yes');
    await waitFor(
      async () => {
        const info = await restoredClient!.info('persistence');
        return /aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info) && !/aof_rewrites:0\b/.test(info);
      },
      30_000,
      () => 'the restored Redis did not finish writing its append-only file',
    );
    restoredClient.disconnect();
    await new Promise((resolve) => (restored!.once('exit', resolve), restored!.kill('SIGKILL')));

    // Started again with the product's configuration (appendonly yes): the AOF has everything.
    restoredClient = await startRestored(port, []);
    expect(await contents(restoredClient)).toEqual(expected);
  });
  it('scripts/redis-backup.sh copies the dump with its checksum, and the append-only folder with rewrites paused, which restores every key', async () => {
    await redis.set('soc:after-first-backup', 'yes');
    const expected = await contents(redis);
    const script = (mode: string) =>
      run('bash', [join(root, 'scripts/redis-backup.sh'), mode, backups], { env: { PATH: process.env.PATH ?? '', REDIS_URL: source.url } }).then((r) =>
        r.stdout.trim(),
      );

    const dump = await script('rdb');
    expect(basename(dump)).toMatch(/^redis-\d{8}T\d{6}Z-dump\.rdb$/);
    await run('sha256sum', ['-c', `${basename(dump)}.sha256`], { cwd: backups });

    const percentage = await redis.config('GET', 'auto-aof-rewrite-percentage');
    const aof = await script('aof');
    expect(basename(aof)).toMatch(/^redis-\d{8}T\d{6}Z-appendonlydir$/);
    await run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: aof });
    // The pause is undone.
    expect(await redis.config('GET', 'auto-aof-rewrite-percentage')).toEqual(percentage);

    // Restore the append-only folder as documented: in place as dir/appendonlydir, started with the product's configuration.
    restoredClient?.disconnect();
    if (restored && restored.exitCode === null) await new Promise((resolve) => (restored!.once('exit', resolve), restored!.kill('SIGKILL')));
    rmSync(restoredDir, { recursive: true, force: true });
    cpSync(aof, join(restoredDir, 'appendonlydir'), { recursive: true });
    restoredClient = await startRestored(await freePort(), []);
    expect(await contents(restoredClient)).toEqual(expected);
  });
  it('saves but refuses to copy when REDIS_URL does not name this machine, saying where the file is', async () => {
    // 0.0.0.0 reaches the local Redis on Linux, but the CLI cannot know that the host is this one.
    const url = source.url.replace('127.0.0.1', '0.0.0.0');
    const saves = async () => Number(/rdb_saves:(\d+)/.exec(await redis.info('persistence'))![1]);
    const before = await saves();
    await expect(
      run(process.execPath, ['-r', join(root, 'scripts/register-paths.js'), join(root, 'dist/apps/cli/src/main.js'), 'backup', 'redis', '--to', backups], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', JWT_SECRET: 'e2e-redis-backup-secret-0123456789abcdef', REDIS_URL: url },
      }),
    ).rejects.toMatchObject({
      stderr: `Redis saved ${join(source.dir, 'dump.rdb')} on its own host (0.0.0.0), not this machine: copy that file there (scripts/redis-backup.sh on the Redis host does both steps)\n`,
    });
    expect(await saves()).toBe(before + 1);
  });
});
