import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../support';
import { freePort } from './stack';

const root = join(__dirname, '..', '..', '..');

/**
 * A redis-server of the test's own that keeps its data: the product's deploy/redis/redis.conf
 * (append-only file) with the given fsync policy, on a free port and a temporary data folder.
 * `kill()` SIGKILLs it; `start()` again restarts it on the same port and folder, so it loads
 * what the append-only file kept. `remove()` kills it and deletes the folder.
 */
export class PersistentRedis {
  private child?: ChildProcess;
  private output = '';

  private constructor(
    readonly port: number,
    readonly dir: string,
    readonly appendfsync: 'always' | 'everysec',
  ) {}

  static async create(appendfsync: 'always' | 'everysec' = 'always'): Promise<PersistentRedis> {
    return new PersistentRedis(await freePort(), mkdtempSync(join(tmpdir(), 'e2e-redis-aof-')), appendfsync);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** redis-server's own log lines (loading the AOF, its size, errors), for failure messages. */
  get log(): string {
    return this.output;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      [join(root, 'deploy/redis/redis.conf'), '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendfsync', this.appendfsync],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000)));
    child.stderr!.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000)));
    this.child = child;
    // Answers PONG only once the append-only file is loaded (LOADING errors before).
    await waitFor(
      () => this.answers(),
      30_000,
      () => `redis-server on ${this.port} did not start:\n${this.output}`,
    );
  }

  /** SIGKILL: no shutdown, no final fsync; resolves once the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
  }

  async remove(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port: this.port }, () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
    });
  }
}
