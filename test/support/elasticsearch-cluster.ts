import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../bench/support/bench-process';
import { ElasticsearchNode, javaHome, unpackedDistribution } from './elasticsearch-node';
import { waitFor } from './wait-for';

export type HealthStatus = 'green' | 'yellow' | 'red';

export interface ClusterHealth {
  status: HealthStatus;
  number_of_nodes: number;
  unassigned_shards: number;
  relocating_shards: number;
  initializing_shards: number;
}

/** One shard copy as `_cat/shards` lists it. */
export interface ShardCopy {
  index: string;
  shard: string;
  prirep: 'p' | 'r';
  state: string;
  node: string | null;
}

export interface ClusterOptions {
  nodes?: number;
  /** Heap of each node: small, so three fit beside everything else on a shared machine. */
  heap?: string;
  startTimeoutMs?: number;
}

// Every node a test started, killed if the test process exits without its teardown (a failed
// beforeAll, jest's forced exit): a stray JVM would otherwise keep its ports and memory.
const started = new Set<ElasticsearchNode>();
process.once('exit', () => started.forEach((node) => node.kill()));

/**
 * A private Elasticsearch cluster for one test: `nodes` processes of the test distribution that
 * scripts/services.sh unpacked, each with its own folders and free ports under one temp folder,
 * never the shared node. Nodes can be stopped (gracefully or killed) and started again;
 * `destroy()` kills whatever runs and removes every folder.
 */
export class ElasticsearchCluster {
  private constructor(
    readonly name: string,
    readonly nodes: ElasticsearchNode[],
    private readonly dir: string,
  ) {}

  static async start(options: ClusterOptions = {}): Promise<ElasticsearchCluster> {
    const count = options.nodes ?? 3;
    const home = unpackedDistribution();
    const java = javaHome();
    const name = `soc-test-${randomUUID().slice(0, 8)}`;
    const dir = mkdtempSync(join(tmpdir(), `${name}-`));
    // The service user must be able to enter it to reach its node's folders.
    chmodSync(dir, 0o755);
    const ports = await Promise.all(Array.from({ length: count * 2 }, () => freePort()));
    const names = Array.from({ length: count }, (_, i) => `${name}-node-${i + 1}`);
    const seedHosts = names.map((_, i) => `127.0.0.1:${ports[count + i]}`);
    const nodes = names.map((nodeName, i) => {
      const nodeDir = join(dir, nodeName);
      mkdirSync(nodeDir);
      const settings = {
        clusterName: name,
        name: nodeName,
        httpPort: ports[i],
        transportPort: ports[count + i],
        seedHosts,
        initialMasterNodes: names,
        heap: options.heap ?? '256m',
      };
      return new ElasticsearchNode(settings, nodeDir, home, java);
    });
    const cluster = new ElasticsearchCluster(name, nodes, dir);
    try {
      // All at once: each node waits for the others to elect a master before it reports started.
      await Promise.all(nodes.map((node) => cluster.startNode(node, options.startTimeoutMs)));
      await cluster.waitForHealth('green', count, options.startTimeoutMs ?? 300_000);
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
    return cluster;
  }

  /** Every node's HTTP address, running or not: what a client of the whole cluster is given. */
  get urls(): string[] {
    return this.nodes.map((node) => node.url);
  }

  node(name: string): ElasticsearchNode {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no node ${name} in cluster ${this.name} (${this.nodes.map((n) => n.name).join(', ')})`);
    return node;
  }

  async startNode(node: ElasticsearchNode, timeoutMs?: number): Promise<void> {
    started.add(node);
    await node.start(timeoutMs);
  }

  async stopNode(node: ElasticsearchNode, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    await node.stop(signal);
  }

  /** A GET answered by the first running node that answers (the test's view; the product has its own client). */
  async get<T>(path: string): Promise<T> {
    let lastError: unknown = new Error(`no node of ${this.name} is running`);
    for (const node of this.nodes.filter((n) => n.running)) {
      try {
        const response = await fetch(`${node.url}${path}`, { signal: AbortSignal.timeout(30_000) });
        // _cluster/health answers 408 when its wait_for_* timed out, with the health as the body.
        if (response.ok || response.status === 408) return (await response.json()) as T;
        lastError = new Error(`GET ${path} on ${node.name}: HTTP ${response.status} ${await response.text()}`);
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }

  health(): Promise<ClusterHealth> {
    return this.get<ClusterHealth>('/_cluster/health');
  }

  /**
   * Waits until the cluster has `status` with exactly `nodes` nodes and no shard moving or starting.
   * Elasticsearch waits on its side (wait_for_*), so this polls seldom.
   */
  async waitForHealth(status: HealthStatus, nodes: number, timeoutMs: number): Promise<ClusterHealth> {
    let last: ClusterHealth | undefined;
    await waitFor(
      async () => {
        last = await this.get<ClusterHealth>(
          `/_cluster/health?wait_for_status=${status}&wait_for_nodes=${nodes}&wait_for_no_relocating_shards=true&wait_for_no_initializing_shards=true&timeout=10s`,
        );
        return last.status === status && last.number_of_nodes === nodes && last.relocating_shards === 0 && last.initializing_shards === 0;
      },
      timeoutMs,
      () => `cluster ${this.name} not ${status} with ${nodes} nodes: ${JSON.stringify(last)}\n${this.logTails()}`,
      1_000,
    );
    return last!;
  }

  /** Every shard copy of the indices `pattern` matches, with the node holding it. */
  shards(pattern: string): Promise<ShardCopy[]> {
    return this.get<ShardCopy[]>(`/_cat/shards/${encodeURIComponent(pattern)}?format=json&h=index,shard,prirep,state,node`);
  }

  /** The nodes holding a started primary of an index `pattern` matches. */
  async primaryHolders(pattern: string): Promise<ElasticsearchNode[]> {
    const holders = new Set((await this.shards(pattern)).filter((s) => s.prirep === 'p' && s.state === 'STARTED').map((s) => s.node));
    return this.nodes.filter((node) => holders.has(node.name));
  }

  async electedMaster(): Promise<ElasticsearchNode> {
    const [master] = await this.get<Array<{ node: string }>>('/_cat/master?format=json&h=node');
    return this.node(master.node);
  }

  /** The last lines of every node's log, for a failure message. */
  logTails(lines = 15): string {
    return this.nodes.map((node) => node.logTail(lines)).join('\n');
  }

  /** Kills every node (no grace: the data goes too) and removes the cluster's folder. */
  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop('SIGKILL', 30_000)));
    this.nodes.forEach((node) => started.delete(node));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
