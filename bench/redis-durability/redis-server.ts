import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/bench-process';

const root = join(__dirname, '..', '..', '..');

/** How a benchmark Redis keeps its data: nothing on disk, or the product's AOF with an fsync policy. */
export type Durability = 'none' | 'everysec' | 'always';

/**
 * A redis-server of the benchmark's own, on a free port with a data folder of its own: `none`
 * keeps nothing on disk (as the shared development Redis), the others run the product's
 * deploy/redis/redis.conf with `appendfsync` set.
 */
export class BenchRedis {
  private constructor(
    readonly durability: Durability,
    readonly port: number,
    readonly dir: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(durability: Durability, parent = tmpdir()): Promise<BenchRedis> {
    const port = await freePort();
    const dir = mkdtempSync(join(parent, `bench-redis-${durability}-`));
    const persistence = durability === 'none' ? ['--appendonly', 'no', '--save', '', '--maxmemory-policy', 'noeviction'] : ['--appendfsync', durability];
    const child = spawn('redis-server', [join(root, 'deploy/redis/redis.conf'), '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...persistence], {
      stdio: 'ignore',
    });
    const redis = new BenchRedis(durability, port, dir, child);
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`redis-server (${durability}) exited with ${child.exitCode}`);
      if (await answers(port)) return redis;
      if (Date.now() > deadline) throw new Error(`redis-server (${durability}) on ${port} did not answer`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Bytes in the append-only folder (0 without persistence). */
  aofBytes(): number {
    const folder = join(this.dir, 'appendonlydir');
    try {
      return readdirSync(folder).reduce((sum, name) => sum + statSync(join(folder, name)).size, 0);
    } catch {
      return 0;
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      await new Promise((resolve) => {
        this.child.once('exit', resolve);
        this.child.kill('SIGKILL');
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}
