import { Injectable } from '@nestjs/common';
import type { SocEvent } from '@soc/contracts';
import { EventsStream } from '@soc/event-stream';
import { IngestionMetrics, type Transport } from './ingestion-metrics';

export type SubmitOutcome =
  | { accepted: number }
  | { refused: 'unavailable' | 'backlog' | 'rate_limited'; retryAfterSeconds: number };

/**
 * The one way events enter the stream, whatever transport they came by: admission (backlog
 * limit, per-member rate limit), the append, and the counting. A caller acknowledges its sender
 * only on `accepted`; on `refused` it refuses visibly (HTTP 503/429, TCP stops reading, UDP
 * counts a drop).
 */
@Injectable()
export class IngestPipeline {
  constructor(
    private readonly stream: EventsStream,
    private readonly metrics: IngestionMetrics,
  ) {}

  async submit(memberId: string, transport: Transport, events: SocEvent[]): Promise<SubmitOutcome> {
    try {
      await this.stream.append(events);
    } catch {
      this.metrics.refused(memberId, transport, 'unavailable', events.length);
      return { refused: 'unavailable', retryAfterSeconds: 5 };
    }
    this.metrics.accepted(memberId, transport, events);
    return { accepted: events.length };
  }
}
