import type { Provider } from '@nestjs/common';
import { ForwarderKeyRepository } from '@soc/auth';
import type { AppConfig } from '@soc/config';
import { EventsStream } from '@soc/event-stream';
import { APP_CONFIG, collectorBearerRefusals, coreProviders } from '@soc/platform';
import type { Redis } from '@soc/redis';
import { IngestionHealthRepository } from '@soc/ingestion-health';
import { MemberRateLimitRepository } from './member-rate-limit.repository';

export { APP_CONFIG } from '@soc/platform';
export const PRODUCER_REDIS = Symbol('PRODUCER_REDIS');

export const collectorProviders: Provider[] = [
  ...coreProviders({
    redis: [{ provide: PRODUCER_REDIS, role: 'producer', name: 'collector' }],
    readiness: { redis: PRODUCER_REDIS },
    bearerRefusals: collectorBearerRefusals,
  }),
  {
    provide: EventsStream,
    inject: [APP_CONFIG, PRODUCER_REDIS],
    useFactory: (config: AppConfig, redis: Redis) =>
      // Replica-confirmed acknowledgements when INGEST_WAIT_REPLICAS asks for them (docs/SCALING.md).
      new EventsStream(redis, config.streams.events, config.streams.batchSize, config.streams.partitions, config.ingest.replicaConfirmation),
  },
  {
    provide: ForwarderKeyRepository,
    inject: [APP_CONFIG, PRODUCER_REDIS],
    useFactory: (config: AppConfig, redis: Redis) => new ForwarderKeyRepository(redis, config.redis.keyPrefix, config.auth.forwarderKeyCache),
  },
  {
    provide: IngestionHealthRepository,
    inject: [APP_CONFIG, PRODUCER_REDIS],
    useFactory: (config: AppConfig, redis: Redis) => new IngestionHealthRepository(redis, config.redis.keyPrefix),
  },
  {
    provide: MemberRateLimitRepository,
    inject: [APP_CONFIG, PRODUCER_REDIS],
    useFactory: (config: AppConfig, redis: Redis) => new MemberRateLimitRepository(redis, config.redis.keyPrefix),
  },
];
