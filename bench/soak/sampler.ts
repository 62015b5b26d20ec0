import { loadavg } from 'node:os';
import type { Client } from '@elastic/elasticsearch';
import type { Redis } from '@soc/redis';
import { percentile } from '../../tools/soak/trend';
import type { Canaries } from './canaries';
import type { SteadyLoad } from './load';
import type { SoakProcess } from './soak-process';

/** One row of the soak's samples file: everything measured at one instant. */
export interface Sample {
  /** Seconds since the steady phase began. */
  t: number;
  at: string;
  load_average_1m: number;
  apps: Record<string, { rss_bytes: number | null; heap_used_bytes: number | null; event_loop_p99_ms: number | null }>;
  /** The whole Redis server's used_memory: shared with anything else on that Redis. */
  redis_used_memory_bytes: number;
  /** MEMORY USAGE of this run's events stream. */
  events_stream_memory_bytes: number | null;
  events_stream_length: number;
  /** Keys of this run (its KEY_PREFIX and its detections queue), counted by SCAN, and by family. */
  run_keys: number;
  run_keys_by_family: Record<string, number>;
  groups: Record<string, { lag: number | null; pending: number }>;
  detections_queue_waiting: number;
  events_accepted: number;
  events_indexed: number;
  requests_refused: number;
  canaries_detected: number;
  canaries_missed: number;
  detect_latency_p50_ms: number | null;
  detect_latency_p99_ms: number | null;
}

export function flatRecord(flat: unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) record[String(flat[i])] = flat[i + 1];
  return record;
}

/**
 * The events stream's consumer groups, summed over its partitions (EVENTS_STREAM_PARTITIONS): lag
 * (null when Redis cannot tell for any partition), pending and entries read.
 */
export async function consumerGroups(
  redis: Redis,
  streams: readonly string[],
): Promise<Record<string, { lag: number | null; pending: number; entriesRead: number }>> {
  const result: Record<string, { lag: number | null; pending: number; entriesRead: number }> = {};
  for (const stream of streams) {
    const groups = (await redis.xinfo('GROUPS', stream).catch(() => [])) as unknown[][];
    for (const g of groups) {
      const info = flatRecord(g);
      const lag = info['lag'] === null || info['lag'] === undefined ? null : Number(info['lag']);
      const sum = (result[String(info['name'])] ??= { lag: 0, pending: 0, entriesRead: 0 });
      sum.lag = sum.lag === null || lag === null ? null : sum.lag + lag;
      sum.pending += Number(info['pending'] ?? 0);
      sum.entriesRead += Number(info['entries-read'] ?? 0);
    }
  }
  return result;
}

/**
 * The run's keys by family: the key with the run id and every segment after the next one dropped
 * (`soak:<id>:window:…` → `soak:*:window`, `bull:soak-<id>-detections:<job id>` → `bull:*:<id>`), so a
 * growing count names what grows.
 */
export async function countKeys(redis: Redis, id: string): Promise<Record<string, number>> {
  let cursor = '0';
  const families: Record<string, number> = {};
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*${id}*`, 'COUNT', 5000);
    cursor = next;
    for (const key of keys) {
      const segments = key.split(':');
      const at = segments.findIndex((s) => s.includes(id));
      // A job id (hex, digits) or a window key is not a family: one name for all of them.
      const next = segments.slice(at + 1, at + 2).map((s) => (/^[a-z][a-z-]*$/.test(s) ? s : '<id>'));
      const family = [...segments.slice(0, at), '*', ...next].join(':');
      families[family] = (families[family] ?? 0) + 1;
    }
  } while (cursor !== '0');
  return families;
}

export interface SamplerContext {
  redis: Redis;
  es: Client;
  /** The events stream's partition keys (one key unless EVENTS_STREAM_PARTITIONS > 1). */
  streams: readonly string[];
  eventsPattern: string;
  runId: string;
  detectionsWaiting: () => Promise<number>;
  apps: SoakProcess[];
  load: SteadyLoad;
  canaries: Canaries;
  started: number;
}

export async function takeSample(c: SamplerContext): Promise<Sample> {
  const apps: Sample['apps'] = {};
  for (const app of c.apps) {
    const [rss, runtime] = await Promise.all([app.rssBytes(), app.runtimeMetrics()]);
    apps[app.app] = { rss_bytes: rss, heap_used_bytes: runtime.heapUsedBytes, event_loop_p99_ms: runtime.eventLoopP99Ms };
  }
  const memory = /^used_memory:(\d+)/m.exec(await c.redis.info('memory'))?.[1];
  const groups = await consumerGroups(c.redis, c.streams);
  const indexed = await c.es.count({ index: c.eventsPattern, allow_no_indices: true }).catch(() => ({ count: Number.NaN }));
  const latencies = c.canaries.takeLatencies();
  const families = await countKeys(c.redis, c.runId);
  return {
    t: Math.round((Date.now() - c.started) / 100) / 10,
    at: new Date().toISOString(),
    load_average_1m: loadavg()[0]!,
    apps,
    redis_used_memory_bytes: Number(memory),
    events_stream_memory_bytes: await streamsMemory(c.redis, c.streams),
    events_stream_length: (await Promise.all(c.streams.map((s) => c.redis.xlen(s)))).reduce((a, b) => a + b, 0),
    run_keys: Object.values(families).reduce((a, b) => a + b, 0),
    run_keys_by_family: families,
    groups: Object.fromEntries(Object.entries(groups).map(([name, g]) => [name, { lag: g.lag, pending: g.pending }])),
    detections_queue_waiting: await c.detectionsWaiting(),
    events_accepted: c.load.counters.accepted + c.canaries.accepted,
    events_indexed: indexed.count,
    requests_refused: c.load.counters.refusedRequests,
    canaries_detected: c.canaries.detected,
    canaries_missed: c.canaries.missed,
    detect_latency_p50_ms: percentile(latencies, 50),
    detect_latency_p99_ms: percentile(latencies, 99),
  };
}

/** MEMORY USAGE of the events stream's partitions together; null when Redis cannot tell for one. */
async function streamsMemory(redis: Redis, streams: readonly string[]): Promise<number | null> {
  const usages = await Promise.all(streams.map(async (s) => ((await redis.call('MEMORY', 'USAGE', s).catch(() => null)) as number | null) ?? null));
  return usages.some((u) => u === null) ? null : usages.reduce((a, b) => a! + b!, 0);
}
