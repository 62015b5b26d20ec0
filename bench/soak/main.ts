import { randomUUID } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { ForwarderKeyRepository } from '@soc/auth';
import { EventStreamPartitions } from '@soc/event-stream';
import { IndicatorRepository } from '@soc/indicator-store';
import { municipalities } from '@soc/members';
import { createRedis, type Redis } from '@soc/redis';
import { createElasticsearchClient, IndexNames } from '@soc/storage';
import { percentile } from '../../tools/soak/trend';
import { Canaries } from './canaries';
import { SteadyLoad } from './load';
import { seriesReports } from './report';
import { consumerGroups, takeSample, type Sample } from './sampler';
import { SoakProcess } from './soak-process';
import { EVENTS_PER_REQUEST, soakIndicators } from './traffic';

/**
 * `npm run bench:soak -- --minutes N [--rate EPS] [--sample-seconds 10]`: the whole product
 * (collector, correlator, alerting with its indexer) as processes on the local Redis and
 * Elasticsearch under its own prefixes, driven at a steady rate (half the capacity measured in a
 * calibration phase unless --rate is given), sampled every interval; prints one JSON object with
 * each series' slope per hour and a verdict, and writes the raw samples to a file. Docs:
 * docs/PERFORMANCE.md, "Soak".
 */
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number, got ${process.argv[i + 1]}`);
  return value;
};
const textArg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};

const minutes = arg('minutes', 60);
const settings = {
  minutes,
  sampleSeconds: arg('sample-seconds', 10),
  rate: arg('rate', 0) || undefined,
  calibrateSeconds: arg('calibrate-seconds', 30),
  maxRate: arg('max-rate', 2_000),
  inFlight: arg('in-flight', 4),
  canaryEveryMs: arg('canary-every-ms', 1_000),
  // Warm-up left out of the slopes: JIT, caches and the first windows filling.
  warmupSeconds: arg('warmup-seconds', Math.min(300, Math.round(minutes * 6))),
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) => process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

async function drained(redis: Redis, streams: readonly string[], queue: Queue): Promise<boolean> {
  const groups = Object.values(await consumerGroups(redis, streams));
  const jobs = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return groups.length === 2 && groups.every((g) => g.lag === 0 && g.pending === 0) && Object.values(jobs).every((n) => n === 0);
}

async function waitDrained(redis: Redis, streams: readonly string[], queue: Queue, what: string): Promise<number> {
  const started = Date.now();
  while (!(await drained(redis, streams, queue))) {
    if (Date.now() - started > 600_000) throw new Error(`${what}: the consumers did not catch up within 600 s`);
    await sleep(250);
  }
  return (Date.now() - started) / 1000;
}

/** Entries each consumer group has acknowledged so far. */
async function acknowledgedByGroup(redis: Redis, streams: readonly string[]): Promise<Record<string, number>> {
  const groups = await consumerGroups(redis, streams);
  return Object.fromEntries(Object.entries(groups).map(([name, g]) => [name, g.entriesRead - g.pending]));
}

async function main(): Promise<void> {
  const id = randomUUID().slice(0, 8);
  const env: Record<string, string> = {
    // As bench:pipeline and the e2e tests run the apps: production would demand an OpenID Connect issuer.
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    ELASTICSEARCH_URL: process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200',
    JWT_SECRET: `soak-${id}-0123456789abcdef0123456789`,
    KEY_PREFIX: `soak:${id}`,
    INDEX_PREFIX: `soak-${id}`,
    EVENTS_STREAM: `soak:${id}:events`,
    DETECTIONS_QUEUE: `soak-${id}-detections`,
    RULES_DIR: join(__dirname, '..', '..', '..', 'rules'),
    // 98 members share one benchmark client: the per-member ingest rate limit is not what is measured.
    INGEST_RATE_EVENTS_PER_SECOND: '100000000',
    INGEST_RATE_BURST_EVENTS: '100000000',
    // The calibration's backlog stays small (30,000 events): the collector refuses beyond it, so
    // capacity is measured with the consumers busy and drains in seconds instead of minutes.
    INGEST_BACKLOG_LIMIT_ENTRIES: '300',
    // A minute of acknowledged history instead of the default 15 (docs/OPERATIONS.md, The events
    // stream's size): the stream reaches its steady length in the soak's first minutes, so its slope
    // over the run says whether it stays there.
    EVENTS_STREAM_RETAIN_SECONDS: '60',
    // Partitions of the events stream when the run asks for them (docs/SCALING.md); one stream otherwise.
    ...(process.env.EVENTS_STREAM_PARTITIONS ? { EVENTS_STREAM_PARTITIONS: process.env.EVENTS_STREAM_PARTITIONS } : {}),
  };
  const streamKeys = new EventStreamPartitions(env.EVENTS_STREAM!, Number(env.EVENTS_STREAM_PARTITIONS ?? 1)).keys;
  const samplesFile = textArg('samples-file') ?? join(tmpdir(), `soak-${id}-samples.jsonl`);
  const redis = createRedis(env.REDIS_URL!, 'worker', 'bench-soak');
  const es = createElasticsearchClient(env.ELASTICSEARCH_URL!);
  const names = new IndexNames(env.INDEX_PREFIX!);
  const queue = new Queue(env.DETECTIONS_QUEUE!, { connection: { url: env.REDIS_URL!, maxRetriesPerRequest: null } });
  const apps: SoakProcess[] = [];
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg();
  try {
    const canaryLimit = Math.ceil((settings.minutes * 60_000) / settings.canaryEveryMs) + 10;
    await new IndicatorRepository(redis, env.KEY_PREFIX!).upsert(soakIndicators(canaryLimit));
    const forwarderKeys = new ForwarderKeyRepository(redis, env.KEY_PREFIX!);
    const keys = await Promise.all(municipalities.map(async (m) => (await forwarderKeys.create(m.code, 'soak')).key));

    for (const app of ['collector', 'correlator', 'alerting'] as const) apps.push(await SoakProcess.start(app, env));
    const target = new URL('/v1/events', apps[0]!.url);
    log(`apps ready (prefix ${env.KEY_PREFIX}); samples → ${samplesFile}`);

    // Calibration: as fast as the collector accepts; capacity is what the slowest consumer group
    // (correlator or indexer) acknowledges per second, measured after its first third.
    let calibration: Record<string, number> | undefined;
    let calibrationAccepted = 0;
    let rate = settings.rate;
    if (rate === undefined) {
      const burst = new SteadyLoad(target, keys, 8);
      burst.start(Number.POSITIVE_INFINITY, 7);
      await sleep((settings.calibrateSeconds * 1000) / 3);
      const from = { at: Date.now(), acked: await acknowledgedByGroup(redis, streamKeys) };
      await sleep((settings.calibrateSeconds * 2000) / 3);
      const to = { at: Date.now(), acked: await acknowledgedByGroup(redis, streamKeys) };
      await burst.stop();
      calibrationAccepted = burst.counters.accepted;
      const byGroup = Object.fromEntries(
        Object.keys(to.acked).map((g) => [g, Math.round((((to.acked[g] ?? 0) - (from.acked[g] ?? 0)) * EVENTS_PER_REQUEST) / ((to.at - from.at) / 1000))]),
      );
      const capacity = Math.min(...Object.values(byGroup));
      const drainSeconds = await waitDrained(redis, streamKeys, queue, 'after calibration');
      rate = Math.max(EVENTS_PER_REQUEST, Math.min(settings.maxRate, Math.floor(capacity / 2)));
      calibration = {
        seconds: settings.calibrateSeconds,
        capacity_events_per_s: capacity,
        ...Object.fromEntries(Object.entries(byGroup).map(([g, eps]) => [`${g}_acknowledged_events_per_s`, eps])),
        accepted: calibrationAccepted,
        refused_requests: burst.counters.refusedRequests,
        drain_seconds: Number(drainSeconds.toFixed(1)),
        load_average_1m: Number(loadavg()[0]!.toFixed(2)),
      };
      log(`calibration: capacity ${capacity} events/s → steady rate ${rate} events/s (cap ${settings.maxRate})`);
    }

    const load = new SteadyLoad(target, keys, settings.inFlight);
    const canaries = new Canaries(target, keys, es, names.alerts, settings.canaryEveryMs, canaryLimit);
    const started = Date.now();
    load.start(rate, 42);
    canaries.start();
    writeFileSync(samplesFile, '');
    const samples: Sample[] = [];
    const context = {
      redis,
      es,
      streams: streamKeys,
      eventsPattern: names.eventsPattern,
      runId: id,
      detectionsWaiting: () => queue.getWaitingCount(),
      apps,
      load,
      canaries,
      started,
    };
    const end = started + settings.minutes * 60_000;
    for (let n = 1; started + n * settings.sampleSeconds * 1000 <= end; n++) {
      await sleep(Math.max(0, started + n * settings.sampleSeconds * 1000 - Date.now()));
      const crashed = apps.find((a) => a.exited);
      if (crashed) throw new Error(`${crashed.app} exited during the soak:\n${crashed.log}`);
      const sample = await takeSample(context);
      sample.events_accepted += calibrationAccepted;
      samples.push(sample);
      appendFileSync(samplesFile, `${JSON.stringify(sample)}\n`);
      if (n % 6 === 0 || n === 1) {
        const mb = (b: number | null | undefined) => (b == null ? '?' : `${Math.round(b / 1048576)}M`);
        log(
          `t=${sample.t}s load=${sample.load_average_1m.toFixed(2)} rss c/r/a=${apps.map((a) => mb(sample.apps[a.app]?.rss_bytes)).join('/')} ` +
            `heap=${apps.map((a) => mb(sample.apps[a.app]?.heap_used_bytes)).join('/')} xlen=${sample.events_stream_length} ` +
            `lag=${JSON.stringify(sample.groups)} p99=${sample.detect_latency_p99_ms}ms accepted=${sample.events_accepted} indexed=${sample.events_indexed}`,
        );
      }
    }
    const steadySeconds = (Date.now() - started) / 1000;
    await load.stop();
    await canaries.stop();
    const drainSeconds = await waitDrained(redis, streamKeys, queue, 'after the soak');
    await es.indices.refresh({ index: names.eventsPattern, allow_no_indices: true });
    const indexed = (await es.count({ index: names.eventsPattern, allow_no_indices: true })).count;
    const accepted = calibrationAccepted + load.counters.accepted + canaries.accepted;
    const deadLetters = {
      stream: await redis.xlen(`${env.EVENTS_STREAM}:dead-letter`),
      index: await redis.xlen(`${env.EVENTS_STREAM}:index-dead-letter`),
    };

    const latencies = canaries.all.map((c) => c.ms);
    const quarters = [0, 1, 2, 3].map((q) => {
      const from = started + (q * steadySeconds * 1000) / 4;
      const to = started + ((q + 1) * steadySeconds * 1000) / 4;
      const inQuarter = canaries.all.filter((c) => c.at >= from && c.at < to).map((c) => c.ms);
      return { canaries: inQuarter.length, p50_ms: percentile(inQuarter, 50), p99_ms: percentile(inQuarter, 99) };
    });
    const loads = samples.map((s) => s.load_average_1m);
    const series = seriesReports(samples, settings.warmupSeconds);
    process.stdout.write(
      `${JSON.stringify(
        {
          command: `npm run bench:soak -- ${process.argv.slice(2).join(' ')}`.trim(),
          started_at: startedAt,
          config: {
            ...settings,
            rate_source: settings.rate === undefined ? 'calibration (half the measured capacity, capped at max-rate)' : '--rate',
            events_per_request: EVENTS_PER_REQUEST,
          },
          calibration: calibration ?? null,
          rate_events_per_s: rate,
          steady_seconds: Number(steadySeconds.toFixed(1)),
          samples: samples.length,
          samples_file: samplesFile,
          load_average: {
            at_start: loadAtStart.map((x) => Number(x.toFixed(2))),
            during_min: Number(Math.min(...loads).toFixed(2)),
            during_mean: Number((loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length)).toFixed(2)),
            during_max: Number(Math.max(...loads).toFixed(2)),
            at_end: loadavg().map((x) => Number(x.toFixed(2))),
          },
          events: {
            accepted,
            indexed,
            lost: accepted - indexed,
            refused_requests: load.counters.refusedRequests,
            failed_requests: load.counters.failedRequests,
            drain_seconds: Number(drainSeconds.toFixed(1)),
          },
          dead_letters: deadLetters,
          detection: {
            canaries_sent: canaries.sent,
            canaries_accepted: canaries.accepted,
            canaries_detected: canaries.detected,
            canaries_missed: canaries.missed,
            p50_ms: percentile(latencies, 50),
            p99_ms: percentile(latencies, 99),
            max_ms: latencies.length ? Math.max(...latencies) : null,
            by_quarter: quarters,
          },
          run_keys_by_family: { first: samples[0]?.run_keys_by_family ?? {}, last: samples.at(-1)?.run_keys_by_family ?? {} },
          growing: Object.entries(series)
            .filter(([, s]) => s.verdict === 'growing')
            .map(([name]) => name),
          series,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await Promise.all(apps.map((a) => a.stop()));
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    let cursor = '0';
    do {
      const [next, leftovers] = await redis.scan(cursor, 'MATCH', `*${id}*`, 'COUNT', 5000);
      cursor = next;
      if (leftovers.length > 0) await redis.del(...leftovers);
    } while (cursor !== '0');
    redis.disconnect();
    await es.indices.delete({ index: names.all, ignore_unavailable: true, allow_no_indices: true }).catch(() => undefined);
    await es.indices.deleteIndexTemplate({ name: `${names.prefix}-*` }).catch(() => undefined);
    await es.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench:soak failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
