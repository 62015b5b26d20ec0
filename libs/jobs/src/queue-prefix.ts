import { queuePrefix, type JobKind, type JobSettings } from '@soc/contracts';

/**
 * The BullMQ prefix of a queue on this connection. On a single Redis the catalogue's (`bull`, or
 * `<KEY_PREFIX>:bull`), so queued jobs are found across an upgrade. On a Redis Cluster BullMQ's
 * scripts touch several keys of one queue at once, so, as BullMQ documents, the prefix carries a
 * hash tag; it is the queue's own name, `<prefix>:{<queue>}`, so each queue has its slot and the
 * queues spread over the masters instead of sharing one (docs/SCALING.md "Redis Cluster").
 */
export function bullPrefix(kind: Pick<JobKind, 'prefix'>, queueName: string, settings: JobSettings, cluster: boolean): string | undefined {
  const prefix = queuePrefix(kind, settings);
  return cluster ? `${prefix ?? 'bull'}:{${queueName}}` : prefix;
}
