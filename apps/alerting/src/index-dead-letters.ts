import { familyKey, type Redis } from '@soc/redis';
import type { RefusedEvent } from '@soc/storage';

/**
 * Events Elasticsearch refused for a fault of their own, kept with the reason in the stream
 * `<events stream>:index-dead-letter` (fields `member`, `event_id`, `reason`, `event`) and counted
 * per member in the hash `<events stream>:index-dead-letter:count`, in one transaction. Inspect
 * with `XRANGE <stream>:index-dead-letter - +` and `HGETALL <stream>:index-dead-letter:count`.
 * Never trimmed: they are kept until an operator looks at them.
 */
export class IndexDeadLetters {
  constructor(
    private readonly redis: Redis,
    private readonly eventsStream: string,
  ) {}

  // One transaction writes the stream and its count: on a Redis Cluster they share the tag
  // `{index-dead-letter}` (or the events stream's own, which comes first); one Redis keeps the names.
  get key(): string {
    return familyKey(this.eventsStream, 'index-dead-letter', this.redis.isCluster);
  }

  get countKey(): string {
    return `${this.key}:count`;
  }

  /** Resolves once Redis has them all; rejects (so the stream entry is retried) otherwise. */
  async record(refused: RefusedEvent[]): Promise<void> {
    if (refused.length === 0) return;
    const transaction = this.redis.multi();
    for (const { event, reason } of refused) {
      const member = event.organization?.id ?? 'unknown';
      transaction.xadd(this.key, '*', 'member', member, 'event_id', event.event?.id ?? '', 'reason', reason, 'event', JSON.stringify(event));
      transaction.hincrby(this.countKey, member, 1);
    }
    const results = await transaction.exec();
    if (!results) throw new Error('Redis discarded the dead-letter transaction');
    for (const [error] of results) if (error) throw error;
  }
}
