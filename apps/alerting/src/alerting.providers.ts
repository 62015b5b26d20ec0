import type { Provider } from '@nestjs/common';
import type { AppConfig } from '@soc/config';
import { APP_CONFIG, coreProviders, type ReadinessProbe } from '@soc/platform';
import { JobHandlers } from '@soc/jobs';
import type { Redis } from '@soc/redis';
import { ExceptionSuppressionsRepository } from './exceptions/exception-suppressions.repository';
import { IncidentsQueue } from './incidents/incidents.queue';
import { SlaTimers } from './incidents/sla.queue';
import { FalsePositiveSightingsRepository } from './triage/false-positive-sightings.repository';
import { WebhookNotifications } from './webhooks/webhooks.queue';
import { WebhookDeliveryRepository } from './webhooks/webhook-deliveries.repository';
import {
  AlertRepository,
  AuditRepository,
  ExceptionRepository,
  createElasticsearchClient,
  EventRepository,
  IndexNames,
  pingElasticsearch,
  type ElasticsearchClient,
} from '@soc/storage';

export { APP_CONFIG } from '@soc/platform';
export const ELASTICSEARCH = Symbol('ELASTICSEARCH');
/** The alerting app's own Redis client for counters and feedback (fails fast while Redis is away). */
export const ALERTING_REDIS = Symbol('ALERTING_REDIS');
/** The readiness probe's own Redis client. */
const HEALTH_REDIS = Symbol('HEALTH_REDIS');

export const alertingProviders: Provider[] = [
  ...coreProviders({
    redis: [
      { provide: ALERTING_REDIS, role: 'producer', name: 'alerting-api' },
      { provide: HEALTH_REDIS, role: 'producer', name: 'alerting-health' },
    ],
    readiness: {
      redis: HEALTH_REDIS,
      more: {
        inject: [ELASTICSEARCH],
        useFactory: (client: ElasticsearchClient): ReadinessProbe[] => [{ name: 'elasticsearch', check: () => pingElasticsearch(client) }],
      },
    },
  }),
  {
    provide: ELASTICSEARCH,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => createElasticsearchClient(config.elasticsearch.url),
  },
  { provide: IndexNames, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new IndexNames(config.elasticsearch.indexPrefix) },
  {
    provide: AlertRepository,
    inject: [ELASTICSEARCH, IndexNames, APP_CONFIG],
    useFactory: (client: ElasticsearchClient, names: IndexNames, config: AppConfig) => new AlertRepository(client, names, config.alerting.suppressionSeconds),
  },
  {
    provide: AuditRepository,
    inject: [ELASTICSEARCH, IndexNames],
    useFactory: (client: ElasticsearchClient, names: IndexNames) => new AuditRepository(client, names),
  },
  {
    provide: ExceptionRepository,
    inject: [ELASTICSEARCH, IndexNames],
    useFactory: (client: ElasticsearchClient, names: IndexNames) => new ExceptionRepository(client, names),
  },
  {
    provide: ExceptionSuppressionsRepository,
    inject: [ALERTING_REDIS, APP_CONFIG],
    useFactory: (redis: Redis, config: AppConfig) => new ExceptionSuppressionsRepository(redis, config.redis.keyPrefix),
  },
  {
    provide: FalsePositiveSightingsRepository,
    inject: [ALERTING_REDIS, APP_CONFIG],
    useFactory: (redis: Redis, config: AppConfig) => new FalsePositiveSightingsRepository(redis, config.redis.keyPrefix),
  },
  { provide: IncidentsQueue, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new IncidentsQueue(config) },
  { provide: SlaTimers, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new SlaTimers(config) },
  { provide: WebhookNotifications, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new WebhookNotifications(config) },
  {
    provide: WebhookDeliveryRepository,
    inject: [ALERTING_REDIS, APP_CONFIG],
    useFactory: (redis: Redis, config: AppConfig) => new WebhookDeliveryRepository(redis, config.redis.keyPrefix),
  },
  // The workers register their job kinds here; start-up fails naming a kind alerting must handle and has no worker for.
  { provide: JobHandlers, useFactory: () => new JobHandlers('alerting') },
  {
    provide: EventRepository,
    inject: [ELASTICSEARCH, IndexNames],
    useFactory: (client: ElasticsearchClient, names: IndexNames) => new EventRepository(client, names),
  },
];
