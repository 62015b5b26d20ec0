import { readFileSync } from 'node:fs';
import type { Provider } from '@nestjs/common';
import type { AppConfig } from '@soc/config';
import { IndicatorRepository, TaxiiFeedPuller, TaxiiFeedStateRepository } from '@soc/indicator-store';
import { parseTaxiiFeedsFile, type TaxiiFeed } from '@soc/indicators';
import { createRedis, type Redis } from '@soc/redis';
import { APP_CONFIG } from '../correlator.providers';
import { CorrelatorMetrics } from '../metrics/correlator-metrics';
import { TaxiiFeedMetrics } from './taxii-feed-metrics';
import { TaxiiFeedScheduler } from './taxii-feed-scheduler';
import { TAXII_FEEDS, TAXII_REDIS } from './taxii-feeds.tokens';

/** Reads `TAXII_FEEDS_FILE`; the correlator refuses to start on a bad file, listing every problem. */
export function loadTaxiiFeeds(config: AppConfig): TaxiiFeed[] {
  const path = config.taxii.feedsFile;
  if (path === undefined) return [];
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`TAXII_FEEDS_FILE ${path}: ${(error as Error).message}`);
  }
  const parsed = parseTaxiiFeedsFile(text, config.taxii.secrets);
  if (!parsed.ok) throw new Error(`${path}: invalid TAXII feeds file\n  - ${parsed.problems.join('\n  - ')}`);
  return parsed.feeds;
}

/** The TAXII feed puller inside the correlator: spread into the module's providers. */
export const taxiiFeedProviders: Provider[] = [
  { provide: TAXII_FEEDS, inject: [APP_CONFIG], useFactory: loadTaxiiFeeds },
  {
    provide: TAXII_REDIS,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => createRedis(config.redis.url, 'producer', 'correlator-taxii'),
  },
  {
    provide: TaxiiFeedStateRepository,
    inject: [APP_CONFIG, TAXII_REDIS],
    useFactory: (config: AppConfig, redis: Redis) => new TaxiiFeedStateRepository(redis, config.redis.keyPrefix),
  },
  {
    provide: TaxiiFeedScheduler,
    inject: [APP_CONFIG, TAXII_FEEDS, TAXII_REDIS, TaxiiFeedStateRepository, CorrelatorMetrics],
    useFactory: (config: AppConfig, feeds: TaxiiFeed[], redis: Redis, state: TaxiiFeedStateRepository, metrics: CorrelatorMetrics) => {
      // Pulled objects are stored exactly as the import API stores them: through an IndicatorRepository.
      const puller = new TaxiiFeedPuller(state, new IndicatorRepository(redis, config.redis.keyPrefix), {
        requestTimeoutMs: config.taxii.requestTimeoutMs,
        maxPagesPerPull: config.taxii.maxPagesPerPull,
        addressScope: { documentationIsPublic: config.correlator.documentationAddressesArePublic },
      });
      // The client closes after the last running pull has finished.
      return new TaxiiFeedScheduler(feeds, puller, new TaxiiFeedMetrics(metrics.registry), () => redis.disconnect());
    },
  },
];
