import { readFileSync } from 'node:fs';
import type { Client } from '@elastic/elasticsearch';
import type { Redis } from '@soc/redis';

/** CPU seconds (user + system) each part of the run has used so far. */
export type CpuReading = Record<string, number>;

/** A process's user + system CPU seconds from /proc (Linux): fields 14 and 15 of its stat, in clock ticks. */
function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100; // USER_HZ; `getconf CLK_TCK` is 100 on Linux x86_64
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** Elasticsearch's own CPU as its node stats report it, summed over the nodes of the cluster. */
async function elasticsearchCpuSeconds(es: Client): Promise<number> {
  const stats = await es.nodes.stats({ metric: 'process', filter_path: 'nodes.*.process.cpu.total_in_millis' });
  return Object.values(stats.nodes ?? {}).reduce((sum, node) => sum + (node.process?.cpu?.total_in_millis ?? 0), 0) / 1000;
}

/** Redis's own CPU (INFO cpu); null on a Redis Cluster, whose nodes this bench does not walk. */
export async function redisCpuSeconds(redis: Redis): Promise<number | null> {
  if (redis.isCluster) return null;
  const info = await redis.info('cpu');
  const value = (name: string) => Number(info.match(new RegExp(`^${name}:([0-9.]+)`, 'm'))?.[1] ?? 0);
  return value('used_cpu_sys') + value('used_cpu_user');
}

/**
 * Where the CPU of a run goes: each product process (by pid), Elasticsearch, Redis and the bench
 * process itself (the load generator). Read before and after a phase; `perEvent` turns the
 * difference into microseconds of CPU per event, the figure that says how many cores each part
 * needs at a given rate (docs/PERFORMANCE.md, "Where the CPU goes").
 */
export class CpuAccounting {
  constructor(
    private readonly es: Client,
    private readonly redis: Redis,
  ) {}

  async read(processes: Record<string, number | undefined>): Promise<CpuReading> {
    const reading: CpuReading = {};
    for (const [name, pid] of Object.entries(processes)) {
      if (pid === undefined) continue;
      try {
        reading[name] = processCpuSeconds(pid);
      } catch {
        // A process that has exited has no /proc entry; the difference then leaves it out.
      }
    }
    reading['elasticsearch'] = await elasticsearchCpuSeconds(this.es);
    const redisSeconds = await redisCpuSeconds(this.redis);
    if (redisSeconds !== null) reading['redis'] = redisSeconds;
    const own = process.cpuUsage();
    reading['load_generator'] = (own.user + own.system) / 1e6;
    return reading;
  }
}

/** Microseconds of CPU per event of each part between two readings (parts missing from either are left out). */
export function perEvent(before: CpuReading, after: CpuReading, events: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, end] of Object.entries(after)) {
    const start = before[name];
    if (start === undefined || events <= 0) continue;
    out[name] = Number((((end - start) * 1e6) / events).toFixed(1));
  }
  return out;
}

/** CPU seconds of each part between two readings. */
export function secondsBetween(before: CpuReading, after: CpuReading): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, end] of Object.entries(after)) {
    const start = before[name];
    if (start !== undefined) out[name] = Number((end - start).toFixed(2));
  }
  return out;
}
