import type { Provider } from '@nestjs/common';
import { TokenVerifier, tokenVerifierFor } from '@soc/auth';
import { loadConfig, type AppConfig } from '@soc/config';
import { CorrelationEngine } from '@soc/correlation';
import { IndicatorRepository, IndicatorSightingsRepository } from '@soc/indicator-store';
import { IngestionHealthRepository } from '@soc/ingestion-health';
import { loadMembersFile, MemberDirectory } from '@soc/members';
import { READINESS_PROBES, type ReadinessProbe } from '@soc/platform';
import { createRedis, pingRedis, type Redis } from '@soc/redis';
import { compileRules, formatRuleError, loadRules, readRuleFiles, type RuleSet } from '@soc/sigma';
import { BatchCorrelator } from './batch-correlator';
import { DetectionQueue } from './detection.queue';
import { LiveIndicators } from './indicators/live-indicators';
import { readConsumerLag } from './metrics/consumer-lag.stream';
import { CorrelatorMetrics } from './metrics/correlator-metrics';
import { CampaignStateRepository } from './state/campaign-state.repository';
import { WindowStateRepository } from './state/window-state.repository';

export const APP_CONFIG = Symbol('APP_CONFIG');
/** Window, campaign and sighting state: waits out a Redis outage (the batch stays pending meanwhile). */
const STATE_REDIS = Symbol('STATE_REDIS');
/** Admin API calls: fail fast while Redis is away instead of hanging a request. */
const API_REDIS = Symbol('API_REDIS');
/** Both shared clients, closed when the app shuts down. */
export const REDIS_CLIENTS = Symbol('REDIS_CLIENTS');

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

function memberDirectory(config: AppConfig): MemberDirectory {
  return MemberDirectory.withDefaults(config.membersFile ? loadMembersFile(config.membersFile) : undefined);
}

export const correlatorProviders: Provider[] = [
  { provide: APP_CONFIG, useFactory: loadConfig },
  {
    provide: STATE_REDIS,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => createRedis(config.redis.url, 'worker', 'correlator-state'),
  },
  {
    provide: API_REDIS,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => createRedis(config.redis.url, 'producer', 'correlator-api'),
  },
  {
    provide: CorrelatorMetrics,
    inject: [APP_CONFIG, STATE_REDIS],
    useFactory: (config: AppConfig, redis: Redis) =>
      new CorrelatorMetrics(() => readConsumerLag(redis, config.streams.events, 'correlator')),
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
    useFactory: (config: AppConfig, redis: Redis, live: LiveIndicators, queue: DetectionQueue, sightings: IndicatorSightingsRepository, members: MemberDirectory) => {
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
  { provide: REDIS_CLIENTS, inject: [STATE_REDIS, API_REDIS], useFactory: (...clients: Redis[]) => clients },
  // One directory (the members file read once) for the engine and the token verifier.
  { provide: MemberDirectory, inject: [APP_CONFIG], useFactory: memberDirectory },
  { provide: TokenVerifier, inject: [APP_CONFIG, MemberDirectory], useFactory: (config: AppConfig, members: MemberDirectory) => tokenVerifierFor(config.auth, members) },
  {
    provide: READINESS_PROBES,
    inject: [API_REDIS],
    useFactory: (redis: Redis): ReadinessProbe[] => [{ name: 'redis', check: () => pingRedis(redis) }],
  },
];
