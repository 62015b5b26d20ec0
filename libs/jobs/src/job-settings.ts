import type { AppConfig } from '@soc/config';
import type { JobSettings } from '@soc/contracts';

/**
 * The catalogue's settings from an app's configuration. Tolerates a partial config (specs build
 * only the parts they use): a queue that needs a missing setting fails naming it.
 */
export function jobSettings(config: AppConfig): JobSettings {
  const partial = config as Partial<AppConfig>;
  return {
    keyPrefix: partial.redis?.keyPrefix,
    detectionsQueue: partial.queues?.detections,
    incidentsQueue: partial.alerting?.incidentsQueue,
    webhookAttempts: partial.alerting?.webhookAttempts,
    webhookBackoffMs: partial.alerting?.webhookBackoffMs,
  };
}
