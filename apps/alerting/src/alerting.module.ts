import { Module } from '@nestjs/common';
import { HealthController } from '@soc/platform';
import { alertingProviders } from './alerting.providers';
import { AlertsController } from './alerts.controller';
import { DetectionsWorker } from './detections.worker';
import { EventsIndexer } from './events.indexer';

@Module({
  controllers: [AlertsController, HealthController, EventsIndexer],
  providers: [...alertingProviders, DetectionsWorker],
})
export class AlertingModule {}
