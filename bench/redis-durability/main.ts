import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { Command } from 'commander';
import { ForwarderKeyRepository } from '@soc/auth';
import { createRedis, type Redis } from '@soc/redis';
import { benchEvents, ndjson } from '../ingest/bench-events';
import { type BenchCollector, startBenchCollector } from '../ingest/collector-process';
import { BenchRedis, type Durability } from './redis-server';

/**
 * `npm run bench:redis-durability`: what the append-only file costs the collector's ingest path.
 * Three private redis-servers run side by side (nothing on disk; the product's
 * deploy/redis/redis.conf with appendfsync everysec; with appendfsync always), each behind a
 * collector process of its own. The load (HTTP NDJSON POSTs to /v1/events, a fixed number in
 * flight) goes to one setup at a time, in interleaved rounds, so the shared machine's changing
 * load spreads over all three. For each: accepted events/s, the 202 latency (p50/p99) and the
 * AOF's size; ratios to the no-persistence setup. Prints one JSON object.
 */
const durabilities: Durability[] = ['none', 'everysec', 'always'];

interface Setup {
  durability: Durability;
  redis: BenchRedis;
  client: Redis;
  collector: BenchCollector;
  apiKey: string;
  stream: string;
  events: number;
  refused: number;
  seconds: number;
  latenciesMs: number[];
}

async function main(): Promise<void> {
  const options = new Command('bench:redis-durability')
    .option('--seconds <n>', 'seconds of load per setup and round', Number, 5)
    .option('--rounds <n>', 'interleaved rounds over the three setups', Number, 3)
    .option('--in-flight <n>', 'concurrent requests', Number, 16)
    .option('--batch <n>', 'events per request', Number, 100)
    .option('--dir <path>', 'parent folder of the Redis data folders (a real disk: fsync on tmpfs costs nothing)')
    .parse(process.argv)
    .opts<{ seconds: number; rounds: number; inFlight: number; batch: number; dir?: string }>();

  const memberId = '0751';
  const stream = 'bench:durability:events';
  const setups: Setup[] = [];
  let aofBytes: Record<string, number> = {};
  try {
    for (const durability of durabilities) {
      const redis = await BenchRedis.start(durability, options.dir);
      const client = createRedis(redis.url, 'worker', `bench-durability-${durability}`);
      const apiKey = (await new ForwarderKeyRepository(client, 'bench').create(memberId, 'bench')).key;
      const collector = await startBenchCollector({
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        REDIS_URL: redis.url,
        KEY_PREFIX: 'bench',
        EVENTS_STREAM: stream,
        JWT_SECRET: 'bench-durability-0123456789abcdef0123456789',
        INGEST_RATE_EVENTS_PER_SECOND: '100000000',
        INGEST_RATE_BURST_EVENTS: '100000000',
      });
      setups.push({ durability, redis, client, collector, apiKey, stream, events: 0, refused: 0, seconds: 0, latenciesMs: [] });
    }
    const body = ndjson(benchEvents(options.batch));
    // Warm-up: the collectors' first requests (JIT, key cache) are not part of the figures.
    for (const setup of setups) await load(setup, body, options.batch, options.inFlight, 1, false);
    for (let round = 0; round < options.rounds; round++) {
      for (const setup of round % 2 === 0 ? setups : [...setups].reverse()) await load(setup, body, options.batch, options.inFlight, options.seconds, true);
    }
  } finally {
    await Promise.all(setups.map((s) => s.collector.stop()));
    setups.forEach((s) => s.client.disconnect());
    aofBytes = Object.fromEntries(setups.map((s) => [s.durability, s.redis.aofBytes()]));
    await Promise.all(setups.map((s) => s.redis.stop()));
  }

  interface Figures {
    eps: number;
    requests: number;
    refused_requests: number;
    p50_ack_ms: number;
    p99_ack_ms: number;
    aof_bytes: number;
  }
  const figures = Object.fromEntries(
    setups.map((s) => {
      const sorted = [...s.latenciesMs].sort((a, b) => a - b);
      return [
        s.durability,
        <Figures>{
          eps: Math.round(s.events / s.seconds),
          requests: s.latenciesMs.length,
          refused_requests: s.refused,
          p50_ack_ms: round2(percentile(sorted, 0.5)),
          p99_ack_ms: round2(percentile(sorted, 0.99)),
          aof_bytes: aofBytes[s.durability],
        },
      ];
    }),
  ) as Record<Durability, Figures>;
  const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;
  process.stdout.write(
    `${JSON.stringify({
      rounds: options.rounds,
      seconds_per_setup_and_round: options.seconds,
      in_flight: options.inFlight,
      events_per_request: options.batch,
      // The machine is shared: the load beside the benchmark explains much of the spread between runs.
      load_average_1m: Math.round(loadavg()[0] * 100) / 100,
      ...figures,
      eps_ratio_everysec_to_none: ratio(figures.everysec.eps, figures.none.eps),
      eps_ratio_always_to_none: ratio(figures.always.eps, figures.none.eps),
      p99_ratio_everysec_to_none: ratio(figures.everysec.p99_ack_ms, figures.none.p99_ack_ms),
      p99_ratio_always_to_none: ratio(figures.always.p99_ack_ms, figures.none.p99_ack_ms),
    })}\n`,
  );
}

/** `inFlight` loops POSTing the body for `seconds`; counts accepted events and each request's time to its answer. */
async function load(setup: Setup, body: Buffer, batch: number, inFlight: number, seconds: number, record: boolean): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  const target = new URL('/v1/events', setup.collector.url);
  const headers = { authorization: `ApiKey ${setup.apiKey}`, 'content-type': 'application/x-ndjson', 'content-length': String(body.length) };
  const post = () =>
    new Promise<number>((resolve, reject) => {
      const req = request(target, { method: 'POST', headers, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
  // No consumer reads the stream here: keep it short so Redis memory (and the AOF rewrite) stay flat.
  const trimmer = setInterval(() => void setup.client.xtrim(setup.stream, 'MAXLEN', '~', 1000).catch(() => undefined), 500);
  const started = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1_000;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (Date.now() < deadline) {
        const t0 = process.hrtime.bigint();
        const status = await post();
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (!record) continue;
        if (status === 202) {
          setup.events += batch;
          setup.latenciesMs.push(ms);
        } else setup.refused++;
      }
    }),
  );
  if (record) setup.seconds += Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(trimmer);
  agent.destroy();
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

main().catch((error: Error) => {
  process.stderr.write(`bench:redis-durability failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
