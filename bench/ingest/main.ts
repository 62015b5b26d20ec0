import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { ForwarderKeyRepository } from '@soc/auth';
import { EventsStream } from '@soc/event-stream';
import { createRedis, type Redis } from '@soc/redis';
import { benchEvents, ndjson, stamped } from './bench-events';
import { type BenchCollector, startBenchCollector } from './collector-process';
import { cpuSteps } from './cpu-steps';
import { ndjsonPoster, sustain } from './load';
import { syslogTcp } from './syslog-tcp';

/**
 * `npm run bench:ingest`: sustained events/s of the collector's HTTP NDJSON path against a
 * Redis-only baseline (the same batches XADDed directly), in one run on one Redis. Prints one
 * JSON object. The stream has no consumer group (no backlog refusals) and is trimmed while the
 * load runs so Redis memory stays flat.
 */
export interface BenchContext {
  redis: Redis;
  stream: string;
  keyPrefix: string;
  memberId: string;
  apiKey: string;
  collectors: BenchCollector[];
  seconds: number;
  inFlight: number;
}

export type Phase = (context: BenchContext) => Promise<Record<string, number>>;

const httpNdjson =
  (batch: number): Phase =>
  async (context) => {
    const body = ndjson(benchEvents(batch));
    const agents = context.collectors.map(() => new Agent({ keepAlive: true, maxSockets: context.inFlight }));
    const posters = context.collectors.map((c, i) => ndjsonPoster(c.url, context.apiKey, agents[i], body, batch));
    let next = 0;
    // Round robin over the collector processes, as a load balancer would.
    const result = await sustain(context.inFlight, context.seconds, () => posters[next++ % posters.length]());
    agents.forEach((agent) => agent.destroy());
    return { [`http_ndjson_${batch}_eps`]: result.eps, [`http_ndjson_${batch}_refused_requests`]: result.refused };
  };

const redisBaseline =
  (batch: number): Phase =>
  async (context) => {
    const events = stamped(benchEvents(batch), context.memberId);
    const stream = new EventsStream(context.redis, context.stream, 500);
    const result = await sustain(context.inFlight, context.seconds, async () => ((await stream.append(events)).length > 0 ? batch : 0));
    return { [`redis_baseline_${batch}_eps`]: result.eps };
  };

/**
 * The phases, run in this order. A transport adds its own here (the syslog benchmark adds
 * `syslog_tcp_lps`), getting the running collectors, a key and the stream through the context.
 */
export const ingestPhases: Phase[] = [async () => cpuSteps(), redisBaseline(100), redisBaseline(1000), httpNdjson(100), httpNdjson(1000), syslogTcp];

async function main(): Promise<void> {
  const options = new Command('bench:ingest')
    .option('--seconds <n>', 'duration of each phase', Number, 5)
    .option('--in-flight <n>', 'concurrent requests', Number, 16)
    .option('--collectors <n>', 'collector processes (the client spreads requests over them)', Number, 1)
    .parse(process.argv)
    .opts<{ seconds: number; inFlight: number; collectors: number }>();

  const id = randomUUID().slice(0, 8);
  const keyPrefix = `bench:${id}`;
  const stream = `bench:${id}:events`;
  const redisUrl = 'redis://127.0.0.1:6379';
  const redis = createRedis(redisUrl, 'worker', 'bench-ingest');
  const memberId = '0751';
  const apiKey = (await new ForwarderKeyRepository(redis, keyPrefix).create(memberId, 'bench')).key;
  const membersFile = join(mkdtempSync(join(tmpdir(), 'bench-ingest-')), 'members.yaml');
  writeFileSync(membersFile, `members:\n  - id: "${memberId}"\n    forwarder_addresses: ["127.0.0.1/32"]\n`);
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    REDIS_URL: redisUrl,
    KEY_PREFIX: keyPrefix,
    EVENTS_STREAM: stream,
    JWT_SECRET: `bench-${id}-0123456789abcdef0123456789`,
    // Production refuses to start without an identity provider; the local Keycloak of
    // scripts/services.sh (the bench sends no bearer token, only forwarder keys and syslog).
    OIDC_ISSUER: process.env.OIDC_ISSUER ?? 'http://127.0.0.1:8180/realms/soc',
    INGEST_RATE_EVENTS_PER_SECOND: '100000000',
    INGEST_RATE_BURST_EVENTS: '100000000',
    // Syslog senders are known by address: 127.0.0.1 forwards for the benchmark's member.
    SYSLOG_INPUTS: 'tcp',
    MEMBERS_FILE: membersFile,
  };
  const collectors = await Promise.all(Array.from({ length: options.collectors }, () => startBenchCollector(env)));
  const trimmer = setInterval(() => void redis.xtrim(stream, 'MAXLEN', '~', 1000).catch(() => undefined), 500);
  const context: BenchContext = { redis, stream, keyPrefix, memberId, apiKey, collectors, seconds: options.seconds, inFlight: options.inFlight };
  const figures: Record<string, number> = {};
  try {
    for (const phase of ingestPhases) {
      await redis.del(stream);
      Object.assign(figures, await phase(context));
    }
  } finally {
    clearInterval(trimmer);
    await Promise.all(collectors.map((c) => c.stop()));
    rmSync(dirname(membersFile), { recursive: true, force: true });
    const keys = await redis.keys(`bench:${id}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
  const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;
  process.stdout.write(
    `${JSON.stringify({
      collectors: options.collectors,
      in_flight: options.inFlight,
      seconds_per_phase: options.seconds,
      // The machine is shared: the load beside the benchmark explains much of the spread between runs.
      load_average_1m: Math.round(loadavg()[0] * 100) / 100,
      ...figures,
      redis_baseline_eps: figures.redis_baseline_1000_eps,
      ratio_http_100_to_redis: ratio(figures.http_ndjson_100_eps, figures.redis_baseline_100_eps),
      ratio_http_1000_to_redis: ratio(figures.http_ndjson_1000_eps, figures.redis_baseline_1000_eps),
    })}\n`,
  );
}

main().catch((error: Error) => {
  process.stderr.write(`bench:ingest failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
