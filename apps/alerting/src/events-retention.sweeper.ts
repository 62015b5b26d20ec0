import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@soc/config';
import { AuditRepository, EventsRetention, IndexNames, type ElasticsearchClient } from '@soc/storage';
import { APP_CONFIG, ELASTICSEARCH } from './alerting.providers';

/** How often old events indices are looked for: a day's index expires once a day. */
export const RETENTION_SWEEP_MS = 3_600_000;

/**
 * Deletes events indices older than EVENTS_RETENTION_DAYS, at start and then hourly, and writes one
 * audit entry per deleted index (the trail of what the product threw away, and when). Every
 * alerting replica sweeps; the deletes are idempotent, so two replicas at once delete each index
 * once and may both audit it. Off when the retention is 0.
 */
@Injectable()
export class EventsRetentionSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventsRetentionSweeper.name);
  private readonly retention: EventsRetention;
  private readonly audit: AuditRepository;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(@Inject(ELASTICSEARCH) client: ElasticsearchClient, names: IndexNames, @Inject(APP_CONFIG) config: AppConfig) {
    this.retention = new EventsRetention(client, names, config.elasticsearch.index.eventsRetentionDays);
    this.audit = new AuditRepository(client, names);
  }

  onApplicationBootstrap(): void {
    if (this.retention.retentionDays <= 0) return;
    this.logger.log(`events indices older than ${this.retention.retentionDays} days are deleted hourly`);
    this.sweep();
    this.timer = setInterval(() => this.sweep(), RETENTION_SWEEP_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private sweep(): void {
    if (this.running) return;
    this.running = this.sweepOnce()
      .catch((error: Error) => this.logger.warn(`events retention sweep failed, tried again in an hour: ${error.message}`))
      .finally(() => (this.running = undefined));
  }

  private async sweepOnce(): Promise<void> {
    for (const index of await this.retention.apply()) {
      this.logger.log(`deleted events index ${index} (older than ${this.retention.retentionDays} days)`);
      await this.audit.record({
        target: { type: 'events_index', id: index },
        organization: { id: 'shared-soc' },
        actor: { sub: 'events-retention', role: 'system' },
        action: 'events_index_deleted',
        reason: `EVENTS_RETENTION_DAYS=${this.retention.retentionDays}`,
      });
    }
  }
}
