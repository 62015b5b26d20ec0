import { Module } from '@nestjs/common';
import { HealthController } from '@soc/platform';
import { correlatorProviders } from './correlator.providers';
import { EventBatchHandler } from './event-batch.handler';

@Module({
  controllers: [EventBatchHandler, HealthController],
  providers: correlatorProviders,
})
export class CorrelatorModule {}
