import type { Provider } from '@nestjs/common';
import type { AppConfig } from '@soc/config';
import type { SocEvent } from '@soc/contracts';
import { DeadLetterOperations, IndexDeadLetters, ingestReplayer, IngestDeadLetters, StreamDeadLetters, WebhookDeadLetters } from '@soc/dead-letters';
import { EventsStream } from '@soc/event-stream';
import { HEALTH_WARNINGS, type HealthWarningSource } from '@soc/platform';
import type { Redis } from '@soc/redis';
import { AuditRepository, EventRepository, IndexNames, type ElasticsearchClient } from '@soc/storage';
import { ALERTING_REDIS, APP_CONFIG, ELASTICSEARCH } from '../alerting.providers';
import { WebhookNotifications } from '../webhooks/webhooks.queue';

/**
 * The dead letters alerting reads: the stream and index dead letters of the events stream it indexes,
 * its webhooks' failed jobs, and the collector's ingest dead letters (same Redis; a replayed line is
 * read as the collector reads syslog, libs/dead-letters `ingestReplayer`, and appended to the events stream).
 */
export function deadLetterOperations(
  redis: Redis,
  config: AppConfig,
  client: ElasticsearchClient,
  webhooks: WebhookNotifications,
  audit: AuditRepository,
): DeadLetterOperations {
  // The indexer's own index names (with the event-time window), so a replay indexes exactly as the indexer would.
  const events = new EventRepository(client, new IndexNames(config.elasticsearch.indexPrefix, config.ingest.eventTimeWindow));
  return new DeadLetterOperations(
    [
      new IngestDeadLetters(
        redis,
        config.streams.events,
        ingestReplayer((batch) => new EventsStream(redis, config.streams.events, config.streams.batchSize).append(batch), {
          key: `${config.streams.events}:ingest-dead-letter`,
          timeZone: config.syslog.timeZone,
          eventLimits: config.ingest.eventLimits,
          eventTimeWindow: config.ingest.eventTimeWindow,
        }),
      ),
      new StreamDeadLetters(redis, config.streams.events),
      new IndexDeadLetters(redis, config.streams.events, (batch) => events.bulkIndex(batch as SocEvent[])),
      new WebhookDeadLetters(webhooks.queue),
    ],
    async (record) => {
      await audit.record(record);
    },
  );
}

export const deadLetterProviders: Provider[] = [
  {
    provide: DeadLetterOperations,
    inject: [ALERTING_REDIS, APP_CONFIG, ELASTICSEARCH, WebhookNotifications, AuditRepository],
    useFactory: deadLetterOperations,
  },
  {
    provide: HEALTH_WARNINGS,
    inject: [DeadLetterOperations, APP_CONFIG],
    useFactory: (operations: DeadLetterOperations, config: AppConfig): HealthWarningSource[] => [
      { warnings: () => operations.warnings({ maxCount: config.deadLetters.warnCount, maxAgeSeconds: config.deadLetters.warnAgeSeconds }) },
    ],
  },
];
