import type { Queue } from 'bullmq';
import type { AppConfig } from '@soc/config';
import { EventsStream } from '@soc/event-stream';
import type { Redis } from '@soc/redis';
import type { DeadLetterStore } from './dead-letter-store';
import { ingestReplayer } from './ingest-replay';
import { IndexDeadLetters, IngestDeadLetters, StreamDeadLetters } from './redis-stream-stores';
import { WebhookDeadLetters } from './webhook-store';

/**
 * Every kind of dead letter of one deployment, as the alerting API and the CLI both operate on them:
 * the collector's ingest dead letters (a replayed line is read as the collector reads syslog and
 * appended to the events stream), the stream and index dead letters of the events stream, and the
 * webhooks queue's failed jobs. `indexEvents` is the indexer's own bulk write, so a replay indexes
 * exactly as the indexer would.
 */
export function deadLetterStores(
  redis: Redis,
  config: AppConfig,
  indexEvents: (events: unknown[]) => Promise<Array<{ reason: string }>>,
  webhooks: Queue,
): DeadLetterStore[] {
  const stream = config.streams.events;
  return [
    new IngestDeadLetters(
      redis,
      stream,
      ingestReplayer((batch) => new EventsStream(redis, stream, config.streams.batchSize, config.streams.partitions).append(batch), {
        key: `${stream}:ingest-dead-letter`,
        timeZone: config.syslog.timeZone,
        eventLimits: config.ingest.eventLimits,
        eventTimeWindow: config.ingest.eventTimeWindow,
      }),
    ),
    new StreamDeadLetters(redis, stream, config.streams.partitions),
    new IndexDeadLetters(redis, stream, indexEvents),
    new WebhookDeadLetters(webhooks),
  ];
}
