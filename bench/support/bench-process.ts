import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

/** A free TCP port on loopback, asked from the kernel (also used by the e2e tests' stack). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** One app started from `dist/` as a production process, for a benchmark to drive (bench:ingest, bench:pipeline). */
export class BenchProcess {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly app: string,
  ) {
    child.stderr!.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000)));
  }

  /** `cpuProfileDir`: write a V8 CPU profile of the process there when it exits. */
  static async start(
    app: 'collector' | 'correlator' | 'alerting',
    env: Record<string, string>,
    extra: Record<string, string> = {},
    options: { cpuProfileDir?: string } = {},
  ): Promise<BenchProcess> {
    const port = await freePort();
    const profile = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
    const child = spawn(
      process.execPath,
      // A larger young generation: both apps allocate short-lived event objects at a high rate, and
      // the default 16 MiB semi-space spent a fifth of the collector's CPU in scavenges (profiled).
      ['--max-semi-space-size=64', ...profile, '-r', join(root, 'scripts/register-paths.js'), join(root, `dist/apps/${app}/src/main.js`)],
      { cwd: root, env: { PATH: process.env.PATH ?? '', ...env, ...extra, [`${app.toUpperCase()}_PORT`]: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const started = new BenchProcess(child, `http://127.0.0.1:${port}`, app);
    const deadline = Date.now() + 60_000;
    while ((await fetch(`${started.url}/health/ready`).catch(() => undefined))?.ok !== true) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${app} did not start:\n${started.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return started;
  }

  /** The process id, to read its CPU time from /proc (bench:pipeline's CPU accounting). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The process has ended (by itself or killed), so it is no longer part of the run. */
  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  get log(): string {
    return this.output;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      // A process killed by a signal has no exit code, only a signal code: it has exited all the same.
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}
