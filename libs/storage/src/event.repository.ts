import type { Client } from '@elastic/elasticsearch';
import type { AccessScope, SocEvent } from '@soc/contracts';
import { scopeFilter } from './alert.repository';
import { EventTimeOutsideWindowError, IndexNames } from './index-names';

/** An event Elasticsearch refused for a reason of its own (its shape or time): retrying cannot help. */
export interface RefusedEvent {
  event: SocEvent;
  /** `<error type>: <reason>` as Elasticsearch gave it, or why no index could be named. */
  reason: string;
}

/** Elasticsearch's verdict on a bulk item: a document fault is final; 429 and 5xx are not. */
function isDocumentFault(status: number): boolean {
  return status >= 400 && status < 500 && status !== 429;
}

const bulkReplyFields = ['errors', 'items.*.status', 'items.*.error.type', 'items.*.error.reason'];

/** Indexed events: daily indices by event time, `_id` = `event.id` so a re-indexed batch is a no-op. */
export class EventRepository {
  constructor(
    private readonly client: Client,
    private readonly names: IndexNames,
  ) {}

  /**
   * Indexes the batch and returns the events refused for a fault of the document (a 4xx other
   * than 429, or an event time no index may be created for), which retrying cannot fix: the
   * caller keeps them as dead letters. Throws when anything failed that may succeed later (a
   * request error, 429, 5xx), so the whole batch is retried; re-indexing by `_id` is idempotent.
   */
  async bulkIndex(events: SocEvent[]): Promise<RefusedEvent[]> {
    const refused: RefusedEvent[] = [];
    const sent: SocEvent[] = [];
    const operations: object[] = [];
    // One now for the whole batch: the window's days are worked out once, not per event.
    const nowMs = Date.now();
    for (const event of events) {
      let index: string;
      try {
        index = this.names.eventsIndexFor(event['@timestamp'], nowMs);
      } catch (error) {
        if (!(error instanceof EventTimeOutsideWindowError)) throw error;
        refused.push({ event, reason: `event_time_outside_window: ${error.message}` });
        continue;
      }
      operations.push({ index: { _index: index, _id: event.event.id } }, event);
      sent.push(event);
    }
    if (sent.length === 0) return refused;
    // Only each item's status and error come back (in order, one per operation): the indexer reads
    // nothing else, and parsing the full reply cost the alerting process CPU the bulk itself needed.
    const result = await this.client.bulk({ operations, refresh: false, filter_path: bulkReplyFields });
    if (!result.errors) return refused;
    let retryable = 0;
    let firstRetryable = '';
    result.items.forEach((item, i) => {
      const outcome = item.index;
      if (!outcome?.error) return;
      const reason = `${outcome.error.type}: ${outcome.error.reason ?? ''}`;
      if (isDocumentFault(outcome.status)) {
        refused.push({ event: sent[i], reason });
      } else {
        retryable++;
        firstRetryable ||= `${outcome.status} ${reason}`;
      }
    });
    if (retryable > 0) throw new Error(`${retryable} of ${events.length} events not indexed, will retry: ${firstRetryable}`);
    return refused;
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
