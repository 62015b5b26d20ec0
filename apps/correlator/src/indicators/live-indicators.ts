import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { IndicatorRepository, LiveIndicatorIndex } from '@soc/indicator-store';
import type { IndicatorIndex } from '@soc/indicators';
import { createRedis, type Redis } from '@soc/redis';
import type { CorrelatorMetrics } from '../metrics/correlator-metrics';

/**
 * This replica's live copy of the shared indicator set, on its own Redis connection (the change-log
 * read blocks it). Loaded before the app consumes its first batch.
 */
export class LiveIndicators implements OnModuleDestroy {
  private readonly logger = new Logger(LiveIndicators.name);
  private readonly redis: Redis;
  private readonly live: LiveIndicatorIndex;

  private constructor(redisUrl: string, keyPrefix: string, metrics: CorrelatorMetrics) {
    this.redis = createRedis(redisUrl, 'consumer', 'correlator-indicators');
    this.live = new LiveIndicatorIndex(new IndicatorRepository(this.redis, keyPrefix), {
      blockMs: 1_000,
      onApplied: (count) => {
        metrics.indicatorChanges.inc(count);
        metrics.indicators.set(this.live.index.size);
      },
      onError: (error) => this.logger.warn(`following the indicator change log: ${error.message}`),
    });
  }

  static async start(redisUrl: string, keyPrefix: string, metrics: CorrelatorMetrics): Promise<LiveIndicators> {
    const live = new LiveIndicators(redisUrl, keyPrefix, metrics);
    await live.live.start();
    return live;
  }

  get index(): IndicatorIndex {
    return this.live.index;
  }

  get version(): string {
    return this.live.version;
  }

  async onModuleDestroy(): Promise<void> {
    await this.live.stop();
    this.redis.disconnect();
  }
}
