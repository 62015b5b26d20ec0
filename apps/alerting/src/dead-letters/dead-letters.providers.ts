import type { Provider } from '@nestjs/common';
import type { AppConfig } from '@soc/config';
import type { SocEvent } from '@soc/contracts';
import { DeadLetterOperations, deadLetterStores } from '@soc/dead-letters';
import { HEALTH_WARNINGS, type HealthWarningSource } from '@soc/platform';
import type { Redis } from '@soc/redis';
import { AuditRepository, EventRepository, IndexNames, type ElasticsearchClient } from '@soc/storage';
import { ALERTING_REDIS, APP_CONFIG, ELASTICSEARCH } from '../alerting.providers';
import { WebhookNotifications } from '../webhooks/webhooks.queue';

/** The dead letters alerting operates on (libs/dead-letters `deadLetterStores`), every change audited. */
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
    deadLetterStores(redis, config, (batch) => events.bulkIndex(batch as SocEvent[]), webhooks.queue),
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
