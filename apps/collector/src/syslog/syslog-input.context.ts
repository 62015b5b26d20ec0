import type { Logger } from '@nestjs/common';
import type { EventTimeWindow } from '@soc/contracts';
import type { EventLimits } from '@soc/ingest';
import type { Transport } from '../ingestion-metrics';
import type { IngestDeadLetters } from '../ingest-dead-letters';
import type { IngestionMetrics } from '../ingestion-metrics';
import type { IngestPipeline } from '../ingest-pipeline';
import type { ForwarderIdentities } from './forwarder-identities';
import type { ReadMessage } from './syslog-message-reader';

/** Batches of up to 500 messages or 50 ms, whichever comes first. */
export const syslogBatchEvents = 500;
export const syslogBatchWaitMs = 50;

/** What every syslog input shares: the collector seams, who senders are, how to read them. */
export interface SyslogInputContext {
  pipeline: IngestPipeline;
  deadLetters: IngestDeadLetters;
  metrics: IngestionMetrics;
  identities: ForwarderIdentities;
  maxMessageBytes: number;
  timeZone: string;
  /** Bounds on one event and the event-time window, as for HTTP (docs/INGEST.md). */
  eventLimits: EventLimits;
  eventTimeWindow: EventTimeWindow;
  logger: Logger;
}

/** Keeps an unreadable message with its reason; a Redis failure here is logged, it was counted already. */
export function deadLetter(context: SyslogInputContext, memberId: string, transport: Transport, message: ReadMessage & { ok: false }): void {
  context.deadLetters.record(memberId, transport, message.raw, message.reason).catch((error: Error) => {
    context.logger.warn(`syslog dead letter of member ${memberId} (${transport}) not stored: ${error.message}`);
  });
}
