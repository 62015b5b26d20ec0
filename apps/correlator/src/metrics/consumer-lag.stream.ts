import type { Redis } from '@soc/redis';
import type { ConsumerLag } from './correlator-metrics';

/**
 * The consumer group's lag and pending count over every partition of the events stream, from XINFO
 * GROUPS (Redis 7 reports `lag`): summed, and `lag` null when any partition cannot tell.
 */
export async function readConsumerLag(redis: Redis, streams: readonly string[], group: string): Promise<ConsumerLag> {
  const partitions = await Promise.all(streams.map((stream) => readPartitionLag(redis, stream, group)));
  return {
    lag: partitions.some((p) => p.lag === null) ? null : partitions.reduce((sum, p) => sum + p.lag!, 0),
    pending: partitions.reduce((sum, p) => sum + p.pending, 0),
  };
}

async function readPartitionLag(redis: Redis, stream: string, group: string): Promise<ConsumerLag> {
  const groups = (await redis.xinfo('GROUPS', stream)) as unknown[][];
  for (const fields of groups) {
    const info = new Map<string, unknown>();
    for (let i = 0; i + 1 < fields.length; i += 2) info.set(String(fields[i]), fields[i + 1]);
    if (info.get('name') !== group) continue;
    const lag = info.get('lag');
    return { lag: lag === null || lag === undefined ? null : Number(lag), pending: Number(info.get('pending') ?? 0) };
  }
  return { lag: null, pending: 0 };
}
