import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { waitFor } from '../../support';
import { freePort } from './stack';

/**
 * A real redis-server of the test's own, on its own port, that the test may stop and start
 * again (the shared one on 6379 must stay up for everything else).
 */
export class PrivateRedis {
  private child?: ChildProcess;

  private constructor(readonly port: number) {}

  static async create(): Promise<PrivateRedis> {
    return new PrivateRedis(await freePort());
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'],
      {
        stdio: 'ignore',
      },
    );
    await waitFor(
      () => this.answers(),
      10_000,
      () => `redis-server on ${this.port} did not start`,
    );
  }

  /** Freezes (SIGSTOP) or thaws (SIGCONT) the server: connections stay open and nothing is answered. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
    this.child?.kill(signal);
  }

  async stop(): Promise<void> {
    const child = this.child;
    // A killed process has a signalCode and no exitCode: stopping twice must not wait forever.
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
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
