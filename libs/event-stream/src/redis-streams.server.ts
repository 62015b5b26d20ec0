import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type Redis from 'ioredis';
import { lastValueFrom } from 'rxjs';
import { describeZodError, eventPatterns, streams, type EventBatch } from '@soc/contracts';
import { StructuredLogger } from '@soc/platform';
import { createRedis } from '@soc/redis';
import { EventStreamPartitions } from './event-stream-partitions';
import { hasStreamBatchShape } from './stream-batch-shape';
import { StreamBatchContext } from './stream-batch.context';

export interface RedisStreamsServerOptions {
  redisUrl: string;
  /** The configured stream name (EVENTS_STREAM); its dead letters are `<stream>:dead-letter`. */
  stream: string;
  /**
   * Partitions of the stream (EVENTS_STREAM_PARTITIONS, default 1: the one key `stream`). Every
   * partition is read by at least one consumer of this process, each on its own connection (a
   * Redis Cluster serves one XREADGROUP only for keys of one slot); see `consumers`.
   */
  partitions?: number;
  group: string;
  consumer: string;
  /** Entries read per XREADGROUP. */
  readCount: number;
  /**
   * Consumers of the group this process runs, each with its own connection and read loop, so that
   * several entries are handled at once (default 1). Only for a group whose entries may be handled
   * in any order (the indexer: each event is written by its `_id`); the first keeps the name
   * `consumer`, the others are `consumer-2`, `consumer-3`…, so a restart finds its own pending entries.
   * With partitions, the process runs max(consumers, partitions) read loops dealt round the
   * partitions: loop i reads partition i mod P as `consumer` (first round) or `consumer-<round>`.
   * One consumer with four partitions: four loops, one per partition, all named `consumer`.
   */
  consumers?: number;
  /** An entry pending this long belongs to a dead consumer and is claimed. */
  claimIdleMs: number;
  /** After this many failed deliveries an entry is moved to the dead-letter stream. */
  maxDeliveries?: number;
  blockMs?: number;
  /**
   * Merge the entries of one read (or of one drain or claim step) into one handler call of up to
   * this many events, acknowledged together (unset: one call per entry). Only for a group whose
   * handler may see several entries as one batch (the indexer: one bulk request per call); an
   * entry larger than this goes alone, never split. If the merged call fails, each of its entries
   * is delivered alone, so retries, delivery counts and dead letters stay per entry.
   */
  mergeEvents?: number;
}

type StreamEntry = [id: string, fields: string[]] | null;

/** An entry read as a batch, ready for its handler. */
interface ReadEntry {
  /** The partition's stream key it was read from. */
  stream: string;
  id: string;
  payload: string;
  batch: EventBatch;
}

/**
 * A Nest microservice transport over a Redis Streams consumer group. Each stream entry (a batch
 * of events) goes to the `@EventPattern('events.batch')` handler; the entry is acknowledged only
 * after the handler succeeded, so a crash between read and ack loses nothing: the entry stays
 * pending, and this or another consumer claims it (XAUTOCLAIM) once it has been idle long enough.
 * With `mergeEvents`, the entries of one read go to the handler as one batch (see the option).
 * With partitions, each read loop serves one partition's stream and its consumer group: a loop
 * drains, claims and dead-letters within its partition, so when a replica dies the others claim
 * its pending entries partition by partition.
 */
export class RedisStreamsServer extends Server implements CustomTransportStrategy {
  private connections: Redis[] = [];
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly groupsReady = new Set<string>();
  private readonly log = new StructuredLogger(RedisStreamsServer.name);
  private readonly partitions: EventStreamPartitions;

  constructor(private readonly options: RedisStreamsServerOptions) {
    super();
    this.partitions = new EventStreamPartitions(options.stream, options.partitions ?? 1);
  }

  get deadLetterStream(): string {
    return `${this.options.stream}:dead-letter`;
  }

  listen(callback: (...args: unknown[]) => void): void {
    if (!this.getHandlerByPattern(eventPatterns.eventBatch)) {
      throw new Error(`no @EventPattern('${eventPatterns.eventBatch}') handler for stream ${this.options.stream}`);
    }
    const { group, consumer } = this.options;
    const keys = this.partitions.keys;
    this.running = true;
    const loops = Math.max(this.options.consumers ?? 1, keys.length);
    for (let i = 0; i < loops; i++) {
      const key = keys[i % keys.length];
      const round = Math.floor(i / keys.length) + 1;
      const name = round === 1 ? consumer : `${consumer}-${round}`;
      const redis = createRedis(this.options.redisUrl, 'consumer', `${key}:${group}:${name}`);
      this.connections.push(redis);
      this.loops.push(this.run(redis, key, name));
    }
    callback();
  }

  async close(): Promise<void> {
    this.running = false;
    for (const redis of this.connections) redis.disconnect();
    await Promise.all(this.loops);
  }

  on(): void {
    // Connection events are handled inside; nothing to subscribe to from outside.
  }

  unwrap<T>(): T {
    return this.connections[0] as T;
  }

  private async run(redis: Redis, stream: string, consumer: string): Promise<void> {
    const { group, readCount, claimIdleMs } = this.options;
    const blockMs = this.options.blockMs ?? 1_000;
    let ownPendingDone = false;
    let lastClaimAt = 0;
    while (this.running) {
      try {
        await this.ensureGroup(redis, stream);
        if (!ownPendingDone) {
          // After a restart under the same name, our own unacknowledged entries come first.
          await this.drain(redis, stream, consumer);
          ownPendingDone = true;
        }
        if (Date.now() - lastClaimAt >= claimIdleMs / 2) {
          await this.claimAbandoned(redis, stream, consumer);
          lastClaimAt = Date.now();
        }
        const reply = (await redis.xreadgroup('GROUP', group, consumer, 'COUNT', readCount, 'BLOCK', blockMs, 'STREAMS', stream, '>')) as Array<
          [string, StreamEntry[]]
        > | null;
        await this.deliverAll(redis, stream, present(reply?.[0]?.[1] ?? []));
      } catch (error) {
        if (!this.running) break;
        this.log.error({ stream, group, error: (error as Error).message }, 'stream read failed');
        await sleep(500);
      }
    }
  }

  private async ensureGroup(redis: Redis, stream: string): Promise<void> {
    if (this.groupsReady.has(stream)) return;
    try {
      // From the start of the stream: events written before the first consumer came up count too.
      await redis.xgroup('CREATE', stream, this.options.group, '0', 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
    }
    this.groupsReady.add(stream);
  }

  /** Re-delivers this consumer's own pending entries (id '0') until none is left. */
  private async drain(redis: Redis, stream: string, consumer: string): Promise<void> {
    const { group, readCount } = this.options;
    let cursor = '0';
    for (;;) {
      const reply = (await redis.xreadgroup('GROUP', group, consumer, 'COUNT', readCount, 'STREAMS', stream, cursor)) as Array<[string, StreamEntry[]]> | null;
      const entries = present(reply?.[0]?.[1] ?? []);
      if (entries.length === 0) return;
      await this.deliverAll(redis, stream, entries);
      cursor = entries[entries.length - 1][0];
    }
  }

  /** Takes over entries that a crashed consumer read and never acknowledged. */
  private async claimAbandoned(redis: Redis, stream: string, consumer: string): Promise<void> {
    const { group, readCount, claimIdleMs } = this.options;
    let cursor = '0-0';
    do {
      const [next, entries] = (await redis.xautoclaim(stream, group, consumer, claimIdleMs, cursor, 'COUNT', readCount)) as [string, StreamEntry[]];
      await this.deliverAll(redis, stream, present(entries));
      cursor = next;
    } while (cursor !== '0-0' && this.running);
  }

  /** Delivers what one read returned: entry by entry, or merged up to `mergeEvents` events per call. */
  private async deliverAll(redis: Redis, stream: string, entries: Array<[string, string[]]>): Promise<void> {
    const limit = this.options.mergeEvents;
    let merged: ReadEntry[] = [];
    let events = 0;
    for (const [id, fields] of entries) {
      const entry = await this.read(redis, stream, id, fields);
      if (!entry) continue;
      if (!limit) {
        await this.handle(redis, entry);
        continue;
      }
      if (merged.length > 0 && events + entry.batch.events.length > limit) {
        await this.handleMerged(redis, merged);
        merged = [];
        events = 0;
      }
      merged.push(entry);
      events += entry.batch.events.length;
    }
    if (merged.length > 0) await this.handleMerged(redis, merged);
  }

  /**
   * The entry as a batch for this group's handler, or undefined once settled without one: a
   * replayed dead letter meant for another group is acknowledged, a non-batch is dead-lettered.
   */
  private async read(redis: Redis, stream: string, id: string, fields: string[]): Promise<ReadEntry | undefined> {
    const { group } = this.options;
    // A replayed dead letter (libs/dead-letters) is for the group that gave up on it; the others had it already.
    const replayFor = fieldValue(fields, replayForField);
    if (replayFor !== undefined && replayFor !== group) {
      await redis.xack(stream, group, id);
      return undefined;
    }
    const payload = fieldValue(fields, batchField) ?? '';
    const batch = parseBatch(fieldValue(fields, batchField));
    if (typeof batch === 'string') {
      await this.deadLetter(redis, stream, id, payload, batch);
      return undefined;
    }
    return { stream, id, payload, batch };
  }

  /**
   * One handler call for several entries, all acknowledged in one XACK after it succeeded. If it
   * fails, each entry is handled alone: the failure is then counted, retried and dead-lettered per
   * entry exactly as without merging (an Elasticsearch outage fails each one and leaves it pending).
   */
  private async handleMerged(redis: Redis, entries: ReadEntry[]): Promise<void> {
    if (entries.length === 1) return this.handle(redis, entries[0]);
    const { group } = this.options;
    const { stream } = entries[0];
    const ids = entries.map((e) => e.id);
    try {
      await this.invoke(mergeBatches(entries.map((e) => e.batch)), new StreamBatchContext([stream, group, ids[0], ids]));
    } catch (error) {
      const events = entries.reduce((sum, e) => sum + e.batch.events.length, 0);
      this.log.warn(
        { stream, group, entries: ids.length, events, first_entry_id: ids[0], error: (error as Error).message },
        'merged batches failed, handling each entry alone',
      );
      for (const entry of entries) await this.handle(redis, entry);
      return;
    }
    await redis.xack(stream, group, ...ids);
  }

  private async handle(redis: Redis, { stream, id, payload, batch }: ReadEntry): Promise<void> {
    const { group } = this.options;
    try {
      await this.invoke(batch, new StreamBatchContext([stream, group, id]));
      await redis.xack(stream, group, id);
    } catch (error) {
      const deliveries = await this.deliveryCount(redis, stream, id);
      this.log.error(
        { stream, group, entry_id: id, batch_id: batch.batch_id, correlation_id: batch.correlation_id, delivery: deliveries, error: (error as Error).message },
        'batch failed',
      );
      if (deliveries >= (this.options.maxDeliveries ?? 10)) {
        await this.deadLetter(redis, stream, id, payload, `handler failed ${deliveries} times: ${(error as Error).message}`);
      }
    }
  }

  private async invoke(batch: EventBatch, context: StreamBatchContext): Promise<void> {
    const handler = this.getHandlerByPattern(eventPatterns.eventBatch)!;
    const result = await handler(batch, context);
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }

  private async deliveryCount(redis: Redis, stream: string, id: string): Promise<number> {
    const reply = (await redis.xpending(stream, this.options.group, id, id, 1)) as Array<[string, string, number, number]>;
    return reply[0]?.[3] ?? 0;
  }

  /**
   * Keeps what could not be processed, with the reason, and then acknowledges it: never dropped.
   * Two commands, not one MULTI: the dead-letter stream and a partition (or, on a Redis Cluster,
   * the stream itself) lie in different slots. A crash between them leaves the entry pending; it
   * is dead-lettered again (a second copy, replayed idempotently by event id), never lost.
   */
  private async deadLetter(redis: Redis, stream: string, id: string, payload: string, reason: string): Promise<void> {
    const partition = stream === this.options.stream ? [] : ['partition', stream];
    await redis.xadd(this.deadLetterStream, '*', 'entry', id, 'group', this.options.group, ...partition, 'reason', reason, batchField, payload);
    await redis.xack(stream, this.options.group, id);
  }
}

/** The entries an XREADGROUP or XAUTOCLAIM returned, without the deleted ones (null). */
function present(entries: StreamEntry[]): Array<[string, string[]]> {
  return entries.filter((e): e is [string, string[]] => e !== null);
}

/**
 * Several batches as one: their events in stream order, the batch ids joined with commas, and the
 * correlation id when all share one (a merged call spans several senders' requests otherwise).
 */
function mergeBatches(batches: EventBatch[]): EventBatch {
  const correlationIds = new Set(batches.map((b) => b.correlation_id));
  const [only] = correlationIds;
  return {
    batch_id: batches.map((b) => b.batch_id).join(','),
    ...(correlationIds.size === 1 && only !== undefined ? { correlation_id: only } : {}),
    events: batches.flatMap((b) => b.events),
  };
}

function fieldValue(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** The entry field that holds the batch (`streams.events.field` in the catalogue). */
const batchField = streams.events.field;

/** Set on an entry replayed from the dead letters: only the named consumer group handles it. */
const replayForField = 'replay_for';

/**
 * The batch, checked against its catalogue read schema (`streams.events.readPayload`: the envelope
 * and each event's id, member and time; `hasStreamBatchShape` applies the same rules without zod),
 * or the reason it is not one, naming each bad field. The producer validated every event in full
 * already; this keeps an entry written by something else from reaching a handler half-formed.
 */
function parseBatch(payload: string | undefined): EventBatch | string {
  if (payload === undefined) return `entry has no "${batchField}" field`;
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch (error) {
    return `payload is not JSON: ${(error as Error).message}`;
  }
  // The handlers get the entry as it was written: zod's output would put each object's declared
  // keys first, and the events are stored and dead-lettered in the order the sender gave them.
  if (hasStreamBatchShape(value)) return value;
  // Only a refused entry pays for the schema: its verdict and its description of every bad field.
  const batch = streams.events.readPayload.safeParse(value);
  if (batch.success) return value as EventBatch;
  return `payload is not an event batch: ${describeZodError(batch.error)
    .map((p) => `${p.path}: ${p.message}`)
    .join('; ')}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
