import type { SocEvent } from '@soc/contracts';
import { CorrelationStores, InMemoryCampaignStore } from '@soc/correlation';
import { InMemoryWindowStore } from '@soc/sigma';

/**
 * The bench replays six hours of events in seconds. Live, event time and wall clock move together,
 * so window keys expire (TTL) as event time passes; in a replay the wall clock barely moves and the
 * in-memory store would keep every key ever touched. The stores therefore get a clock that reads the
 * newest event time of the batch in flight, as a live correlator's wall clock would.
 */
export class ReplayClock {
  private time = 0;

  readonly now = (): number => this.time;

  advance(batch: readonly SocEvent[]): void {
    const last = Date.parse(batch[batch.length - 1]['@timestamp']);
    if (last > this.time) this.time = last;
  }

  stores(): CorrelationStores {
    return { windows: new InMemoryWindowStore({ now: this.now }), campaigns: new InMemoryCampaignStore() };
  }
}
