import type { Provider } from '@nestjs/common';
import { ForwarderKeyAdministration, ForwarderKeyAuditTrail, ForwarderKeyRepository } from '@soc/auth';
import type { AppConfig } from '@soc/config';
import { APP_CONFIG } from '@soc/platform';
import type { Redis } from '@soc/redis';
import { PRODUCER_REDIS } from './collector.providers';

/** The key administration of both forwarder-key controllers (the SOC's and a member's), with its audit trail. */
export const forwarderKeyProviders: Provider[] = [
  {
    provide: ForwarderKeyAuditTrail,
    inject: [APP_CONFIG, PRODUCER_REDIS],
    useFactory: (config: AppConfig, redis: Redis) => new ForwarderKeyAuditTrail(redis, config.redis.keyPrefix),
  },
  {
    provide: ForwarderKeyAdministration,
    inject: [ForwarderKeyRepository, ForwarderKeyAuditTrail],
    useFactory: (keys: ForwarderKeyRepository, trail: ForwarderKeyAuditTrail) => new ForwarderKeyAdministration(keys, trail),
  },
];
