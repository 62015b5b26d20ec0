import { Module } from '@nestjs/common';
import { HealthController } from '@soc/platform';
import { collectorProviders } from './collector.providers';
import { ForwarderKeysController } from './forwarder-keys.controller';
import { MemberForwarderKeysController } from './forwarder-keys-member.controller';
import { forwarderKeyProviders } from './forwarder-keys.providers';
import { IngestBacklog } from './ingest-backlog';
import { EventsStreamTrimmer } from './events-stream-trimmer';
import { ingestDeadLetterHealthProvider } from './ingest-dead-letter-stats';
import { IngestDeadLetters } from './ingest-dead-letters';
import { IngestPipeline } from './ingest-pipeline';
import { IngestController } from './ingest.controller';
import { IngestionHealthController } from './ingestion-health.controller';
import { IngestionMetrics } from './ingestion-metrics';
import { MetricsController } from './metrics.controller';
import { syslogProviders } from './syslog/syslog.providers';

@Module({
  controllers: [IngestController, HealthController, ForwarderKeysController, MemberForwarderKeysController, IngestionHealthController, MetricsController],
  providers: [
    ...collectorProviders,
    ...forwarderKeyProviders,
    IngestPipeline,
    IngestionMetrics,
    IngestDeadLetters,
    IngestBacklog,
    EventsStreamTrimmer,
    ingestDeadLetterHealthProvider,
    ...syslogProviders,
  ],
})
export class CollectorModule {}
