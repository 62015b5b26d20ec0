import Redis, { type RedisOptions } from 'ioredis';

export type RedisRole = 'producer' | 'consumer' | 'worker';

/**
 * One place that says how each kind of Redis client behaves when Redis is away:
 * - `producer` (the collector's ingest path, API calls) fails fast instead of queueing commands,
 *   so a sender gets 503 at once and retries, rather than a request that hangs;
 * - `consumer` and `worker` (stream readers, BullMQ workers) wait and reconnect forever, as
 *   BullMQ's production guide asks (`maxRetriesPerRequest: null`).
 * All reconnect by themselves when Redis comes back.
 */
export function createRedis(url: string, role: RedisRole, name: string): Redis {
  const common: RedisOptions = {
    connectionName: name,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    lazyConnect: false,
  };
  const options: RedisOptions =
    role === 'producer'
      ? { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 }
      : { ...common, enableOfflineQueue: true, maxRetriesPerRequest: null };
  const redis = new Redis(url, options);
  // Without a listener ioredis reports connection errors as unhandled; they are expected while
  // Redis is down and are visible through the readiness probe instead.
  redis.on('error', () => undefined);
  return redis;
}

/** True when this client can run a command now (used by readiness probes). */
export async function pingRedis(redis: Redis, timeoutMs = 1_000): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
    });
    return (await Promise.race([redis.ping(), timeout])) === 'PONG';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
