import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { Client } from '@elastic/elasticsearch';
import { ForwarderKeyRepository } from '@soc/auth';
import { IndicatorRepository } from '@soc/indicator-store';
import { municipalities } from '@soc/members';
import { EventStreamPartitions } from '@soc/event-stream';
import type { Cluster } from 'ioredis';
import { createRedis, type Redis } from '@soc/redis';
import { parseConfig } from '@soc/config';
import { jobs as jobKinds } from '@soc/contracts';
import { createQueue, jobSettings } from '@soc/jobs';
import { BenchProcess } from '../support/bench-process';
import { privateBenchEnv } from '../support/private-env';
import { seeded } from '../support/seeded-random';
import { CpuAccounting, perEvent, secondsBetween } from './cpu-accounting';
import { bulkCeiling, readIndexed } from './es-ceiling';
import { DrainTimes, drainedParts, IndexingClock } from './drain';
import { benchIndicators, memberBody, probeBody, probeIp } from './traffic';

/**
 * `npm run bench:pipeline`: the whole product (collector, correlators, alerting with its indexer
 * and detection worker) on the local Redis and Elasticsearch, driven over HTTP at a paced rate;
 * then, in the same run, Elasticsearch's own bulk rate for the documents the product indexed
 * (docs/PERFORMANCE.md, "Pipeline"). Prints one JSON object.
 */
const list = (value: string | undefined, fallback: number[]) => (value ? value.split(',').map(Number) : fallback);
const settings = {
  rate: Number(process.env.BENCH_RATE ?? 20_000),
  seconds: Number(process.env.BENCH_SECONDS ?? 20),
  correlators: Number(process.env.BENCH_CORRELATORS ?? 1),
  inFlight: Number(process.env.BENCH_IN_FLIGHT ?? 16),
  ceilingDocs: Number(process.env.BENCH_CEILING_DOCS ?? 50_000),
  ceilingSweep: {
    bulkSizes: list(process.env.BENCH_CEILING_BULK_SIZES, [500, 2000, 5000]),
    concurrencies: list(process.env.BENCH_CEILING_CONCURRENCY, [1, 2, 4]),
  },
  cpuProfileDir: process.env.BENCH_CPU_PROFILE_DIR,
  /** When set: the indexer alone drains this many events the collector wrote before it started (no correlator). */
  indexerBacklog: Number(process.env.BENCH_INDEXER_BACKLOG ?? 0),
  batch: 500,
  probeEveryMs: 50,
};
/** The product's own settings a run may vary (the indexer's and the events index's); unset: the product's defaults. */
const productKnobs = [
  'ES_EVENTS_REFRESH_INTERVAL',
  'ES_EVENTS_SHARDS',
  'CONSUMER_READ_COUNT',
  'INDEXER_CONSUMERS',
  'INDEXER_BULK_EVENTS',
  'STREAM_BATCH_SIZE',
  'EVENTS_STREAM_PARTITIONS',
];
const progress = (line: string) => process.stderr.write(`bench:pipeline ${new Date().toISOString()} ${line}\n`);
const loads = () => loadavg().map((l) => Number(l.toFixed(2)));

function post(url: URL, agent: Agent, key: string, body: Buffer): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson', 'content-length': String(body.length) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 202));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const id = randomUUID().slice(0, 8);
  const env: Record<string, string> = {
    ...privateBenchEnv(id),
    STREAM_BATCH_SIZE: String(settings.batch),
    INGEST_RATE_EVENTS_PER_SECOND: '100000000',
    INGEST_RATE_BURST_EVENTS: '100000000',
    INGEST_BACKLOG_LIMIT_ENTRIES: '1000000',
    ...Object.fromEntries(productKnobs.flatMap((k) => (process.env[k] === undefined ? [] : [[k, process.env[k]!]]))),
  };
  const loadBefore = loads();
  const es = new Client({ node: env.ELASTICSEARCH_URL!, requestTimeout: 120_000 });
  const eventsPattern = `${env.INDEX_PREFIX}-events-*`;
  const redis = createRedis(env.REDIS_URL!, 'worker', 'bench-pipeline');
  // The product's own queue of detections, so on a Redis Cluster (REDIS_URL redis+cluster://) the
  // bench reads the hash-tagged prefix the alerting process writes; close() closes its connection.
  const detections = createQueue(jobKinds.detections, { redisUrl: env.REDIS_URL!, settings: jobSettings(parseConfig(env)), connectionName: 'bench-pipeline' });
  const queue = detections.queue;
  const processes: BenchProcess[] = [];
  const clock = new IndexingClock(es, eventsPattern);
  const probeCount = Math.ceil((settings.seconds * 1000) / settings.probeEveryMs) + 10;
  try {
    await new IndicatorRepository(redis, env.KEY_PREFIX!).upsert(benchIndicators(probeCount));
    const keys = new ForwarderKeyRepository(redis, env.KEY_PREFIX!);
    const members = municipalities.map((m) => m.code);
    const apiKeys = await Promise.all(members.map(async (m) => (await keys.create(m, 'bench')).key));
    const random = seeded(42);
    const bodies = members.flatMap((_, m) => [9, 10].map((hour) => ({ key: apiKeys[m]!, body: memberBody(random, hour, settings.batch) })));

    const backlogMode = settings.indexerBacklog > 0;
    const startIndexer = async () => {
      processes.push(await BenchProcess.start('alerting', env, { CONSUMER_NAME: 'bench-indexer' }, { cpuProfileDir: settings.cpuProfileDir }));
      clock.start();
    };
    processes.push(await BenchProcess.start('collector', env));
    if (!backlogMode) {
      for (let c = 0; c < settings.correlators; c++) processes.push(await BenchProcess.start('correlator', env, { CONSUMER_NAME: `bench-${c}` }));
      await startIndexer();
    }
    const target = new URL('/v1/events', processes[0]!.url);
    const agent = new Agent({ keepAlive: true, maxSockets: settings.inFlight + 2 });

    let accepted = 0;
    let offered = 0;
    let refused = 0;
    let next = 0;
    if (backlogMode) {
      // The indexer alone, from a full stream: every read returns readCount entries, so the bulk
      // size is INDEXER_BULK_EVENTS (or one entry) and nothing else competes for the cores.
      const fill = Array.from({ length: settings.inFlight }, async () => {
        while (offered < settings.indexerBacklog) {
          offered += settings.batch;
          const { key, body } = bodies[next++ % bodies.length]!;
          if (await post(target, agent, key, body)) accepted += settings.batch;
          else refused += settings.batch;
        }
      });
      await Promise.all(fill);
      // The collector is done: stopped, and no longer watched for an early exit.
      await processes.shift()!.stop();
      progress(`${accepted} events in the stream; the indexer starts`);
      await startIndexer();
    }
    const cpu = new CpuAccounting(es, redis);
    const productPids = () =>
      Object.fromEntries(processes.map((p, i) => [processes.filter((q) => q.app === p.app).length > 1 ? `${p.app}-${i}` : p.app, p.pid]));
    const cpuBefore = await cpu.read(productPids());
    const started = Date.now();
    const deadline = backlogMode ? started : started + settings.seconds * 1000;
    // Paced load: each sender takes the next body once the schedule allows its events.
    const senders = Array.from({ length: settings.inFlight }, async () => {
      while (Date.now() < deadline) {
        const due = started + ((offered + settings.batch) / settings.rate) * 1000;
        if (due > Date.now()) {
          await new Promise((r) => setTimeout(r, due - Date.now()));
          continue;
        }
        offered += settings.batch;
        const { key, body } = bodies[next++ % bodies.length]!;
        if (await post(target, agent, key, body)) accepted += settings.batch;
        else refused += settings.batch;
      }
    });
    const sentAt = new Map<string, number>();
    const prober = (async () => {
      for (let n = 0; Date.now() < deadline; n++) {
        const at = Date.now();
        if (await post(target, agent, apiKeys[n % apiKeys.length]!, probeBody(n))) {
          sentAt.set(probeIp(n), at);
          accepted++;
        }
        await new Promise((r) => setTimeout(r, Math.max(0, settings.probeEveryMs - (Date.now() - at))));
      }
    })();
    await Promise.all([...senders, prober]);
    const loadSeconds = (Date.now() - started) / 1000;
    progress(`load sent (${accepted} events accepted); waiting for every consumer to drain`);
    const drainDeadline = Date.now() + 300_000;
    const streamKeys = new EventStreamPartitions(env.EVENTS_STREAM!, Number(env.EVENTS_STREAM_PARTITIONS ?? 1)).keys;
    const drainTimes = new DrainTimes();
    while (!drainTimes.note(await drainedParts(redis, streamKeys, backlogMode ? ['indexer'] : ['correlator', 'indexer'], queue))) {
      const dead = processes.find((p) => p.exited);
      if (dead) throw new Error(`a product process ended during the run:\n${dead.log}`);
      if (Date.now() > drainDeadline) throw new Error('the correlator, the indexer or the detection worker did not catch up within 300 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    const totalSeconds = (Date.now() - started) / 1000;
    const cpuAfter = await cpu.read(productPids());
    agent.destroy();
    await clock.stop();
    const loadAfterPipeline = loads();
    const indexing = clock.rate();
    await es.indices.refresh({ index: eventsPattern });
    const { count: indexedCount } = await es.count({ index: eventsPattern });

    const alertWrites = await alertIndexStats(es, `${env.INDEX_PREFIX}-alerts*`);
    const jobs = await queue.getJobs(['waiting', 'active', 'completed', 'delayed', 'prioritized', 'failed']);
    // Probe sent → its detection queued (the correlator's latency) and → its alert written (the job done).
    const latencies: number[] = [];
    const alertLatencies: number[] = [];
    for (const job of jobs) {
      const ip = (job.data as { observables?: Array<{ field: string; value: string }> }).observables?.find((o) => o.field === 'destination.ip')?.value;
      const at = ip === undefined ? undefined : sentAt.get(ip);
      if (at === undefined) continue;
      latencies.push(job.timestamp - at);
      if (job.finishedOn !== undefined) alertLatencies.push(job.finishedOn - at);
    }
    latencies.sort((a, b) => a - b);
    alertLatencies.sort((a, b) => a - b);

    // After the product part, with the product's processes stopped: the same documents, bare client.
    await Promise.all(processes.map((p) => p.stop()));
    progress(`drained; ${indexedCount} events in Elasticsearch; measuring the bulk ceiling`);
    const docs = await readIndexed(es, eventsPattern, settings.ceilingDocs);
    const cpuBeforeCeiling = await cpu.read({});
    const sweep = await bulkCeiling(es, `${env.INDEX_PREFIX}-events`, `${env.INDEX_PREFIX}-ceiling`, docs, settings.ceilingSweep);
    const ceiling = Math.max(...sweep.map((p) => p.eps));
    // Elasticsearch's CPU per document over the whole sweep (every point indexes every document).
    const ceilingCpu = perEvent(cpuBeforeCeiling, await cpu.read({}), docs.length * sweep.length)['elasticsearch'] ?? null;
    const productCpu = perEvent(cpuBefore, cpuAfter, accepted);
    const productCpuTotal = Object.values(productCpu).reduce((a, b) => a + b, 0);
    const pipelineEps = Math.round(accepted / totalSeconds);
    process.stdout.write(
      `${JSON.stringify({
        mode: backlogMode ? `the indexer alone, draining ${settings.indexerBacklog} events` : 'the whole product under paced load',
        pipeline_eps: backlogMode ? null : pipelineEps,
        indexed_eps: indexing?.eps ?? null,
        es_bulk_ceiling_eps: ceiling,
        indexed_to_ceiling: indexing ? Number((indexing.eps / ceiling).toFixed(2)) : null,
        pipeline_to_indexed: indexing ? Number((pipelineEps / indexing.eps).toFixed(2)) : null,
        loadavg_before: loadBefore,
        loadavg_after_pipeline: loadAfterPipeline,
        loadavg_after: loads(),
        events_indexed: indexedCount,
        nothing_lost: indexedCount === accepted,
        indexing_seconds: indexing?.seconds ?? null,
        ceiling_measured: 'after the product part, its processes stopped',
        ceiling_docs: docs.length,
        ceiling_sweep: sweep,
        product_settings: Object.fromEntries(productKnobs.map((k) => [k, env[k] ?? 'default'])),
        offered_eps: settings.rate,
        accepted_eps_during_load: Math.round(accepted / loadSeconds),
        detect_latency_p50_ms: percentile(latencies, 50),
        detect_latency_p99_ms: percentile(latencies, 99),
        detect_latency_max_ms: latencies.at(-1) ?? null,
        alert_latency_p50_ms: percentile(alertLatencies, 50),
        alert_latency_p99_ms: percentile(alertLatencies, 99),
        alert_latency_max_ms: alertLatencies.at(-1) ?? null,
        probes_sent: sentAt.size,
        probes_detected: latencies.length,
        events_accepted: accepted,
        events_refused: refused,
        detections_enqueued: jobs.length,
        load_seconds: Number(loadSeconds.toFixed(1)),
        drain_seconds: Number((totalSeconds - loadSeconds).toFixed(1)),
        caught_up_after_seconds: drainTimes.secondsFrom(started),
        detection_jobs_per_second: detectionRate(jobs),
        alert_index_ops: alertWrites,
        cpu_seconds: secondsBetween(cpuBefore, cpuAfter),
        cpu_us_per_event: { ...productCpu, total: Number(productCpuTotal.toFixed(1)) },
        ceiling_es_cpu_us_per_event: ceilingCpu,
        // If every core were busy in both phases, the product's rate is cores ÷ its CPU per event and
        // the ceiling's cores ÷ Elasticsearch's: their ratio is the most indexed ÷ ceiling can be on
        // this box, whatever the indexer does (docs/PERFORMANCE.md, "Where the CPU goes").
        // Elasticsearch's CPU per event in the bare bulks ÷ in the product run (its bulks, the alerts,
        // the statistics): with Elasticsearch on cores of its own, the share of its rate the product gets.
        es_cpu_efficiency: ceilingCpu && productCpu['elasticsearch'] ? Number((ceilingCpu / productCpu['elasticsearch']).toFixed(2)) : null,
        indexed_to_ceiling_cpu_bound: ceilingCpu && productCpuTotal > 0 ? Number((ceilingCpu / productCpuTotal).toFixed(2)) : null,
        correlators: settings.correlators,
        collectors: 1,
        events_per_entry: settings.batch,
      })}\n`,
    );
  } finally {
    clock.cancel();
    await Promise.all(processes.map((p) => p.stop()));
    await queue.obliterate({ force: true }).catch(() => undefined);
    await detections.close();
    const cleanupFailed = (error: Error) => process.stderr.write(`bench:pipeline clean-up of ${env.INDEX_PREFIX}-*: ${error.message}\n`);
    await es.indices.delete({ index: `${env.INDEX_PREFIX}-*`, ignore_unavailable: true }).catch(cleanupFailed);
    await es.indices.deleteIndexTemplate({ name: `${env.INDEX_PREFIX}-*` }).catch(cleanupFailed);
    await es.close();
    await deleteKeysMatching(redis, `*${id}*`);
    redis.disconnect();
  }
}

/** Removes the run's keys: on a Redis Cluster from every master, one key per DEL (keys of many slots). */
async function deleteKeysMatching(redis: Redis, pattern: string): Promise<void> {
  const servers = redis.isCluster ? (redis as unknown as Cluster).nodes('master') : [redis];
  for (const server of servers) {
    const leftovers = await server.keys(pattern);
    if (redis.isCluster) for (const key of leftovers) await server.del(key);
    else for (let i = 0; i < leftovers.length; i += 1000) await server.del(...leftovers.slice(i, i + 1000));
  }
}

/**
 * What the alert worker asked of the alerts index: writes, refused writes (`index_failed` counts
 * optimistic-concurrency conflicts, each one a retried fold) and real-time gets.
 */
async function alertIndexStats(es: Client, pattern: string): Promise<{ writes: number; failed_writes: number; gets: number } | null> {
  const stats = await es.indices.stats({ index: pattern, metric: ['indexing', 'get'] }).catch(() => undefined);
  const all = stats?._all.total;
  if (!all) return null;
  return { writes: all.indexing?.index_total ?? 0, failed_writes: all.indexing?.index_failed ?? 0, gets: all.get?.total ?? 0 };
}

/** Detection jobs finished ÷ time from the first one started to the last one finished: the alert worker's rate. */
function detectionRate(jobs: Array<{ processedOn?: number; finishedOn?: number }>): number | null {
  const done = jobs.filter((j) => j.processedOn !== undefined && j.finishedOn !== undefined);
  if (done.length < 2) return null;
  const first = Math.min(...done.map((j) => j.processedOn!));
  const last = Math.max(...done.map((j) => j.finishedOn!));
  return last > first ? Math.round((done.length * 1000) / (last - first)) : null;
}

main().catch((error: Error) => {
  process.stderr.write(`bench:pipeline failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
