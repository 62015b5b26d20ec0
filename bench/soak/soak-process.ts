import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../support/bench-process';

const root = join(__dirname, '..', '..', '..');

export type SoakApp = 'collector' | 'correlator' | 'alerting';

/**
 * One app of the soak as a production process from `dist/`, started the way the apps run in a
 * deployment (no benchmark-only V8 flags: the soak is about the memory the product really keeps).
 * Knows its pid, for the resident set from /proc, and its /metrics, for heap and event-loop delay.
 */
export class SoakProcess {
  private output = '';
  private constructor(
    readonly app: SoakApp,
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stderr!.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000)));
  }

  static async start(app: SoakApp, env: Record<string, string>): Promise<SoakProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ['-r', join(root, 'scripts/register-paths.js'), join(root, `dist/apps/${app}/src/main.js`)], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env, [`${app.toUpperCase()}_PORT`]: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const started = new SoakProcess(app, child, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + 90_000;
    while ((await fetch(`${started.url}/health/ready`).catch(() => undefined))?.ok !== true) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${app} did not become ready:\n${started.output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return started;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  get log(): string {
    return this.output;
  }

  /** Resident set in bytes (VmRSS of /proc/<pid>/status). */
  async rssBytes(): Promise<number | null> {
    const status = await readFile(`/proc/${this.child.pid}/status`, 'utf8').catch(() => '');
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  }

  /** Heap used and the event-loop delay p99 since the previous scrape, from the app's prom-client default metrics. */
  async runtimeMetrics(): Promise<{ heapUsedBytes: number | null; eventLoopP99Ms: number | null }> {
    const text = await (await fetch(`${this.url}/metrics`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined))?.text().catch(() => '');
    const value = (name: string) => {
      const found = new RegExp(`^soc_${this.app}_${name} ([0-9.eE+-]+)`, 'm').exec(text ?? '')?.[1];
      return found === undefined ? null : Number(found);
    };
    const lag = value('nodejs_eventloop_lag_p99_seconds');
    return { heapUsedBytes: value('nodejs_heap_size_used_bytes'), eventLoopP99Ms: lag === null ? null : lag * 1000 };
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.exited) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}
