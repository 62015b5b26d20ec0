import type { Provider } from '@nestjs/common';
import type { AppConfig } from '@soc/config';
import { CorrelationEngine } from '@soc/correlation';
import { IndicatorRepository, IndicatorSightingsRepository } from '@soc/indicator-store';
import { IngestionHealthRepository } from '@soc/ingestion-health';
import { MemberDirectory } from '@soc/members';
import { APP_CONFIG, coreProviders } from '@soc/platform';
import type { Redis } from '@soc/redis';
import { compileRules, formatRuleError, loadRules, readRuleFiles, type RuleSet } from '@soc/sigma';
import { BatchCorrelator } from './batch-correlator';
import { DetectionQueue } from './detection.queue';
import { LiveIndicators } from './indicators/live-indicators';
import { readConsumerLag } from './metrics/consumer-lag.stream';
import { CorrelatorMetrics } from './metrics/correlator-metrics';
import { CampaignStateRepository } from './state/campaign-state.repository';
import { WindowStateRepository } from './state/window-state.repository';

export { APP_CONFIG } from '@soc/platform';
/** Window, campaign and sighting state: waits out a Redis outage (the batch stays pending meanwhile). */
const STATE_REDIS = Symbol('STATE_REDIS');
/** Admin API calls: fail fast while Redis is away instead of hanging a request. */
const API_REDIS = Symbol('API_REDIS');

/** Loads and compiles the rule set; refuses to start on any rule error, listing them all. */
function compileRuleSet(config: AppConfig, members: MemberDirectory): RuleSet {
  const loaded = loadRules(readRuleFiles(config.rulesDir));
  const compiled = compileRules(loaded.rules, {
    allowedLatenessMs: config.correlator.allowedLatenessMs,
    latenessByDataset: config.correlator.latenessByDatasetMs,
    latenessByMember: members.allowedLateness(),
  });
  const errors = [...loaded.errors, ...compiled.errors];
  if (errors.length > 0) {
    throw new Error(`rules in ${config.rulesDir} have errors:\n  - ${errors.map(formatRuleError).join('\n  - ')}`);
  }
  return compiled.ruleSet;
}

export const correlatorProviders: Provider[] = [
  // One member directory (the members file read once) for the engine and the token verifier;
  // both shared Redis clients are closed when the app shuts down (REDIS_CLIENTS).
  ...coreProviders({
    redis: [
      { provide: STATE_REDIS, role: 'worker', name: 'correlator-state' },
      { provide: API_REDIS, role: 'producer', name: 'correlator-api' },
    ],
    readiness: { redis: API_REDIS },
  }),
  {
    provide: CorrelatorMetrics,
    inject: [APP_CONFIG, STATE_REDIS],
    useFactory: (config: AppConfig, redis: Redis) => new CorrelatorMetrics(() => readConsumerLag(redis, config.streams.events, 'correlator')),
  },
  {
    provide: LiveIndicators,
    inject: [APP_CONFIG, CorrelatorMetrics],
    useFactory: (config: AppConfig, metrics: CorrelatorMetrics) => LiveIndicators.start(config.redis.url, config.redis.keyPrefix, metrics),
  },
  {
    provide: IndicatorRepository,
    inject: [APP_CONFIG, API_REDIS],
    useFactory: (config: AppConfig, redis: Redis) => new IndicatorRepository(redis, config.redis.keyPrefix),
  },
  {
    provide: IndicatorSightingsRepository,
    inject: [APP_CONFIG, STATE_REDIS],
    useFactory: (config: AppConfig, redis: Redis) => new IndicatorSightingsRepository(redis, config.redis.keyPrefix),
  },
  {
    provide: DetectionQueue,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => new DetectionQueue(config.redis.url, config.queues.detections),
  },
  {
    provide: BatchCorrelator,
    inject: [APP_CONFIG, STATE_REDIS, LiveIndicators, DetectionQueue, IndicatorSightingsRepository, MemberDirectory],
    useFactory: (
      config: AppConfig,
      redis: Redis,
      live: LiveIndicators,
      queue: DetectionQueue,
      sightings: IndicatorSightingsRepository,
      members: MemberDirectory,
    ) => {
      const engine = new CorrelationEngine(compileRuleSet(config, members), live.index, members, {
        campaignMinMembers: config.correlator.campaignMinMembers,
        campaignWindowMs: config.correlator.campaignWindowMs,
        // Non-global actors never form campaigns nor become promoted (early-warning) indicators.
        addressScope: { documentationIsPublic: config.correlator.documentationAddressesArePublic },
      });
      return new BatchCorrelator(
        engine,
        new WindowStateRepository(redis, config.redis.keyPrefix),
        new CampaignStateRepository(redis, config.redis.keyPrefix),
        queue,
        // Promotions are written from the consumer path: it waits out an outage rather than failing the batch.
        new IndicatorRepository(redis, config.redis.keyPrefix),
        sightings,
        new IngestionHealthRepository(redis, config.redis.keyPrefix),
      );
    },
  },
];
