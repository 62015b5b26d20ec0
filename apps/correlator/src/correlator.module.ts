import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { HealthController, REDIS_CLIENTS } from '@soc/platform';
import { correlatorProviders } from './correlator.providers';
import { EventBatchHandler } from './event-batch.handler';
import { IndicatorsController } from './http/indicators.controller';
import { MetricsController } from './http/metrics.controller';
import { RulesController } from './http/rules.controller';
import { TaxiiFeedsController } from './taxii/taxii-feeds.controller';
import { taxiiFeedProviders } from './taxii/taxii-feeds.providers';
import type { Redis } from '@soc/redis';

@Module({
  controllers: [EventBatchHandler, HealthController, MetricsController, IndicatorsController, RulesController, TaxiiFeedsController],
  providers: [...correlatorProviders, ...taxiiFeedProviders],
})
export class CorrelatorModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENTS) private readonly clients: Redis[]) {}

  /** After every consumer stopped: the shared clients go last. */
  onApplicationShutdown(): void {
    for (const client of this.clients) client.disconnect();
  }
}
