import { z } from 'zod';
import { detectionSchema } from './detection.schema';
import { socEventSchema } from './event.schema';
import { incidentItemSchema, slaJobSchema, webhookEventTypes, webhookJobSchema } from './job-payloads.schema';

/**
 * Every stream and queue of the product with its payload, its producer, its handler and its retry
 * policy: the one place that says what travels where (docs/ARCHITECTURE.md, "Delivery
 * guarantees"). Pure data: `@soc/jobs` builds the BullMQ queues and workers from it, and
 * `@soc/event-stream` reads and writes the stream with it. Events move in batches (one stream entry
 * holds many events).
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

/**
 * What a consumer checks of each stream entry it reads: the batch envelope and, of every event,
 * what consumers rely on (its id, its member, its time). The full event schema is the producer's
 * check (the collector validates every event before XADD); running it again on every read
 * doubled the correlator's detection latency in `npm run bench:pipeline` (docs/ARCHITECTURE.md).
 */
export const streamBatchSchema = eventBatchSchema.extend({
  events: z
    .array(
      z.looseObject({
        '@timestamp': z.string().min(1),
        event: z.looseObject({ id: z.string().min(1) }),
        organization: z.looseObject({ id: z.string().min(1) }),
      }),
    )
    .min(1),
});

/** The apps that write or handle jobs. */
export type SocApp = 'collector' | 'correlator' | 'alerting';

export const streams = {
  events: {
    /** The default key; a deployment sets its own with EVENTS_STREAM. */
    key: 'soc:events',
    /**
     * The entry field that holds the JSON batch. One letter because every entry repeats it; kept
     * so entries written by an older collector stay readable.
     */
    field: 'b',
    groups: ['correlator', 'indexer'] as const,
    /** Written with this schema (the collector validates every event)… */
    payload: eventBatchSchema,
    /** …and read with this one (the envelope and each event's id, member and time). */
    readPayload: streamBatchSchema,
    producedBy: 'collector' satisfies SocApp,
    /** Deliveries before an entry goes to `<stream>:dead-letter` (RedisStreamsServer's default). */
    maxDeliveries: 10,
  },
} as const;

/**
 * What a deployment configures about its queues (from AppConfig; `@soc/jobs` hands it over). A
 * process that uses one queue may set only what that queue reads; a missing one fails naming it.
 */
export interface JobSettings {
  /** KEY_PREFIX: the shared queues live under `<KEY_PREFIX>:bull`. */
  keyPrefix?: string;
  /** DETECTIONS_QUEUE */
  detectionsQueue?: string;
  /** INCIDENTS_QUEUE: the incidents list, and the base of the SLA and webhook queue names. */
  incidentsQueue?: string;
  /** WEBHOOK_ATTEMPTS */
  webhookAttempts?: number;
  /** WEBHOOK_BACKOFF_MS */
  webhookBackoffMs?: number;
}

const settingNames = {
  keyPrefix: 'KEY_PREFIX',
  detectionsQueue: 'DETECTIONS_QUEUE',
  incidentsQueue: 'INCIDENTS_QUEUE',
  webhookAttempts: 'WEBHOOK_ATTEMPTS',
  webhookBackoffMs: 'WEBHOOK_BACKOFF_MS',
} as const satisfies Record<keyof JobSettings, string>;

/** A setting a queue needs, or an error naming it. */
export function jobSetting<S extends keyof JobSettings>(settings: JobSettings, name: S): NonNullable<JobSettings[S]> {
  const value = settings[name];
  if (value === undefined || value === '') throw new Error(`job settings: ${name} (${settingNames[name]}) is not set`);
  return value as NonNullable<JobSettings[S]>;
}

/** How long BullMQ keeps a finished job: `true` drops it at once, `false` keeps it, or an age (seconds) and count. */
export type KeepJobs = boolean | { age: number; count?: number };

/** The options every job of one kind is added with (the producer may add a job id, delay or priority). */
export interface RetryPolicy {
  attempts: number;
  backoff?: { type: 'exponential'; delay: number };
  removeOnComplete: KeepJobs;
  removeOnFail: KeepJobs;
}

/** Who takes a job: an app's worker (with its concurrency), or people through the API (the work list). */
export type JobHandling = { app: SocApp; concurrency: number } | { app: 'none'; takenBy: string };

/** One kind of job: its queue, its job names, its payload, who writes it, who handles it, how it is retried. */
export interface JobKind<P extends z.ZodType = z.ZodType, N extends string = string> {
  /** Used in logs and errors ("invalid <kind> payload"). */
  kind: string;
  queueName(settings: JobSettings): string;
  /**
   * The Redis key prefix of the queue: `key-prefix` is `<KEY_PREFIX>:bull`; `bullmq-default` is
   * BullMQ's own `bull`, which the detections queue has always used (changing it would strand
   * the jobs queued across an upgrade).
   */
  prefix: 'key-prefix' | 'bullmq-default';
  jobNames: readonly [N, ...N[]];
  payload: P;
  producedBy: SocApp;
  handledBy: JobHandling;
  retry(settings: JobSettings): RetryPolicy;
}

const hour = 3600;
const day = 24 * hour;

function jobKind<P extends z.ZodType, N extends string>(kind: JobKind<P, N>): JobKind<P, N> {
  return kind;
}

export const jobs = {
  /** Correlator -> alerting: one job per detection contribution (job id `detectionJobId`). */
  detections: jobKind({
    kind: 'detection',
    queueName: (s) => jobSetting(s, 'detectionsQueue'),
    prefix: 'bullmq-default',
    jobNames: ['detection'],
    payload: detectionSchema,
    producedBy: 'correlator',
    // The intake writes the detections of the jobs running at once in batches of half this
    // (apps/alerting detections.worker.ts): one batch is written while the next gathers.
    handledBy: { app: 'alerting', concurrency: 128 },
    retry: () => ({
      attempts: 10,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: { age: hour, count: 10_000 },
      removeOnFail: { age: 7 * day },
    }),
  }),
  /** The incident-response work list: one item per new alert, taken by an analyst (not a worker). */
  incidents: jobKind({
    kind: 'incident',
    queueName: (s) => jobSetting(s, 'incidentsQueue'),
    prefix: 'key-prefix',
    jobNames: ['incident'],
    payload: incidentItemSchema,
    producedBy: 'alerting',
    handledBy: { app: 'none', takenBy: 'analysts, by acknowledging or assigning the alert (GET /queues/incidents)' },
    retry: () => ({ attempts: 1, removeOnComplete: true, removeOnFail: false }),
  }),
  /** SLA timers: a delayed job per alert and escalation level. */
  sla: jobKind({
    kind: 'sla',
    queueName: (s) => `${jobSetting(s, 'incidentsQueue')}-sla`,
    prefix: 'key-prefix',
    jobNames: ['sla'],
    payload: slaJobSchema,
    producedBy: 'alerting',
    handledBy: { app: 'alerting', concurrency: 4 },
    retry: () => ({
      attempts: 5,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: { age: day },
      removeOnFail: { age: 7 * day },
    }),
  }),
  /** Webhook notifications; a job that failed its last attempt stays failed: the dead-letter list. */
  webhooks: jobKind({
    kind: 'webhook',
    queueName: (s) => `${jobSetting(s, 'incidentsQueue')}-webhooks`,
    prefix: 'key-prefix',
    jobNames: webhookEventTypes,
    payload: webhookJobSchema,
    producedBy: 'alerting',
    handledBy: { app: 'alerting', concurrency: 8 },
    retry: (s) => ({
      attempts: jobSetting(s, 'webhookAttempts'),
      backoff: { type: 'exponential', delay: jobSetting(s, 'webhookBackoffMs') },
      removeOnComplete: { age: day },
      removeOnFail: false,
    }),
  }),
} as const;

export type StreamName = keyof typeof streams;
export type JobKindName = keyof typeof jobs;
export type JobPayload<K extends JobKindName> = z.infer<(typeof jobs)[K]['payload']>;
export type JobNameOf<K extends JobKindName> = (typeof jobs)[K]['jobNames'][number];

/** The BullMQ key prefix of a job kind's queue under these settings; undefined is BullMQ's default (`bull`). */
export function queuePrefix(kind: Pick<JobKind, 'prefix'>, settings: JobSettings): string | undefined {
  return kind.prefix === 'key-prefix' ? `${jobSetting(settings, 'keyPrefix')}:bull` : undefined;
}

/**
 * The catalogue's job kinds that `app` must handle, less those it registered a handler for:
 * what a start-up check refuses to start with.
 */
export function unhandledJobKinds(app: SocApp, handled: Iterable<string>): JobKindName[] {
  const registered = new Set(handled);
  return (Object.keys(jobs) as JobKindName[]).filter((name) => jobs[name].handledBy.app === app && !registered.has(jobs[name].kind));
}

/** The `@EventPattern` under which a stream's batches reach their handlers. */
export const eventPatterns = { eventBatch: 'events.batch' } as const;
