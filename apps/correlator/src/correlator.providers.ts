import type { Provider } from '@nestjs/common';
import type { AppConfig } from '@soc/config';
import { CorrelationEngine } from '@soc/correlation';
import { eventStreamPartitions } from '@soc/event-stream';
import { IndicatorRepository, IndicatorSightingsRepository } from '@soc/indicator-store';
import { IngestionHealthRepository } from '@soc/ingestion-health';
import { MemberDirectory } from '@soc/members';
import { APP_CONFIG, coreProviders } from '@soc/platform';
import type { Redis } from '@soc/redis';
import { RuleAdministration, RuleCatalogueRepository } from '@soc/rule-store';
import type { EngineOptions, RuleSet } from '@soc/sigma';
import { BatchCorrelator } from './batch-correlator';
import { DetectionQueue } from './detection.queue';
import { LiveIndicators } from './indicators/live-indicators';
import { readConsumerLag } from './metrics/consumer-lag.stream';
import { CorrelatorMetrics } from './metrics/correlator-metrics';
import { CampaignStateRepository, WindowStateRepository } from '@soc/correlation-state';
import { seedRuleCatalogue } from './rules/catalogue-seed';
import { LiveRules } from './rules/live-rules';
import { RuleAudit } from './rules/rule-audit';
import { ruleCatalogueMetrics } from './rules/rule-metrics';

export { APP_CONFIG } from '@soc/platform';
/** Window, campaign and sighting state: waits out a Redis outage (the batch stays pending meanwhile). */
const STATE_REDIS = Symbol('STATE_REDIS');
/** Admin API calls: fail fast while Redis is away instead of hanging a request. */
const API_REDIS = Symbol('API_REDIS');

/** How rules compile here: the lateness the correlator allows, by dataset and by member. */
function engineOptions(config: AppConfig, members: MemberDirectory): Partial<EngineOptions> {
  return {
    allowedLatenessMs: config.correlator.allowedLatenessMs,
    latenessByDataset: config.correlator.latenessByDatasetMs,
    latenessByMember: members.allowedLateness(),
  };
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
    useFactory: (config: AppConfig, redis: Redis) => new CorrelatorMetrics(() => readConsumerLag(redis, eventStreamPartitions(config).keys, 'correlator')),
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
  { provide: RuleAudit, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new RuleAudit(config) },
  {
    // The rules API's operations (docs/RULES.md): fail fast while Redis is away, audited in Elasticsearch.
    provide: RuleAdministration,
    inject: [APP_CONFIG, API_REDIS, MemberDirectory, RuleAudit],
    useFactory: (config: AppConfig, redis: Redis, members: MemberDirectory, audit: RuleAudit) =>
      new RuleAdministration(new RuleCatalogueRepository(redis, config.redis.keyPrefix), {
        engine: engineOptions(config, members),
        audit: audit.record,
        isMember: (id) => members.get(id) !== undefined,
      }),
  },
  {
    // Seeds the catalogue with the bundled (and configured third-party) rules, builds the rule set
    // and follows the catalogue; a bundled rule with an error stops the start, listing every error.
    provide: LiveRules,
    inject: [APP_CONFIG, STATE_REDIS, LiveIndicators, MemberDirectory, CorrelatorMetrics],
    useFactory: async (config: AppConfig, redis: Redis, live: LiveIndicators, members: MemberDirectory, metrics: CorrelatorMetrics) => {
      const options = engineOptions(config, members);
      // The start's own import is logged, not audited: nobody asked for it.
      await seedRuleCatalogue(
        config,
        new RuleAdministration(new RuleCatalogueRepository(redis, config.redis.keyPrefix), {
          engine: options,
          audit: async () => undefined,
          isMember: () => true,
        }),
      );
      return LiveRules.start({
        redisUrl: config.redis.url,
        keyPrefix: config.redis.keyPrefix,
        pollMs: config.ruleCatalogue.pollMs,
        engineOptions: options,
        engineFor: (ruleSet: RuleSet) =>
          new CorrelationEngine(ruleSet, live.index, members, {
            campaignMinMembers: config.correlator.campaignMinMembers,
            campaignWindowMs: config.correlator.campaignWindowMs,
            // Non-global actors never form campaigns nor become promoted (early-warning) indicators.
            addressScope: { documentationIsPublic: config.correlator.documentationAddressesArePublic },
          }),
        onApplied: ruleCatalogueMetrics(metrics.registry),
      });
    },
  },
  {
    provide: BatchCorrelator,
    inject: [APP_CONFIG, STATE_REDIS, LiveRules, DetectionQueue, IndicatorSightingsRepository],
    useFactory: (config: AppConfig, redis: Redis, rules: LiveRules, queue: DetectionQueue, sightings: IndicatorSightingsRepository) => {
      return new BatchCorrelator(
        rules,
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
