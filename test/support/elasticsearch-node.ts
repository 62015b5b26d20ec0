import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(__dirname, '..', '..');
/** The version and service user of scripts/services.sh (same variables, same defaults). */
const esVersion = process.env.ES_VERSION ?? '8.19.21';
const serviceUser = process.env.SERVICE_USER ?? 'socsvc';
const isRoot = process.getuid?.() === 0;

/**
 * Where scripts/services.sh unpacked the test distribution: `<SERVICES_DIR>/elasticsearch-<version>`,
 * or, when the service user cannot reach the checkout, the folder it falls back to,
 * `/var/lib/<service user>/<cksum of the checkout's path>`.
 */
function distributionCandidates(): string[] {
  const servicesDir = process.env.SERVICES_DIR ?? join(root, '.services');
  const checksum = execFileSync('bash', ['-c', 'printf "%s" "$1" | cksum | cut -d" " -f1', '_', root]).toString().trim();
  const own = [servicesDir, join('/var/lib', serviceUser, checksum)].map((dir) => join(dir, `elasticsearch-${esVersion}`));
  const running = runningNodeHome();
  return running && !own.includes(running) ? [...own, running] : own;
}

/**
 * The home of the node already answering at ELASTICSEARCH_URL (its first address), if it runs
 * this version: a fresh checkout (a clean-clone CI run) reuses that node, so scripts/services.sh
 * unpacked nothing into this checkout, but the running node's distribution is as good.
 */
function runningNodeHome(): string | undefined {
  const url = (process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200').split(',')[0]!.trim().replace(/\/+$/, '');
  try {
    const reply = execFileSync('curl', ['-sf', '--max-time', '5', `${url}/_nodes/_local/settings?filter_path=nodes.*.settings.path.home`]).toString();
    const nodes = Object.values((JSON.parse(reply) as { nodes?: Record<string, { settings?: { path?: { home?: string } } }> }).nodes ?? {});
    const home = nodes[0]?.settings?.path?.home;
    return home && home.endsWith(`elasticsearch-${esVersion}`) ? home : undefined;
  } catch {
    return undefined;
  }
}

/** The unpacked distribution, installed by `scripts/services.sh es` first when it is not there yet. */
export function unpackedDistribution(): string {
  const installed = () => distributionCandidates().find((dir) => existsSync(join(dir, '.installed')));
  if (!installed()) execFileSync('bash', [join(root, 'scripts/services.sh'), 'es'], { stdio: 'inherit', timeout: 600_000 });
  const home = installed();
  if (!home) {
    throw new Error(
      `no unpacked Elasticsearch ${esVersion} in ${distributionCandidates().join(' or ')}: scripts/services.sh installs it only when it ` +
        `starts the local node itself, not when ELASTICSEARCH_URL already answers (run it once with SERVICES_DIR and a free ELASTICSEARCH_URL)`,
    );
  }
  return home;
}

function javaMajor(home: string): number {
  // `java -version` writes its banner to stderr.
  const banner = spawnSync(join(home, 'bin/java'), ['-version'], { encoding: 'utf8' }).stderr ?? '';
  return Number(/version "(\d+)/.exec(banner)?.[1] ?? 0);
}

/** A JDK of at least 17, looked for in the order scripts/services.sh looks (ES_JAVA_HOME, `java` on PATH, JAVA_HOME, /usr/lib/jvm). */
export function javaHome(): string {
  const onPath = (() => {
    try {
      return dirname(dirname(realpathSync(execFileSync('bash', ['-c', 'command -v java']).toString().trim())));
    } catch {
      return undefined;
    }
  })();
  const jvms = existsSync('/usr/lib/jvm') ? readdirSync('/usr/lib/jvm').map((name) => join('/usr/lib/jvm', name)) : [];
  for (const candidate of [process.env.ES_JAVA_HOME, onPath, process.env.JAVA_HOME, ...jvms]) {
    if (!candidate || !existsSync(join(candidate, 'bin/java'))) continue;
    try {
      // The test distribution bundles no JDK, and Elasticsearch 8.19 needs 17 or later.
      if (javaMajor(candidate) >= 17) return candidate;
    } catch {
      // not a working JDK: try the next one
    }
  }
  throw new Error('no Java 17 or later found for Elasticsearch (set ES_JAVA_HOME)');
}

export interface NodeSettings {
  clusterName: string;
  name: string;
  httpPort: number;
  transportPort: number;
  /** Every node's transport address and name: each node finds the others and they elect a master together. */
  seedHosts: string[];
  initialMasterNodes: string[];
  heap: string;
}

/**
 * One Elasticsearch node of the test distribution as its own process: its own config, data,
 * logs and temp folders under `dir`, run as the service user (Elasticsearch refuses root), daemonized
 * like scripts/services.sh runs the shared node, and known by the pid it writes.
 */
export class ElasticsearchNode {
  /** Started once: the cluster is formed, and the node finds it again through the seed hosts. */
  private joined = false;

  constructor(
    readonly settings: NodeSettings,
    readonly dir: string,
    private readonly home: string,
    private readonly java: string,
  ) {
    const config = join(dir, 'config');
    // The distribution's config folder (jvm.options, log4j2.properties, the keystore) with our elasticsearch.yml.
    cpSync(join(home, 'config'), config, { recursive: true });
    ['data', 'logs', 'tmp'].forEach((sub) => mkdirSync(join(dir, sub)));
    writeFileSync(join(config, 'elasticsearch.yml'), this.yaml());
    if (isRoot) execFileSync('chown', ['-R', `${serviceUser}:`, dir]);
  }

  get name(): string {
    return this.settings.name;
  }

  get url(): string {
    return `http://127.0.0.1:${this.settings.httpPort}`;
  }

  private get pidFile(): string {
    return join(this.dir, 'es.pid');
  }

  /**
   * The server process's id from the pid file it writes, read each time: a node whose launcher
   * timed out may still write it later, and teardown must find that process too.
   */
  private get pid(): number | undefined {
    try {
      return Number(readFileSync(this.pidFile, 'utf8').trim()) || undefined;
    } catch {
      return undefined;
    }
  }

  /** The node's own log (the last `lines`), for a failure message. */
  logTail(lines = 40): string {
    const text = ['logs/startup.out', `logs/${this.settings.clusterName}.log`]
      .map((file) => join(this.dir, file))
      .filter((file) => existsSync(file))
      .map((file) => `---- ${file}\n${readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n')}`);
    return text.join('\n');
  }

  private yaml(): string {
    const { clusterName, name, httpPort, transportPort, seedHosts, initialMasterNodes } = this.settings;
    return [
      `cluster.name: ${clusterName}`,
      `node.name: ${name}`,
      'network.host: 127.0.0.1',
      `http.port: ${httpPort}`,
      `transport.port: ${transportPort}`,
      `discovery.seed_hosts: ${JSON.stringify(seedHosts)}`,
      ...(this.joined ? [] : [`cluster.initial_master_nodes: ${JSON.stringify(initialMasterNodes)}`]),
      `path.data: ${join(this.dir, 'data')}`,
      `path.logs: ${join(this.dir, 'logs')}`,
      // As scripts/services.sh runs the shared node: no TLS or users, no disk watermarks (a full
      // shared disk would otherwise stop shard allocation), index patterns allowed in deletes.
      'xpack.security.enabled: false',
      'cluster.routing.allocation.disk.threshold_enabled: false',
      'action.destructive_requires_name: false',
      '',
    ].join('\n');
  }

  /**
   * Starts the node and resolves once its launcher has handed it over (`-d`: the node is up, not
   * necessarily in a formed cluster yet). Starting a stopped node again keeps its data and ports.
   */
  async start(timeoutMs = 300_000): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running (pid ${this.pid})`);
    rmSync(this.pidFile, { force: true });
    const out = openSync(join(this.dir, 'logs/startup.out'), 'a');
    const launcher = join(this.home, 'bin/elasticsearch');
    const asServiceUser = isRoot ? ['runuser', '-u', serviceUser, '--'] : [];
    const child = spawn('bash', ['-c', 'ulimit -n 65535 2>/dev/null; exec "$@"', '_', ...asServiceUser, launcher, '-d', '-p', this.pidFile], {
      cwd: this.dir,
      env: {
        PATH: process.env.PATH ?? '',
        ES_JAVA_HOME: this.java,
        ES_PATH_CONF: join(this.dir, 'config'),
        ES_TMPDIR: join(this.dir, 'tmp'),
        ES_JAVA_OPTS: `-Xms${this.settings.heap} -Xmx${this.settings.heap}`,
        CLI_JAVA_OPTS: `-Djava.io.tmpdir=${join(this.dir, 'tmp')}`,
      },
      stdio: ['ignore', out, out],
      // Its own process group, so a timed-out launch is killed with runuser's child, the launcher JVM.
      detached: true,
    });
    closeSync(out);
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        // The launcher and the server it may have started by now: a late node must not join afterwards.
        process.kill(-child.pid!, 'SIGKILL');
        this.kill();
        reject(new Error(`${this.name} did not start within ${timeoutMs} ms\n${this.logTail()}`));
      }, timeoutMs);
      child.on('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    if (code !== 0 || !this.running) {
      this.kill();
      throw new Error(`${this.name} did not start (launcher exit ${code})\n${this.logTail()}`);
    }
    if (!this.joined) {
      // Bootstrapping is for a new cluster only: a node that restarts with it set is warned of
      // possible data loss (a second bootstrap), so later starts go without it.
      this.joined = true;
      writeFileSync(join(this.dir, 'config', 'elasticsearch.yml'), this.yaml());
    }
  }

  /**
   * Whether our server process still runs: it exists, is no zombie (a daemon's parent is gone,
   * and a container's init may not reap it), and is still Elasticsearch with our temp folder (a
   * stale pid file's number may belong to another process by now).
   */
  get running(): boolean {
    const pid = this.pid;
    if (pid === undefined) return false;
    try {
      const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return state !== 'Z' && cmdline.includes('org.elasticsearch') && cmdline.includes(this.dir);
    } catch {
      return false;
    }
  }

  /**
   * Stops the node with `signal` and waits until the process is gone: SIGTERM is Elasticsearch's
   * graceful shutdown (SIGKILL follows after `graceMs`), SIGKILL a crash.
   */
  async stop(signal: 'SIGTERM' | 'SIGKILL', graceMs = 60_000): Promise<void> {
    const pid = this.pid;
    if (!this.running) return;
    process.kill(pid!, signal);
    const deadline = Date.now() + graceMs;
    while (this.running) {
      if (Date.now() > deadline) this.kill();
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** SIGKILL at once, without waiting: for teardown and the process's exit hook. */
  kill(): void {
    const pid = this.pid;
    if (pid !== undefined && this.running) process.kill(pid, 'SIGKILL');
  }
}
