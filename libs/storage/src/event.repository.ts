import type { Client } from '@elastic/elasticsearch';
import type { AccessScope, SocEvent } from '@soc/contracts';
import { scopeFilter } from './alert.repository';
import { IndexNames } from './index-names';

/** Indexed events: daily indices by event time, `_id` = `event.id` so a re-indexed batch is a no-op. */
export class EventRepository {
  constructor(
    private readonly client: Client,
    private readonly names: IndexNames,
  ) {}

  /** Indexes the batch; throws if any event was not stored, so the batch is retried. */
  async bulkIndex(events: SocEvent[]): Promise<void> {
    if (events.length === 0) return;
    const operations: object[] = [];
    for (const event of events) {
      operations.push({ index: { _index: this.names.eventsIndexFor(event['@timestamp']), _id: event.event.id } }, event);
    }
    const result = await this.client.bulk({ operations, refresh: false });
    if (result.errors) {
      const failed = result.items.filter((item) => item.index?.error);
      const first = failed[0]?.index?.error;
      throw new Error(`${failed.length} of ${events.length} events not indexed: ${first?.type}: ${first?.reason}`);
    }
  }

  async findByIds(scope: AccessScope, ids: string[]): Promise<SocEvent[]> {
    if (ids.length === 0) return [];
    const result = await this.client.search<SocEvent>({
      index: this.names.eventsPattern,
      size: ids.length,
      ignore_unavailable: true,
      allow_no_indices: true,
      query: { bool: { filter: [{ terms: { 'event.id': ids } }, ...scopeFilter(scope)] } },
    });
    return result.hits.hits.map((hit) => hit._source!);
  }
}
