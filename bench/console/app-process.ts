import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

/** alerting or the console started from `dist/` for bench:console, on the port its env names; stopped at the end. */
export class ConsoleBenchApp {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stderr!.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000)));
  }

  static async start(app: 'alerting' | 'console', env: Record<string, string>): Promise<ConsoleBenchApp> {
    const port = env[`${app.toUpperCase()}_PORT`]!;
    const child = spawn(process.execPath, ['-r', join(root, 'scripts/register-paths.js'), join(root, `dist/apps/${app}/src/main.js`)], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const started = new ConsoleBenchApp(child, `http://127.0.0.1:${port}`);
    // Generous: the machine is shared, and a slow start is not what this bench measures.
    const deadline = Date.now() + 120_000;
    while ((await fetch(`${started.url}/health/ready`).catch(() => undefined))?.ok !== true) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${app} did not start:\n${started.output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return started;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}
