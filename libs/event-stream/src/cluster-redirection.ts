import type { Cluster } from 'ioredis';
import type Redis from 'ioredis';

/**
 * A Redis Cluster node's answer that a key's slot is served elsewhere (`MOVED <slot> <host:port>`),
 * as one command of a pipeline received it.
 *
 * ioredis follows a MOVED inside a pipeline only when every command that succeeded is read-only.
 * A pipeline that carries WAIT after its MULTI/EXEC is not (WAIT is no read), so after a failover
 * the MOVED reaches the caller instead, and ioredis does not learn the new layout from it: every
 * later pipeline went to the same wrong node (found by events-stream-replicas-cluster.int-spec,
 * 30 s of MOVED). The caller refreshes the slot table (`refreshSlots`) and sends again; nothing was
 * written, since a command refused while queueing aborts the whole transaction.
 */
export function isMoved(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('MOVED ');
}

/** Reads the cluster's slot layout again; resolves when it is read (or could not be: the next attempt then fails as before). */
export function refreshSlots(redis: Redis): Promise<void> {
  if (!redis.isCluster) return Promise.resolve();
  return new Promise((resolve) => (redis as unknown as Cluster).refreshSlotsCache(() => resolve()));
}
