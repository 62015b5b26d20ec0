import Redis, { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import { isRedisClusterUrl, parseRedisClusterUrl, type RedisClusterAddress } from '@soc/config';

export type RedisRole = 'producer' | 'consumer' | 'worker';

/**
 * One place that says how each kind of Redis client behaves when Redis is away:
 * - `producer` (the collector's ingest path, API calls) fails fast instead of queueing commands,
 *   so a sender gets 503 at once and retries, rather than a request that hangs;
 * - `consumer` and `worker` (stream readers, BullMQ workers) wait and reconnect forever, as
 *   BullMQ's production guide asks (`maxRetriesPerRequest: null`).
 * All reconnect by themselves when Redis comes back.
 *
 * A `redis+cluster://` URL (docs/CONFIGURATION.md) gives an ioredis `Cluster` with the same
 * behaviour per role. It is handed out as the same `Redis` type: the product sends the same
 * commands to both; what a cluster refuses (a MULTI, pipeline, MGET or script over keys in
 * different slots) is kept away by the key layout (docs/SCALING.md, `familyKey`, `spreadTag`),
 * and `redis.isCluster` tells the two apart where the layout differs.
 */
export function createRedis(url: string, role: RedisRole, name: string): Redis {
  if (isRedisClusterUrl(url)) return createCluster(clusterAddress(url), role, name) as unknown as Redis;
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

function clusterAddress(url: string): RedisClusterAddress {
  const parsed = parseRedisClusterUrl(url);
  if ('problems' in parsed) throw new Error(`REDIS_URL: ${parsed.problems.join('; ')}`);
  return parsed.address;
}

/**
 * A master that dies is replaced by its replica once the other masters agree it is gone
 * (`cluster-node-timeout`, 15 s by default, plus an election). Until then its slots answer
 * "connection closed" or CLUSTERDOWN; ioredis retries such a command after `retryDelayOnFailover`
 * / `retryDelayOnClusterDown`, re-reading the slot layout, at most `maxRedirections` times.
 * Consumers and workers ride through two minutes of that (400 × 300 ms), as they wait for a single
 * Redis; producers give up after about 1.6 s (ioredis's defaults), so the sender gets 503 and retries.
 */
export const clusterFailoverPatience = {
  producer: { retryDelayMs: 100, maxRedirections: 16 },
  waiting: { retryDelayMs: 300, maxRedirections: 400 },
} as const;

/** The ioredis Cluster options of a role; exported for its spec. */
export function clusterOptions(address: RedisClusterAddress, role: RedisRole, name: string): ClusterOptions {
  const patience = role === 'producer' ? clusterFailoverPatience.producer : clusterFailoverPatience.waiting;
  const node: ClusterOptions['redisOptions'] = {
    connectionName: name,
    ...(address.username !== undefined && { username: address.username }),
    ...(address.password !== undefined && { password: address.password }),
    ...(address.tls && { tls: {} }),
    ...(role === 'producer' ? { maxRetriesPerRequest: 1, connectTimeout: 2_000 } : { maxRetriesPerRequest: null }),
  };
  return {
    redisOptions: node,
    // Reads go to masters: the correlator's compare-and-set and the stream groups must not read a lagging replica.
    scaleReads: 'master',
    // Ready only once CLUSTER INFO says cluster_state:ok, so no command meets a half-formed cluster.
    enableReadyCheck: true,
    enableOfflineQueue: role !== 'producer',
    clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    retryDelayOnFailover: patience.retryDelayMs,
    retryDelayOnClusterDown: patience.retryDelayMs,
    retryDelayOnTryAgain: patience.retryDelayMs,
    maxRedirections: patience.maxRedirections,
    lazyConnect: false,
  };
}

function createCluster(address: RedisClusterAddress, role: RedisRole, name: string): Cluster {
  const cluster = new Cluster(address.seeds, clusterOptions(address, role, name));
  // As for one Redis: expected while nodes are down or failing over; the readiness probe shows it.
  cluster.on('error', () => undefined);
  cluster.on('node error', () => undefined);
  return cluster;
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
