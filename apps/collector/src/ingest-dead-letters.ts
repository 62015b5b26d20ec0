import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@soc/config';
import type { Redis } from '@soc/redis';
import { APP_CONFIG, PRODUCER_REDIS } from './collector.providers';
import { IngestionMetrics, type Transport } from './ingestion-metrics';

/**
 * Input that could not be parsed is kept, raw, with the reason, in the `<events stream>:ingest-dead-letter`
 * stream, and counted as a parse error of its member: never dropped without a trace.
 */
@Injectable()
export class IngestDeadLetters {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PRODUCER_REDIS) private readonly redis: Redis,
    private readonly metrics: IngestionMetrics,
  ) {}

  get key(): string {
    return `${this.config.streams.events}:ingest-dead-letter`;
  }

  async record(memberId: string, transport: Transport, raw: string, reason: string): Promise<void> {
    this.metrics.parseErrors(memberId, transport, 1);
    await this.redis.xadd(this.key, '*', 'member', memberId, 'transport', transport, 'reason', reason, 'raw', raw);
  }
}
