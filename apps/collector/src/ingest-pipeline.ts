import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@soc/config';
import type { SocEvent } from '@soc/contracts';
import { EventsStream, type AppendedBatch } from '@soc/event-stream';
import { MemberDirectory } from '@soc/members';
import { StructuredLogger } from '@soc/platform';
import { APP_CONFIG } from './collector.providers';
import { IngestBacklog } from './ingest-backlog';
import { IngestionMetrics, type Transport } from './ingestion-metrics';
import { MemberRateLimitRepository, type RateLimit } from './member-rate-limit.repository';
import { MemberRateLimiter } from './member-rate-limiter';
import { RetimedEventsCounter } from './retimed-events';

export type SubmitOutcome = { accepted: number } | { refused: 'unavailable' | 'backlog' | 'rate_limited'; retryAfterSeconds: number };

const UNAVAILABLE_RETRY_SECONDS = 5;
const BACKLOG_RETRY_SECONDS = 2;

/**
 * The one way events enter the stream, whatever transport they came by: admission (backlog
 * limit, per-member rate limit), the append, and the counting. A caller acknowledges its sender
 * only on `accepted`; on `refused` it refuses visibly (HTTP 503/429, TCP stops reading, UDP
 * counts a drop). Each accepted submission gets a correlation id, written into its stream entries
 * and logged here with the member and batch ids ("batch accepted"), so one delivery can be followed
 * to the alerts it raised (docs/LOGGING.md).
 */
@Injectable()
export class IngestPipeline {
  private readonly logger = new StructuredLogger(IngestPipeline.name);
  private readonly defaultLimit: RateLimit;
  private readonly rateLimits: MemberRateLimiter;
  private readonly retimed: RetimedEventsCounter;

  constructor(
    private readonly stream: EventsStream,
    private readonly metrics: IngestionMetrics,
    private readonly backlog: IngestBacklog,
    buckets: MemberRateLimitRepository,
    private readonly members: MemberDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.rateLimits = new MemberRateLimiter(buckets);
    this.retimed = new RetimedEventsCounter(metrics.registry);
    this.defaultLimit = { eventsPerSecond: config.ingest.rateEventsPerSecond, burstEvents: config.ingest.rateBurstEvents };
  }

  async submit(memberId: string, transport: Transport, events: SocEvent[]): Promise<SubmitOutcome> {
    if (this.backlog.current > this.config.ingest.backlogLimitEntries) {
      this.metrics.refused(memberId, transport, 'backlog', events.length);
      return { refused: 'backlog', retryAfterSeconds: BACKLOG_RETRY_SECONDS };
    }
    const correlationId = randomUUID();
    let appended: AppendedBatch[];
    try {
      const decision = await this.rateLimits.take(memberId, events.length, this.limitOf(memberId));
      if (!decision.allowed) {
        this.metrics.refused(memberId, transport, 'rate_limited', events.length);
        return { refused: 'rate_limited', retryAfterSeconds: decision.retryAfterSeconds };
      }
      appended = await this.stream.append(events, correlationId);
    } catch (error) {
      // Only the store being away is "unavailable" (retry later); anything else is a fault that a
      // retry would repeat forever, so it must not be dressed up as one.
      if (!isStoreFailure(error)) throw error;
      this.metrics.refused(memberId, transport, 'unavailable', events.length);
      return { refused: 'unavailable', retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS };
    }
    this.metrics.accepted(memberId, transport, events);
    this.retimed.count(memberId, transport, events);
    this.logger.info(
      { member_id: memberId, transport, correlation_id: correlationId, batch_ids: appended.map((b) => b.batch_id), events: events.length },
      'batch accepted',
    );
    return { accepted: events.length };
  }

  private limitOf(memberId: string): RateLimit {
    const override = this.members.get(memberId)?.ingest_rate;
    return override ? { eventsPerSecond: override.events_per_second, burstEvents: override.burst_events } : this.defaultLimit;
  }
}

/**
 * A failure of Redis (connection closed, not writable, a reply error): not one of JavaScript's
 * own errors, which mean a fault in the data or the code (a RangeError from serialising an
 * over-deep event was once answered `503 unavailable`, telling the sender to retry forever).
 */
export function isStoreFailure(error: unknown): boolean {
  return (
    error instanceof Error && !(error instanceof RangeError || error instanceof TypeError || error instanceof SyntaxError || error instanceof ReferenceError)
  );
}
