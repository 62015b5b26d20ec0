import type { Provider } from '@nestjs/common';
import { Gauge } from 'prom-client';
import type { AppConfig } from '@soc/config';
import { deadLetterWarnings, IngestDeadLetters as IngestDeadLetterStore, type DeadLetterStats } from '@soc/dead-letters';
import { HEALTH_WARNINGS, type HealthWarningSource } from '@soc/platform';
import type { Redis } from '@soc/redis';
import { APP_CONFIG, PRODUCER_REDIS } from './collector.providers';
import { IngestionMetrics } from './ingestion-metrics';

/**
 * The collector's ingest dead letters in `/metrics` (`soc_dead_letters{kind="ingest"}`,
 * `soc_dead_letter_oldest_age_seconds{kind="ingest"}`) and in readiness (`degraded` above
 * DEAD_LETTER_WARN_COUNT or DEAD_LETTER_WARN_AGE_SECONDS; intake goes on). They are listed,
 * inspected and discarded through alerting's `/dead-letters` API (docs/OPERATIONS.md).
 */
export function ingestDeadLetterHealth(config: AppConfig, redis: Redis, metrics: IngestionMetrics): HealthWarningSource[] {
  const store = new IngestDeadLetterStore(redis, config.streams.events);
  let pending: Promise<DeadLetterStats> | undefined;
  const stats = () => (pending ??= store.stats().finally(() => setTimeout(() => (pending = undefined), 0)));
  new Gauge({
    name: 'soc_dead_letters',
    help: 'Dead letters kept, by kind (this app holds the ingest ones)',
    labelNames: ['kind'],
    registers: [metrics.registry],
    async collect() {
      this.set({ kind: 'ingest' }, (await stats()).count);
    },
  });
  new Gauge({
    name: 'soc_dead_letter_oldest_age_seconds',
    help: 'Age of the oldest dead letter kept, by kind (0 when there is none)',
    labelNames: ['kind'],
    registers: [metrics.registry],
    async collect() {
      const { oldest_at: oldest } = await stats();
      this.set({ kind: 'ingest' }, oldest ? Math.max(0, (Date.now() - Date.parse(oldest)) / 1000) : 0);
    },
  });
  const thresholds = { maxCount: config.deadLetters.warnCount, maxAgeSeconds: config.deadLetters.warnAgeSeconds };
  return [{ warnings: async () => deadLetterWarnings([await stats()], thresholds, Date.now()) }];
}

export const ingestDeadLetterHealthProvider: Provider = {
  provide: HEALTH_WARNINGS,
  inject: [APP_CONFIG, PRODUCER_REDIS, IngestionMetrics],
  useFactory: ingestDeadLetterHealth,
};
