import type { Provider } from '@nestjs/common';
import { TokenVerifier } from '@soc/auth';
import { loadConfig, type AppConfig } from '@soc/config';
import { loadMembersFile, MemberDirectory } from '@soc/members';
import { READINESS_PROBES, type ReadinessProbe } from '@soc/platform';
import { createRedis, pingRedis } from '@soc/redis';
import {
  AlertRepository,
  createElasticsearchClient,
  EventRepository,
  IndexNames,
  pingElasticsearch,
  type ElasticsearchClient,
} from '@soc/storage';

export const APP_CONFIG = Symbol('APP_CONFIG');
export const ELASTICSEARCH = Symbol('ELASTICSEARCH');

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
    inject: [ELASTICSEARCH, IndexNames],
    useFactory: (client: ElasticsearchClient, names: IndexNames) => new AlertRepository(client, names),
  },
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
  { provide: TokenVerifier, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new TokenVerifier(config.auth.jwtSecret) },
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
