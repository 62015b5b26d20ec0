import { Module } from '@nestjs/common';
import { HealthController } from '@soc/platform';
import { alertingProviders } from './alerting.providers';
import { DeadLettersMetricsController } from './dead-letters/dead-letters-metrics.controller';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { deadLetterProviders } from './dead-letters/dead-letters.providers';
import { AlertsController } from './alerts.controller';
import { CampaignsController } from './campaigns/campaigns.controller';
import { DetectionsWorker } from './detections.worker';
import { EventsIndexer } from './events.indexer';
import { EventsRetentionSweeper } from './events-retention.sweeper';
import { ActiveExceptions } from './exceptions/active-exceptions';
import { ExceptionsController } from './exceptions/exceptions.controller';
import { IncidentsController } from './incidents/incidents.controller';
import { LiveAlertsController } from './live/live-alerts.controller';
import { SlaWorker } from './incidents/sla.worker';
import { AlertIntake } from './intake/alert-intake';
import { TriageService } from './triage/triage.service';
import { WebhookWorker } from './webhooks/webhook.worker';
import { WebhooksController } from './webhooks/webhooks.controller';
import { StatisticsModule } from './statistics/statistics.module';

@Module({
  imports: [StatisticsModule],
  controllers: [
    AlertsController,
    LiveAlertsController,
    ExceptionsController,
    IncidentsController,
    CampaignsController,
    WebhooksController,
    DeadLettersController,
    DeadLettersMetricsController,
    HealthController,
    EventsIndexer,
  ],
  providers: [
    ...alertingProviders,
    ...deadLetterProviders,
    AlertIntake,
    DetectionsWorker,
    ActiveExceptions,
    TriageService,
    SlaWorker,
    WebhookWorker,
    EventsRetentionSweeper,
  ],
})
export class AlertingModule {}
