import type { Provider } from '@nestjs/common';
import { ForwarderKeyRepository } from '@soc/auth';
import { loadConfig, type AppConfig } from '@soc/config';
import { EventsStream } from '@soc/event-stream';
import { READINESS_PROBES, type ReadinessProbe } from '@soc/platform';
import { createRedis, pingRedis, type Redis } from '@soc/redis';

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
    useFactory: (config: AppConfig, redis: Redis) => new ForwarderKeyRepository(redis, config.redis.keyPrefix),
  },
  {
    provide: READINESS_PROBES,
    inject: [PRODUCER_REDIS],
    useFactory: (redis: Redis): ReadinessProbe[] => [{ name: 'redis', check: () => pingRedis(redis) }],
  },
];
