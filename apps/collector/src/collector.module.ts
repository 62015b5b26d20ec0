import { Module } from '@nestjs/common';
import { HealthController } from '@soc/platform';
import { collectorProviders } from './collector.providers';
import { IngestController } from './ingest.controller';

@Module({
  controllers: [IngestController, HealthController],
  providers: collectorProviders,
})
export class CollectorModule {}
