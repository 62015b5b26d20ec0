import type { Client } from '@elastic/elasticsearch';
import type { Redis } from '@soc/redis';
import { IndexNames } from '@soc/storage';

/** The random id `isolatedEnv()` put in every key, stream, queue and index name of one test. */
export function deploymentId(env: Record<string, string>): string {
  return env.KEY_PREFIX.split(':')[1];
}

/** Removes every Redis key of the test's deployment (streams, queues, forwarder keys, state). */
export async function removeRedisKeys(redis: Redis, env: Record<string, string>): Promise<void> {
  const keys = await redis.keys(`*${deploymentId(env)}*`);
  if (keys.length > 0) await redis.del(...keys);
}

/** Removes the test's Elasticsearch indices and index templates. */
export async function removeIndices(es: Client, env: Record<string, string>): Promise<void> {
  await es.indices.delete({ index: new IndexNames(env.INDEX_PREFIX).all, ignore_unavailable: true, allow_no_indices: true });
  await es.indices.deleteIndexTemplate({ name: `${env.INDEX_PREFIX}-*` }).catch(() => undefined);
}
