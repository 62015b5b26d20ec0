import { Counter, type Registry } from 'prom-client';
import type { SocEvent } from '@soc/contracts';
import { wasRetimed } from '@soc/ingest';
import type { Transport } from './ingestion-metrics';

/**
 * Counts accepted events whose own time lay outside the event-time window and that were placed
 * at their arrival time instead (`soc_ingest_events_retimed_total{member,transport}`): a member
 * whose count grows has a forwarder with a wrong clock or a replayed backlog.
 */
export class RetimedEventsCounter {
  private readonly counter: Counter<'member' | 'transport'>;

  constructor(registry: Registry) {
    this.counter = new Counter({
      name: 'soc_ingest_events_retimed_total',
      help: 'Accepted events indexed at their arrival time because their @timestamp was outside the event-time window',
      labelNames: ['member', 'transport'],
      registers: [registry],
    });
  }

  count(memberId: string, transport: Transport, events: SocEvent[]): void {
    let retimed = 0;
    for (const event of events) if (wasRetimed(event)) retimed++;
    if (retimed > 0) this.counter.inc({ member: memberId, transport }, retimed);
  }
}
