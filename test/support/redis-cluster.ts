import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './wait-for';

const run = promisify(execFile);

/** One redis-server of the cluster: its port (the cluster bus is port + 10000) and process. */
interface ClusterNodeProcess {
  port: number;
  child: ChildProcess;
}

/** A node as `CLUSTER NODES` lists it. */
export interface ClusterNodeInfo {
  id: string;
  port: number;
  role: 'master' | 'replica';
  /** The master's id for a replica. */
  masterId?: string;
  failed: boolean;
  /** Slot ranges a master serves, inclusive. */
  slots: Array<[number, number]>;
}

/**
 * A Redis Cluster of the test's own: six `redis-server` processes in cluster mode (three masters,
 * three replicas) on free ports, in a temporary folder, joined with `redis-cli --cluster create`.
 * The shared Redis on 6379 is never touched. `cluster-node-timeout` is 5 s, so a killed master is
 * replaced by its replica in seconds; not shorter, because on a loaded 2-core machine a node can
 * stall for two seconds, and a failover nobody asked for may promote a replica that had not yet
 * received the latest writes (replication is asynchronous). A replica may always take over
 * (`cluster-replica-validity-factor 0`): the test decides when a master dies, not the data's age.
 */
export class LocalRedisCluster {
  private constructor(
    private readonly dir: string,
    private readonly nodes: ClusterNodeProcess[],
    private readonly nodeTimeoutMs: number,
  ) {}

  /** Starts the six servers, creates the cluster and waits until every node reports cluster_state:ok and every replica is in sync. */
  static async start(options: { nodeTimeoutMs?: number } = {}): Promise<LocalRedisCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'soc-redis-cluster-'));
    const ports = await freeClusterPorts(6);
    const nodeTimeoutMs = options.nodeTimeoutMs ?? 5_000;
    const nodes = ports.map((port) => ({ port, child: startNode(dir, port, nodeTimeoutMs) }));
    const cluster = new LocalRedisCluster(dir, nodes, nodeTimeoutMs);
    try {
      for (const port of ports)
        await waitFor(
          () => answersPing(port),
          20_000,
          () => `redis-server on ${port} did not start`,
        );
      await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes'], {
        timeout: 60_000,
      });
      await cluster.waitHealthy(60_000);
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** The REDIS_URL of the apps: every node as a seed. */
  get url(): string {
    return `redis+cluster://${this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`;
  }

  /** The ports of the nodes still running. */
  get livePorts(): number[] {
    return this.nodes.filter((n) => running(n.child)).map((n) => n.port);
  }

  /** The cluster as a live node sees it. */
  async layout(): Promise<ClusterNodeInfo[]> {
    const lines = (await cli(this.livePorts[0]!, 'CLUSTER', 'NODES')).trim().split('\n');
    return lines.map(parseNodeLine);
  }

  /** The port of the master serving `key`'s slot now. */
  async masterPortOf(key: string): Promise<number> {
    const slot = Number((await cli(this.livePorts[0]!, 'CLUSTER', 'KEYSLOT', key)).trim());
    const master = (await this.layout()).find((n) => n.role === 'master' && !n.failed && n.slots.some(([from, to]) => slot >= from && slot <= to));
    if (!master) throw new Error(`no live master serves slot ${slot} of ${key}`);
    return master.port;
  }

  /** The keys matching `pattern` on each live master (SCAN per node: KEYS through a cluster client asks one node only). */
  async keysByMaster(pattern: string): Promise<Map<number, string[]>> {
    const held = new Map<number, string[]>();
    for (const master of (await this.layout()).filter((n) => n.role === 'master' && !n.failed)) {
      const { stdout } = await run('redis-cli', ['-p', String(master.port), '--scan', '--pattern', pattern], { timeout: 30_000, maxBuffer: 64 * 1024 * 1024 });
      held.set(master.port, stdout.split('\n').filter(Boolean));
    }
    return held;
  }

  /** Kills one node with SIGKILL (no shutdown, no last write to disk) and waits until it is gone. */
  async kill(port: number): Promise<void> {
    const node = this.nodes.find((n) => n.port === port);
    if (!node) throw new Error(`no node on port ${port}`);
    await stopChild(node.child);
  }

  /**
   * Starts a killed node again on its port with its cluster configuration file, as a restarted pod
   * or service would (its data is gone: no persistence). A master replaced meanwhile rejoins as a
   * replica of the node that took over and resynchronises from it; `waitHealthy` waits for that.
   */
  async restart(port: number): Promise<void> {
    const node = this.nodes.find((n) => n.port === port);
    if (!node) throw new Error(`no node on port ${port}`);
    if (running(node.child)) throw new Error(`the node on port ${port} is still running`);
    node.child = startNode(this.dir, port, this.nodeTimeoutMs);
    await waitFor(
      () => answersPing(port),
      20_000,
      () => `redis-server on ${port} did not restart`,
    );
  }

  /**
   * Waits until the master that was on `deadPort` is marked failed and one of its replicas serves
   * its slots, and every live node reports cluster_state:ok.
   */
  async waitForFailover(deadPort: number, timeoutMs = 60_000): Promise<void> {
    let seen = '';
    await waitFor(
      async () => {
        const layout = await this.layout();
        seen = layout.map((n) => `${n.port} ${n.role}${n.failed ? ' fail' : ''}`).join(', ');
        const dead = layout.find((n) => n.port === deadPort);
        const serving = layout.filter((n) => n.role === 'master' && !n.failed && n.slots.length > 0);
        // Three masters serve the slots again, the dead one not among them: its replica took over.
        return dead?.failed === true && serving.length === 3 && serving.every((n) => n.port !== deadPort) && (await this.allOk());
      },
      timeoutMs,
      () => `no failover of the master on ${deadPort}: ${seen}`,
      200,
    );
  }

  /**
   * Every live node reports cluster_state:ok, serves slots or is a replica, and every live
   * replica's link to its master is up. A running node that is a master without slots is one
   * `--cluster create` (or a restart) has not yet made a replica: cluster_state is ok before that,
   * and a WAIT 1 on its master-to-be could not be met (events-stream-replicas-cluster.int-spec).
   */
  async waitHealthy(timeoutMs = 60_000): Promise<void> {
    await waitFor(
      async () => {
        if (!(await this.allOk())) return false;
        const layout = await this.layout();
        const serving = layout.filter((n) => n.role === 'master' && !n.failed && n.slots.length > 0);
        const replicas = layout.filter((n) => n.role === 'replica' && !n.failed);
        if (serving.length + replicas.length !== this.livePorts.length) return false;
        for (const node of replicas) {
          if (!(await cli(node.port, 'INFO', 'replication')).includes('master_link_status:up')) return false;
        }
        return true;
      },
      timeoutMs,
      () => `cluster on ${this.livePorts.join(',')} not healthy`,
      200,
    );
  }

  /** Kills every node and removes the folder. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => stopChild(n.child)));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async allOk(): Promise<boolean> {
    for (const port of this.livePorts) if (!(await cli(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok')) return false;
    return true;
  }
}

function startNode(dir: string, port: number, nodeTimeoutMs: number): ChildProcess {
  // No persistence: a killed master's data lives on only in its replica, which is what is tested.
  const args = [
    ['port', port],
    ['bind', '127.0.0.1'],
    ['dir', dir],
    ['cluster-enabled', 'yes'],
    ['cluster-config-file', `nodes-${port}.conf`],
    ['cluster-node-timeout', nodeTimeoutMs],
    ['cluster-replica-validity-factor', 0],
    ['save', ''],
    ['appendonly', 'no'],
    ['maxmemory-policy', 'noeviction'],
    ['logfile', join(dir, `redis-${port}.log`)],
  ].flatMap(([name, value]) => [`--${name}`, String(value)]);
  return spawn('redis-server', args, { stdio: 'ignore' });
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (!running(child)) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGKILL');
  });
}

async function cli(port: number, ...command: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-p', String(port), ...command], { timeout: 10_000 });
  return stdout;
}

async function answersPing(port: number): Promise<boolean> {
  try {
    return (await cli(port, 'PING')).trim() === 'PONG';
  } catch {
    return false;
  }
}

/** `<id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slot>…` */
function parseNodeLine(line: string): ClusterNodeInfo {
  const [id, address, flags, master, , , , , ...slots] = line.split(' ');
  const flagList = flags!.split(',');
  return {
    id: id!,
    port: Number(/:(\d+)@/.exec(address!)?.[1]),
    role: flagList.includes('master') ? 'master' : 'replica',
    ...(master !== '-' && { masterId: master }),
    failed: flagList.includes('fail') || flagList.includes('fail?'),
    slots: slots
      .filter((s) => /^\d+(-\d+)?$/.test(s))
      .map((s) => {
        const [from, to] = s.split('-').map(Number);
        return [from!, to ?? from!] as [number, number];
      }),
  };
}

/** Ports whose cluster bus port (+10000) is free as well; picked at random below 30000 so the bus stays a valid port. */
async function freeClusterPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = 20_000 + Math.floor(Math.random() * 9_000);
    if (ports.includes(port) || !(await isFree(port)) || !(await isFree(port + 10_000))) continue;
    ports.push(port);
  }
  return ports;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
