import type { Provider } from '@nestjs/common';
import { ForwarderKeyRepository, TokenVerifier, tokenVerifierFor } from '@soc/auth';
import { loadConfig, type AppConfig } from '@soc/config';
import { EventsStream } from '@soc/event-stream';
import { loadMembersFile, MemberDirectory } from '@soc/members';
import { READINESS_PROBES, type ReadinessProbe } from '@soc/platform';
import { createRedis, pingRedis, type Redis } from '@soc/redis';
import { IngestionHealthRepository } from '@soc/ingestion-health';
import { MemberRateLimitRepository } from './member-rate-limit.repository';

export const APP_CONFIG = Symbol('APP_CONFIG');
export const PRODUCER_REDIS = Symbol('PRODUCER_REDIS');

export const collectorProviders: Provider[] = [
  { provide: APP_CONFIG, useFactory: loadConfig },
  {
    provide: PRODUCER_REDIS,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => createRedis(config.redis.url, 'producer', 'collector'),
  },
  {
    provide: EventsStream,
    inject: [APP_CONFIG, PRODUCER_REDIS],
    useFactory: (config: AppConfig, redis: Redis) => new EventsStream(redis, config.streams.events, config.streams.batchSize),
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
  {
    provide: MemberDirectory,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) =>
      MemberDirectory.withDefaults(config.membersFile ? loadMembersFile(config.membersFile) : undefined),
  },
  {
    provide: TokenVerifier,
    inject: [APP_CONFIG, MemberDirectory],
    useFactory: (config: AppConfig, members: MemberDirectory) => tokenVerifierFor(config.auth, members),
  },
  {
    provide: READINESS_PROBES,
    inject: [PRODUCER_REDIS],
    useFactory: (redis: Redis): ReadinessProbe[] => [{ name: 'redis', check: () => pingRedis(redis) }],
  },
];
