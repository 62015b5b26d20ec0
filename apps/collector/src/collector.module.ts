import { Module } from '@nestjs/common';
import { HealthController } from '@soc/platform';
import { collectorProviders } from './collector.providers';
import { IngestDeadLetters } from './ingest-dead-letters';
import { IngestPipeline } from './ingest-pipeline';
import { IngestController } from './ingest.controller';
import { IngestionMetrics } from './ingestion-metrics';

@Module({
  controllers: [IngestController, HealthController],
  providers: [...collectorProviders, IngestPipeline, IngestionMetrics, IngestDeadLetters],
})
export class CollectorModule {}
