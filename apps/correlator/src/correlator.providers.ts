import type { Provider } from '@nestjs/common';
import { loadConfig, type AppConfig } from '@soc/config';
import { READINESS_PROBES, type ReadinessProbe } from '@soc/platform';
import { createRedis, pingRedis } from '@soc/redis';
import { compileRules, formatRuleError, InMemoryWindowStore, loadRules } from '@soc/sigma';
import { DetectionQueue } from './detection.queue';
import { DETECTION_ENGINE, type DetectionEngine } from './detection-engine';
import { readRuleFiles } from './rule-files';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Loads and compiles the rule set; refuses to start on any rule error, listing them all. */
function createEngine(config: AppConfig): DetectionEngine {
  const loaded = loadRules(readRuleFiles(config.rulesDir));
  const compiled = compileRules(loaded.rules);
  const errors = [...loaded.errors, ...compiled.errors];
  if (errors.length > 0) {
    throw new Error(`rules in ${config.rulesDir} have errors:\n  - ${errors.map(formatRuleError).join('\n  - ')}`);
  }
  const store = new InMemoryWindowStore();
  return {
    evaluate: async (events) => {
      const result = await compiled.ruleSet.evaluate(events, store);
      return { detections: result.detections, late: result.late };
    },
  };
}

export const correlatorProviders: Provider[] = [
  { provide: APP_CONFIG, useFactory: loadConfig },
  { provide: DETECTION_ENGINE, inject: [APP_CONFIG], useFactory: createEngine },
  {
    provide: DetectionQueue,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => new DetectionQueue(config.redis.url, config.queues.detections),
  },
  {
    provide: READINESS_PROBES,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig): ReadinessProbe[] => {
      const redis = createRedis(config.redis.url, 'producer', 'correlator-health');
      return [{ name: 'redis', check: () => pingRedis(redis) }];
    },
  },
];
