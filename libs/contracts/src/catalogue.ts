import { z } from 'zod';
import { detectionSchema } from './detection.schema';
import { socEventSchema } from './event.schema';

/**
 * Every stream and queue of the product with its payload: the one place that says what travels
 * where. Events move in batches (one stream entry holds many events), see docs/ARCHITECTURE.md.
 */
export const eventBatchSchema = z.object({
  /** One stream entry. */
  batch_id: z.string().min(1),
  /**
   * The accepted request or syslog read the entry came from (one may fill several entries); the
   * correlator hands it on to the detections and alerting logs it with the alert
   * (docs/LOGGING.md). Optional: entries written before it existed are still batches.
   */
  correlation_id: z.string().min(1).optional(),
  events: z.array(socEventSchema).min(1),
});
export type EventBatch = z.infer<typeof eventBatchSchema>;

export const streams = {
  events: { key: 'soc:events', groups: ['correlator', 'indexer'] as const, payload: eventBatchSchema },
} as const;

export const queues = {
  detections: { name: 'detections', jobs: { detection: detectionSchema } },
} as const;

export type StreamName = keyof typeof streams;
export type QueueName = keyof typeof queues;
export type JobName<Q extends QueueName> = keyof (typeof queues)[Q]['jobs'] & string;
export type JobPayload<Q extends QueueName, J extends JobName<Q>> = z.infer<(typeof queues)[Q]['jobs'][J]>;

/** The `@EventPattern` under which a stream's batches reach their handlers. */
export const eventPatterns = { eventBatch: 'events.batch' } as const;
