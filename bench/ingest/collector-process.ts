import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A collector started from `dist/` as a production process, for the benchmark to drive. */
export class BenchCollector {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly syslogPort: number,
    private readonly output: () => string,
  ) {}

  static async start(env: Record<string, string>): Promise<BenchCollector> {
    const [port, syslogPort] = [await freePort(), await freePort()];
    const child = spawn(
      process.execPath,
      // A larger young generation: the ingest path allocates short-lived event objects at a high
      // rate, and the default 16 MiB semi-space spends a fifth of the CPU in scavenges (profiled).
      ['--max-semi-space-size=64', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_CPU_PROF] : []), '-r', join(root, 'scripts/register-paths.js'), join(root, 'dist/apps/collector/src/main.js')],
      { cwd: root, env: { PATH: process.env.PATH ?? '', ...env, COLLECTOR_PORT: String(port), SYSLOG_TCP_PORT: String(syslogPort) }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const collector = new BenchCollector(child, `http://127.0.0.1:${port}`, syslogPort, () => output);
    const deadline = Date.now() + 30_000;
    while ((await fetch(`${collector.url}/health/ready`).catch(() => undefined))?.ok !== true) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`collector did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return collector;
  }

  get log(): string {
    return this.output();
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}
