import type { Provider } from '@nestjs/common';
import { TokenVerifier, tokenVerifierFor } from '@soc/auth';
import { loadConfig, type AppConfig } from '@soc/config';
import { loadMembersFile, MemberDirectory } from '@soc/members';
import { READINESS_PROBES, type ReadinessProbe } from '@soc/platform';
import { createRedis, pingRedis, type Redis } from '@soc/redis';
import { ExceptionSuppressionsRepository } from './exceptions/exception-suppressions.repository';
import { IncidentsQueue } from './incidents/incidents.queue';
import { SlaTimers } from './incidents/sla.queue';
import { FalsePositiveSightingsRepository } from './triage/false-positive-sightings.repository';
import { WebhookNotifications } from './webhooks/webhooks.queue';
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

export const APP_CONFIG = Symbol('APP_CONFIG');
export const ELASTICSEARCH = Symbol('ELASTICSEARCH');
/** The alerting app's own Redis client for counters and feedback (fails fast while Redis is away). */
export const ALERTING_REDIS = Symbol('ALERTING_REDIS');

export const alertingProviders: Provider[] = [
  { provide: APP_CONFIG, useFactory: loadConfig },
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
  { provide: ALERTING_REDIS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createRedis(config.redis.url, 'producer', 'alerting-api') },
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
    provide: EventRepository,
    inject: [ELASTICSEARCH, IndexNames],
    useFactory: (client: ElasticsearchClient, names: IndexNames) => new EventRepository(client, names),
  },
  {
    provide: MemberDirectory,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => MemberDirectory.withDefaults(config.membersFile ? loadMembersFile(config.membersFile) : undefined),
  },
  { provide: TokenVerifier, inject: [APP_CONFIG, MemberDirectory], useFactory: (config: AppConfig, members: MemberDirectory) => tokenVerifierFor(config.auth, members) },
  {
    provide: READINESS_PROBES,
    inject: [APP_CONFIG, ELASTICSEARCH],
    useFactory: (config: AppConfig, client: ElasticsearchClient): ReadinessProbe[] => {
      const redis = createRedis(config.redis.url, 'producer', 'alerting-health');
      return [
        { name: 'redis', check: () => pingRedis(redis) },
        { name: 'elasticsearch', check: () => pingElasticsearch(client) },
      ];
    },
  },
];
