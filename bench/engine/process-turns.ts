import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The configurations of `bench:engine`'s SigmaHQ part. */
export type ConfigurationName = '30' | 'ours' | 'sigmahq';

/** What one configuration's process measured over a pass. */
export interface ProcessRun {
  events: number;
  failures: number;
  /** The engine's CPU (`process.cpuUsage` around `evaluate` and the commit), parsing not included. */
  engineCpuSeconds: number;
  engineWallSeconds: number;
  parseCpuSeconds: number;
  /** The correlator's decoding of the stream entries (`Run.decode`). */
  decodeCpuSeconds: number;
  detections: number;
  /** CPU of the configuration's redis-server over the pass (0 with the in-memory stores). */
  storeCpuSeconds: number;
}

export type ParentMessage =
  | { type: 'init'; configuration: ConfigurationName; redis: boolean }
  | { type: 'start'; pass: 'warm' | 'measured' }
  | { type: 'turn'; batches: number }
  | { type: 'finish' }
  | { type: 'stop' };

export type ChildMessage =
  { type: 'ready' } | { type: 'started' } | { type: 'turned'; done: boolean } | { type: 'finished'; run: ProcessRun } | { type: 'failed'; error: string };

/** Batches each process takes in its turn: 4, as `streamSideBySide`'s streams do, unless `BENCH_TURN_BATCHES` says otherwise. */
const turnBatches = Number(process.env.BENCH_TURN_BATCHES ?? 4);

/** One configuration's process, spoken to one message and answer at a time. */
class ConfigurationProcess {
  private waiting: ((message: ChildMessage) => void) | undefined;
  private failure: Error | undefined;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'failed') this.failure = new Error(`bench:engine configuration process failed: ${message.error}`);
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.(message);
    });
    child.on('exit', (code) => {
      this.failure ??= new Error(`bench:engine configuration process exited with ${code}`);
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.({ type: 'failed', error: String(code) });
    });
  }

  /** Forked with this process's node flags (semi-space, --expose-gc, the path aliases). */
  static start(): ConfigurationProcess {
    return new ConfigurationProcess(fork(join(__dirname, 'configuration-process.js'), [], { execArgv: process.execArgv, stdio: ['ignore', 2, 2, 'ipc'] }));
  }

  async ask<T extends ChildMessage['type']>(message: ParentMessage, answer: T): Promise<Extract<ChildMessage, { type: T }>> {
    if (this.failure) throw this.failure;
    const reply = await new Promise<ChildMessage>((resolve) => {
      this.waiting = resolve;
      this.child.send(message);
    });
    if (this.failure) throw this.failure;
    if (reply.type !== answer) throw new Error(`bench:engine configuration process answered ${reply.type} to ${message.type}`);
    return reply as Extract<ChildMessage, { type: T }>;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'stop' } satisfies ParentMessage);
    await exited;
  }
}

/** One pass of every process over its lines, `turnBatches` batches each in turn, the order rotating. */
async function passInTurns(processes: readonly ConfigurationProcess[], pass: 'warm' | 'measured'): Promise<ProcessRun[]> {
  await Promise.all(processes.map((p) => p.ask({ type: 'start', pass }, 'started')));
  const done = processes.map(() => false);
  for (let turn = 0; done.some((d) => !d); turn++) {
    for (let k = 0; k < processes.length; k++) {
      const i = (turn + k) % processes.length;
      if (!done[i]) done[i] = (await processes[i].ask({ type: 'turn', batches: turnBatches }, 'turned')).done;
    }
  }
  const runs: ProcessRun[] = [];
  for (const p of processes) runs.push((await p.ask({ type: 'finish' }, 'finished')).run);
  return runs;
}

/**
 * The configurations side by side, each in a process of its own, as the correlator runs one rule
 * set per process: one engine's JIT feedback (the shapes its shared code sees, which functions it
 * inlines) is then its own. Engines sharing one process share every function of the engine, and a
 * change worth 1.2-1.7x to a SigmaHQ engine alone measured ~1.0x among three (docs/PERFORMANCE.md,
 * 4 Dec 2026). The processes still take turns of a few batches, only one running at a time, so the
 * machine's slow and fast seconds fall on every configuration alike. Each warms up on the warm-up
 * seed's corpus first (see `throughputs` in main.ts); the measured pass's runs are returned.
 */
export async function processTurns(configurations: readonly ConfigurationName[], redis: boolean): Promise<ProcessRun[]> {
  const processes: ConfigurationProcess[] = [];
  try {
    // One at a time: each builds its corpora and rule set (the SigmaHQ set takes seconds and ~60 MB).
    for (const configuration of configurations) {
      const started = ConfigurationProcess.start();
      processes.push(started);
      await started.ask({ type: 'init', configuration, redis }, 'ready');
    }
    await passInTurns(processes, 'warm');
    return await passInTurns(processes, 'measured');
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
  }
}
