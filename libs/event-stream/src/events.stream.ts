import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { streams, type EventBatch, type SocEvent } from '@soc/contracts';
import { EventStreamPartitions } from './event-stream-partitions';
import { isMoved, refreshSlots } from './cluster-redirection';
import { trimThreshold, type GroupPosition } from './stream-trim';

/** Sends of one partition's pipeline while its slot answers MOVED (see cluster-redirection). */
const maxMovedAttempts = 3;

/** One stream entry an append wrote: its partition's stream key, its stream id, its batch id, the correlation id, its event count. */
export interface AppendedBatch {
  stream: string;
  entry_id: string;
  batch_id: string;
  correlation_id: string;
  events: number;
}

/** How many replicas must confirm an append (`WAIT`) before it resolves, and how long to wait for them. */
export interface ReplicaConfirmation {
  replicas: number;
  timeoutMs: number;
}

export const noReplicaConfirmation: ReplicaConfirmation = { replicas: 0, timeoutMs: 0 };

/**
 * Fewer replicas than required confirmed a partition's entries within the timeout. The entries
 * are on the master: refusing the sender keeps an acknowledgement's promise (on a replica too),
 * and the sender's retry may store them a second time.
 */
export class ReplicaConfirmationError extends Error {
  constructor(
    readonly stream: string,
    readonly confirmed: number,
    readonly required: number,
    readonly timeoutMs: number,
  ) {
    super(
      `events stream ${stream}: ${confirmed} of ${required} required replica(s) confirmed the append within ${timeoutMs} ms ` +
        '(INGEST_WAIT_REPLICAS); the entries are on the master, a retry may store them twice',
    );
    this.name = 'ReplicaConfirmationError';
  }
}

/**
 * The producer side of the events firehose. Events travel in batches: one stream entry holds
 * up to `batchSize` events, which is what makes Redis Streams fast enough (docs/ARCHITECTURE.md).
 * With several partitions (`EventStreamPartitions`), each event goes to its member's partition.
 */
export class EventsStream {
  readonly partitions: EventStreamPartitions;

  constructor(
    private readonly redis: Redis,
    /** The configured stream name (EVENTS_STREAM): the one key with one partition. */
    readonly key: string,
    private readonly batchSize: number,
    partitions = 1,
    /** Replicas that must confirm each append before it resolves (INGEST_WAIT_REPLICAS); none by default. */
    private readonly replicaConfirmation: ReplicaConfirmation = noReplicaConfirmation,
  ) {
    this.partitions = new EventStreamPartitions(key, partitions);
  }

  /**
   * Appends the events and resolves only once Redis has every entry: the caller may then
   * acknowledge them to the sender. Rejects (nothing acknowledged) if Redis is unavailable, or,
   * with a `replicaConfirmation`, with a `ReplicaConfirmationError` when fewer replicas than
   * required confirmed a partition's entries in time; those entries are on the master all the
   * same, so a sender that retries may deliver them twice (at least once, docs/SCALING.md).
   * Every entry of one call carries the same `correlationId` (a new one unless given): the id of
   * what the sender delivered at once, which the correlator hands on to its detections
   * (docs/LOGGING.md).
   */
  async append(events: SocEvent[], correlationId: string = randomUUID()): Promise<AppendedBatch[]> {
    if (events.length === 0) return [];
    // A submission is one member's (one partition, one transaction, as with one stream); events of
    // several members are split by partition, one transaction each (a cluster allows no other).
    const byPartition = new Map<string, SocEvent[]>();
    for (const event of events) {
      const key = this.partitions.keyOf(event.organization?.id ?? '');
      const list = byPartition.get(key);
      if (list) list.push(event);
      else byPartition.set(key, [event]);
    }
    const appended = await Promise.all([...byPartition].map(([key, partitionEvents]) => this.appendTo(key, partitionEvents, correlationId)));
    return appended.flat();
  }

  private async appendTo(key: string, events: SocEvent[], correlationId: string): Promise<AppendedBatch[]> {
    const batches: Array<Omit<AppendedBatch, 'entry_id'>> = [];
    const xadds: unknown[][] = [];
    for (let i = 0; i < events.length; i += this.batchSize) {
      const batch: EventBatch = { batch_id: randomUUID(), correlation_id: correlationId, events: events.slice(i, i + this.batchSize) };
      batches.push({ stream: key, batch_id: batch.batch_id, correlation_id: correlationId, events: batch.events.length });
      xadds.push(['xadd', key, '*', streams.events.field, JSON.stringify(batch)]);
    }
    const { replicas, timeoutMs } = this.replicaConfirmation;
    // The MULTI inside a pipeline, so that WAIT can follow its EXEC on the same connection: WAIT
    // counts the replicas that have every write this connection sent before it, and on a Cluster
    // ioredis sends a whole pipeline to the node of its keyed commands (all this one key), the
    // master owning the key's slot (events-stream-replicas-cluster.int-spec). WAIT is no part of the transaction:
    // inside a MULTI it would not wait.
    const commands = [['multi'], ...xadds, ['exec'], ...(replicas > 0 ? [['wait', replicas, timeoutMs]] : [])];
    let results: Array<[Error | null, unknown]> | null = null;
    for (let attempt = 1; ; attempt++) {
      results = await this.redis.pipeline(commands).exec();
      if (!results) throw new Error('Redis discarded the pipeline');
      // A slot that moved (failover, resharding): nothing was written; learn the layout, send again.
      if (attempt >= maxMovedAttempts || !results.slice(1, xadds.length + 1).some(([error]) => isMoved(error))) break;
      await refreshSlots(this.redis);
    }
    const ids = transactionResult(results.slice(0, xadds.length + 2));
    if (replicas > 0) {
      const [error, confirmed] = results[xadds.length + 2]!;
      if (error) throw error;
      if (Number(confirmed) < replicas) throw new ReplicaConfirmationError(key, Number(confirmed), replicas, timeoutMs);
    }
    return batches.map((batch, i) => ({ ...batch, entry_id: ids[i] as string }));
  }

  /** Entries written but not yet acknowledged by the slowest consumer group, over every partition. */
  async backlog(): Promise<number> {
    const behind = new Map<string, number>();
    for (const key of this.partitions.keys) {
      const groups = (await this.redis.xinfo('GROUPS', key).catch(() => [])) as unknown[][];
      for (const group of groups) {
        const fields = toRecord(group);
        const name = String(fields['name']);
        behind.set(name, (behind.get(name) ?? 0) + Number(fields['lag'] ?? 0) + Number(fields['pending'] ?? 0));
      }
    }
    return Math.max(0, ...behind.values());
  }

  /**
   * Removes, from every partition, the entries every consumer group (`streams.events.groups`) has
   * acknowledged and that are older than `retainMs`; resolves to the number removed. Without it
   * the stream keeps every event ever accepted and Redis's memory grows without bound (found by
   * bench:soak).
   */
  async trimAcknowledged(retainMs: number, nowMs = Date.now(), expected: readonly string[] = streams.events.groups): Promise<number> {
    let removed = 0;
    for (const key of this.partitions.keys) removed += await this.trimPartition(key, retainMs, nowMs, expected);
    return removed;
  }

  private async trimPartition(key: string, retainMs: number, nowMs: number, expected: readonly string[]): Promise<number> {
    const infos = (await this.redis.xinfo('GROUPS', key).catch(() => [])) as unknown[][];
    const groups: GroupPosition[] = [];
    for (const info of infos) {
      const fields = toRecord(info);
      const name = String(fields['name']);
      const pending = Number(fields['pending'] ?? 0);
      let oldestPendingId: string | undefined;
      if (pending > 0) {
        // XPENDING's summary form: [count, smallest id, greatest id, consumers].
        const summary = (await this.redis.xpending(key, name)) as [number, string | null, string | null, unknown];
        oldestPendingId = summary[1] ?? undefined;
      }
      groups.push({ name, lastDeliveredId: String(fields['last-delivered-id'] ?? '0-0'), oldestPendingId });
    }
    const threshold = trimThreshold(groups, expected, nowMs, retainMs);
    if (threshold === undefined) return 0;
    // Exact, not `~`: a few thousand entries every few seconds cost little, and the count is true.
    return (await this.redis.xtrim(key, 'MINID', threshold)) as number;
  }
}

function toRecord(flat: unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) record[String(flat[i])] = flat[i + 1];
  return record;
}

/**
 * The stream ids of a MULTI … EXEC sent in a pipeline (its results from MULTI to EXEC). An error
 * queuing a command aborts the whole transaction (EXEC answers EXECABORT): that command's own error
 * says more, so it is thrown first; an error of one command inside EXEC is thrown as well, since
 * the caller must not acknowledge a batch that was not written.
 */
function transactionResult(results: Array<[Error | null, unknown]>): unknown[] {
  const queued = results.slice(0, -1).find(([error]) => error)?.[0];
  if (queued) throw queued;
  const [execError, replies] = results[results.length - 1]!;
  if (execError) throw execError;
  if (!Array.isArray(replies)) throw new Error('Redis discarded the transaction');
  const failed = replies.find((reply) => reply instanceof Error) as Error | undefined;
  if (failed) throw failed;
  return replies;
}
