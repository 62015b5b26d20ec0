import type { TcpDoor } from './chaos-door';
import type { ChaosApp, ChaosFault, ChaosPlan } from './chaos-schedule';
import type { PersistentRedis } from './persistent-redis';
import { AppProcess, freePort, waitFor } from './stack';

/** Kept of each replica's output across its restarts, for failure messages. */
const logTailChars = 30_000;

interface Replica {
  name: string;
  env: Record<string, string>;
  process: AppProcess;
  /** Output of the instances the adversary killed. */
  earlier: string;
}

/**
 * The processes of the chaos deployment: several replicas of each app, each on its own port,
 * that the adversary SIGKILLs and starts again. A restarted replica gets the same port (a
 * forwarder or load balancer finds it where it was) and a new consumer name (the default, host and
 * pid), so what it held pending is claimed by the others or by itself after the claim idle time.
 */
export class ChaosCast {
  private constructor(private readonly replicas: Map<ChaosApp, Replica[]>) {}

  /** `extraPorts` names further port settings each replica gets a free port of its own for (e.g. `SYSLOG_RELP_PORT`). */
  static async create(env: Record<string, string>, counts: Record<ChaosApp, number>, extraPorts: Partial<Record<ChaosApp, string[]>> = {}): Promise<ChaosCast> {
    const replicas = new Map<ChaosApp, Replica[]>();
    for (const app of Object.keys(counts) as ChaosApp[]) {
      const list: Replica[] = [];
      for (let n = 0; n < counts[app]; n += 1) {
        const own = { ...env, [`${app.toUpperCase()}_PORT`]: String(await freePort()) };
        for (const name of extraPorts[app] ?? []) own[name] = String(await freePort());
        list.push({ name: `${app}-${n}`, env: own, process: new AppProcess(app, own), earlier: '' });
      }
      replicas.set(app, list);
    }
    return new ChaosCast(replicas);
  }

  private get all(): Replica[] {
    return [...this.replicas.values()].flat();
  }

  start(): void {
    for (const replica of this.all) replica.process.start();
  }

  /** Waits until every replica answers `/health/ready` with 200; on timeout names each one's last answer. */
  async waitReady(timeoutMs: number): Promise<void> {
    const answers = new Map<string, string>();
    await waitFor(
      async () => {
        const ready = await Promise.all(
          this.all.map(async (replica) => {
            // A timeout rejects with a DOMException, which is not an Error here: keep its name.
            const reply = await fetch(`${replica.process.url}/health/ready`, { signal: AbortSignal.timeout(5_000) }).catch(
              (error: { name?: string; message?: string }) => new Error(`${error.name ?? 'error'}: ${error.message ?? String(error)}`),
            );
            const answer = reply instanceof Error ? `no answer: ${reply.message}` : `${reply.status} ${await reply.text().catch(() => '')}`;
            answers.set(replica.name, answer);
            return !(reply instanceof Error) && reply.ok;
          }),
        );
        return ready.every(Boolean);
      },
      timeoutMs,
      () =>
        `not every replica ready:\n${[...answers].map(([name, answer]) => `  ${name}: ${answer}`).join('\n')}\n${this.all
          .filter((replica) => !answers.get(replica.name)?.startsWith('200'))
          .map((replica) => this.logs(replica.name))
          .join('\n')}`,
    );
  }

  /** The base URLs of an app's replicas, whether running or not (a client tries the next on failure). */
  urls(app: ChaosApp): string[] {
    return (this.replicas.get(app) ?? []).map((replica) => replica.process.url);
  }

  /** One setting of each of an app's replicas, e.g. their `SYSLOG_RELP_PORT`s. */
  settings(app: ChaosApp, name: string): string[] {
    return (this.replicas.get(app) ?? []).map((replica) => replica.env[name]);
  }

  async kill(app: ChaosApp, n: number): Promise<void> {
    const replica = this.replica(app, n);
    await replica.process.kill('SIGKILL');
    replica.earlier = `${replica.earlier}${replica.process.log}\n--- ${replica.name} SIGKILLed ---\n`.slice(-logTailChars);
  }

  restart(app: ChaosApp, n: number): void {
    const replica = this.replica(app, n);
    replica.process = new AppProcess(app, replica.env).start();
  }

  /** Every replica's output (its killed instances' too), last part only; of one app (`alerting`) or one replica (`alerting-1`). */
  logs(name?: string): string {
    return this.all
      .filter((replica) => name === undefined || replica.name === name || replica.name.startsWith(`${name}-`))
      .map((replica) => `=== ${replica.name} ===\n${(replica.earlier + replica.process.log).slice(-logTailChars)}`)
      .join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all(this.all.map((replica) => replica.process.kill()));
  }

  private replica(app: ChaosApp, n: number): Replica {
    const replica = this.replicas.get(app)?.[n];
    if (!replica) throw new Error(`no ${app} replica ${n}`);
    return replica;
  }
}

/** When each fault really began and ended (ms since the epoch), for judging what it may explain. */
export interface FaultRecord {
  fault: ChaosFault;
  began: number;
  ended: number;
}

/**
 * Carries out the plan from `startedAt`: each fault at its time (faults may overlap), each
 * undone after its `downMs`. The waits are the script's timing, not waits for a result.
 */
export async function runAdversary(
  plan: ChaosPlan,
  targets: { cast: ChaosCast; redis: PersistentRedis; elasticsearch: TcpDoor },
  startedAt: number,
  report: (line: string) => void,
): Promise<FaultRecord[]> {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  const stamp = () => `t=${((Date.now() - startedAt) / 1000).toFixed(1)}s`;
  return Promise.all(
    plan.faults.map(async (fault): Promise<FaultRecord> => {
      await pause(startedAt + fault.at - Date.now());
      const began = Date.now();
      if (fault.kind === 'kill-process') {
        await targets.cast.kill(fault.app, fault.replica);
        report(`${stamp()} SIGKILLed ${fault.app}-${fault.replica}`);
        await pause(fault.downMs);
        targets.cast.restart(fault.app, fault.replica);
        report(`${stamp()} restarted ${fault.app}-${fault.replica}`);
      } else if (fault.kind === 'restart-redis') {
        await targets.redis.kill();
        report(`${stamp()} SIGKILLed redis`);
        await pause(fault.downMs);
        await targets.redis.start();
        report(`${stamp()} redis answers again`);
      } else {
        await targets.elasticsearch.close();
        report(`${stamp()} cut elasticsearch`);
        await pause(fault.downMs);
        await targets.elasticsearch.open();
        report(`${stamp()} elasticsearch reachable again`);
      }
      return { fault, began, ended: Date.now() };
    }),
  );
}
