import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { SocEvent } from '@soc/contracts';

/**
 * The producer side of the events firehose. Events travel in batches: one stream entry holds
 * up to `batchSize` events, which is what makes Redis Streams fast enough (docs/ARCHITECTURE.md).
 */
export class EventsStream {
  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly batchSize: number,
  ) {}

  /**
   * Appends the events and resolves only once Redis has every entry: the caller may then
   * acknowledge them to the sender. Rejects (nothing acknowledged) if Redis is unavailable.
   */
  async append(events: SocEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    const pipeline = this.redis.multi();
    for (let i = 0; i < events.length; i += this.batchSize) {
      const batch = { batch_id: randomUUID(), events: events.slice(i, i + this.batchSize) };
      pipeline.xadd(this.key, '*', 'b', JSON.stringify(batch));
    }
    const results = await pipeline.exec();
    if (!results) throw new Error('Redis discarded the transaction');
    return results.map(([error, id]) => {
      if (error) throw error;
      return id as string;
    });
  }

  /** Entries written but not yet acknowledged by the slowest consumer group. */
  async backlog(): Promise<number> {
    const groups = (await this.redis.xinfo('GROUPS', this.key).catch(() => [])) as unknown[][];
    let worst = 0;
    for (const group of groups) {
      const fields = toRecord(group);
      const lag = Number(fields['lag'] ?? 0) + Number(fields['pending'] ?? 0);
      if (lag > worst) worst = lag;
    }
    return worst;
  }
}

function toRecord(flat: unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) record[String(flat[i])] = flat[i + 1];
  return record;
}
