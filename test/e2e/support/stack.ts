import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../../bench/support/bench-process';
import { elasticsearchUrl, redisUrl, uniqueId, waitFor } from '../../support';

const root = join(__dirname, '..', '..', '..');

export type AppName = 'collector' | 'correlator' | 'alerting';
/** Every app `AppProcess` can run: the three APIs and the console in front of them. */
export type ProcessName = AppName | 'console';

// One free-port helper for the e2e tests and the benchmarks; it lives with the benchmarks because
// the build compiles bench/ and leaves test/ out.
export { freePort };
// The generic polling helper lives in test/support (shared with the integration specs); the e2e
// specs keep importing it from here with the process helpers.
export { waitFor };

/** An isolated deployment: its own ports, stream, queue, key and index names. */
export async function isolatedEnv(overrides: Record<string, string> = {}): Promise<Record<string, string>> {
  const id = uniqueId();
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    REDIS_URL: redisUrl,
    ELASTICSEARCH_URL: elasticsearchUrl,
    COLLECTOR_PORT: String(await freePort()),
    CORRELATOR_PORT: String(await freePort()),
    ALERTING_PORT: String(await freePort()),
    EVENTS_STREAM: `e2e:${id}:events`,
    DETECTIONS_QUEUE: `e2e-${id}-detections`,
    KEY_PREFIX: `e2e:${id}`,
    INDEX_PREFIX: `e2e-${id}`,
    JWT_SECRET: `e2e-secret-${id}-0123456789abcdef0123`,
    RULES_DIR: join(root, 'rules'),
    ...overrides,
  };
}

/** One app running as a real process from the compiled `dist/` tree (`npm run build` first). */
export class AppProcess {
  private child?: ChildProcess;
  private output = '';
  exited?: Promise<number | null>;

  constructor(
    readonly app: ProcessName,
    private readonly env: Record<string, string>,
  ) {}

  get port(): number {
    return Number(this.env[`${this.app.toUpperCase()}_PORT`]);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get log(): string {
    return this.output;
  }

  start(extraEnv: Record<string, string> = {}): this {
    const child = spawn(process.execPath, ['-r', join(root, 'scripts/register-paths.js'), join(root, `dist/apps/${this.app}/src/main.js`)], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...this.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    this.child = child;
    return this;
  }

  /** Waits until `/health/live` answers (the process is up; dependencies may still be down). */
  async waitLive(timeoutMs = 60_000): Promise<void> {
    await this.waitHealth('live', timeoutMs);
  }

  async waitReady(timeoutMs = 60_000): Promise<void> {
    await this.waitHealth('ready', timeoutMs);
  }

  private async waitHealth(probe: 'live' | 'ready', timeoutMs: number): Promise<void> {
    await waitFor(
      async () => {
        if (this.child?.exitCode !== null) throw new Error(`${this.app} exited with ${this.child?.exitCode}:\n${this.output}`);
        return (await fetch(`${this.url}/health/${probe}`).catch(() => undefined))?.ok === true;
      },
      timeoutMs,
      () => `${this.app} not ${probe}:\n${this.output}`,
    );
  }

  /**
   * Stops the process and waits for it to exit. A SIGTERM not obeyed within a minute (the apps' own
   * shutdown deadline, SHUTDOWN_TIMEOUT_MS, is 25 s) is followed by SIGKILL, noted in the log, so a
   * test's clean-up never waits forever.
   */
  kill(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<number | null> {
    const child = this.child;
    child?.kill(signal);
    // A process a test froze (SIGSTOP) only acts on SIGTERM once thawed: without this, a test that
    // failed before its own kill left the frozen app behind and jest waiting for it forever.
    if (signal === 'SIGTERM') child?.kill('SIGCONT');
    if (!child || !this.exited) return Promise.resolve(null);
    if (signal === 'SIGTERM' && child.exitCode === null && child.signalCode === null) {
      const hard = setTimeout(() => {
        this.output += `\n[e2e] ${this.app} did not exit within 60 s of SIGTERM: SIGKILL\n`;
        child.kill('SIGKILL');
      }, 60_000);
      void this.exited.then(() => clearTimeout(hard));
    }
    return this.exited;
  }

  /** Sends a signal that does not end the process (SIGSTOP freezes it, SIGCONT thaws it). */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
    this.child?.kill(signal);
  }
}
