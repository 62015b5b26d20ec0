import { streams } from '@soc/contracts';
import { EventStreamPartitions } from '@soc/event-stream';
import { familyKey, type Redis } from '@soc/redis';
import { streamIdTime, summarise, type DeadLetter, type DeadLetterDetail, type DeadLetterKind, type DeadLetterStats, type ReplayOutcome } from './dead-letter';
import type { DeadLetterStore } from './dead-letter-store';

type Entry = [id: string, fields: string[]];

function fieldsOf(flat: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) record[flat[i]] = flat[i + 1];
  return record;
}

const pageSize = 1_000;

/**
 * A dead-letter kind kept in a Redis stream, in the format its writer has always used (no migration):
 * read with XRANGE, removed with XDEL.
 */
abstract class RedisStreamDeadLetters implements DeadLetterStore {
  abstract readonly kind: DeadLetterKind;

  constructor(
    protected readonly redis: Redis,
    readonly key: string,
  ) {}

  protected abstract letterOf(id: string, fields: Record<string, string>): DeadLetter;
  protected abstract payloadOf(fields: Record<string, string>): unknown;
  protected abstract replayEntry(id: string, fields: Record<string, string>): Promise<ReplayOutcome>;

  async list(): Promise<DeadLetter[]> {
    const letters: DeadLetter[] = [];
    let start = '-';
    for (;;) {
      const entries = (await this.redis.xrange(this.key, start, '+', 'COUNT', pageSize)) as Entry[];
      for (const [id, flat] of entries) letters.push(this.letterOf(id, fieldsOf(flat)));
      if (entries.length < pageSize) return letters;
      start = `(${entries[entries.length - 1][0]}`;
    }
  }

  protected async entry(id: string): Promise<Record<string, string> | undefined> {
    if (!/^\d+-\d+$/.test(id)) return undefined;
    const [found] = (await this.redis.xrange(this.key, id, id)) as Entry[];
    return found ? fieldsOf(found[1]) : undefined;
  }

  async get(id: string): Promise<DeadLetterDetail | undefined> {
    const fields = await this.entry(id);
    return fields ? { ...this.letterOf(id, fields), payload: this.payloadOf(fields) } : undefined;
  }

  async replay(id: string): Promise<ReplayOutcome> {
    const fields = await this.entry(id);
    if (!fields) return { kind: this.kind, id, outcome: 'not_found', detail: `no ${this.kind} dead letter ${id}` };
    return this.replayEntry(id, fields);
  }

  async discard(id: string): Promise<boolean> {
    if (!/^\d+-\d+$/.test(id)) return false;
    return (await this.redis.xdel(this.key, id)) === 1;
  }

  async stats(): Promise<DeadLetterStats> {
    const [count, oldest] = await Promise.all([this.redis.xlen(this.key), this.redis.xrange(this.key, '-', '+', 'COUNT', 1) as Promise<Entry[]>]);
    return { kind: this.kind, count, ...(oldest[0] ? { oldest_at: streamIdTime(oldest[0][0]) } : {}) };
  }
}

/**
 * Ingest dead letters (`<EVENTS_STREAM>:ingest-dead-letter`: `member`, `transport`, `reason`, `raw`).
 * Replay reads the raw input again with `reread` (the collector's reader for that transport); what
 * it now reads is appended to the events stream with ids derived from the dead letter, so a
 * second replay of the same input is the same documents.
 */
export class IngestDeadLetters extends RedisStreamDeadLetters {
  readonly kind = 'ingest' as const;

  constructor(
    redis: Redis,
    eventsStream: string,
    private readonly reread?: (entry: {
      id: string;
      member: string;
      transport: string;
      raw: string;
    }) => Promise<{ ok: true; detail: string } | { ok: false; reason: string }>,
  ) {
    super(redis, `${eventsStream}:ingest-dead-letter`);
  }

  protected letterOf(id: string, f: Record<string, string>): DeadLetter {
    return {
      kind: this.kind,
      id,
      at: streamIdTime(id),
      members: [f.member ?? 'unknown'],
      reason: f.reason ?? '',
      source: f.transport ?? '',
      summary: summarise(f.raw ?? ''),
    };
  }

  protected payloadOf(f: Record<string, string>): unknown {
    return { member: f.member, transport: f.transport, raw: f.raw };
  }

  protected async replayEntry(id: string, f: Record<string, string>): Promise<ReplayOutcome> {
    if (!this.reread) {
      return { kind: this.kind, id, outcome: 'not_replayable', detail: 'no reader of raw input configured' };
    }
    const result = await this.reread({ id, member: f.member ?? 'unknown', transport: f.transport ?? '', raw: f.raw ?? '' });
    if (!result.ok) return { kind: this.kind, id, outcome: 'refused', detail: result.reason };
    await this.redis.xdel(this.key, id);
    return { kind: this.kind, id, outcome: 'replayed', detail: result.detail };
  }
}

/** The stream field a replayed entry carries: only this consumer group handles it, the others acknowledge it. */
export const replayForField = 'replay_for';

/**
 * Stream dead letters (`<EVENTS_STREAM>:dead-letter`: `entry`, `group`, `reason` and the batch in the
 * catalogue's field `streams.events.field`), written by
 * the stream consumer (libs/event-stream) for every group (and `partition`, the stream key, when
 * the stream is partitioned). Replay appends the batch to the events stream again, to the partition
 * of its member (the first event's), marked for the group that gave up on it (`replay_for`), and
 * then removes the dead letter: the group that already handled the batch never sees it twice, and
 * the indexer re-indexes by event id (one document per event, however often it is replayed). Two
 * commands, not one MULTI, because the dead-letter stream and a partition (or, on a Redis Cluster,
 * the stream) lie in different slots; a failure between them leaves the dead letter to be replayed
 * again, which is harmless for the same reason.
 */
export class StreamDeadLetters extends RedisStreamDeadLetters {
  readonly kind = 'stream' as const;
  private readonly partitions: EventStreamPartitions;

  constructor(
    redis: Redis,
    eventsStream: string,
    partitions = 1,
    private readonly batchField: string = streams.events.field,
  ) {
    super(redis, `${eventsStream}:dead-letter`);
    this.partitions = new EventStreamPartitions(eventsStream, partitions);
  }

  protected letterOf(id: string, f: Record<string, string>): DeadLetter {
    const batch = parseJson(f[this.batchField]) as { batch_id?: string; events?: Array<{ organization?: { id?: string } }> } | undefined;
    const events = Array.isArray(batch?.events) ? batch.events : undefined;
    const members = [...new Set((events ?? []).map((e) => e?.organization?.id ?? 'unknown'))];
    const attempts = /handler failed (\d+) times/.exec(f.reason ?? '')?.[1];
    return {
      kind: this.kind,
      id,
      at: streamIdTime(id),
      members: members.length > 0 ? members : ['unknown'],
      reason: f.reason ?? '',
      ...(attempts ? { attempts: Number(attempts) } : {}),
      source: `group ${f.group ?? '?'} (entry ${f.entry ?? '?'}${f.partition ? ` of ${f.partition}` : ''})`,
      summary: events ? `batch ${batch?.batch_id ?? '?'}: ${events.length} events` : summarise(f[this.batchField] ?? ''),
    };
  }

  protected payloadOf(f: Record<string, string>): unknown {
    return { entry: f.entry, group: f.group, batch: parseJson(f[this.batchField]) ?? f[this.batchField] };
  }

  protected async replayEntry(id: string, f: Record<string, string>): Promise<ReplayOutcome> {
    if (!f.group) return { kind: this.kind, id, outcome: 'not_replayable', detail: 'the dead letter names no consumer group' };
    const batch = parseJson(f[this.batchField]) as { events?: Array<{ organization?: { id?: string } }> } | undefined;
    const member = Array.isArray(batch?.events) ? batch.events[0]?.organization?.id : undefined;
    // Not a batch at all: any partition will dead-letter it again; the first is as good as another.
    const stream = member === undefined ? this.partitions.keys[0] : this.partitions.keyOf(member);
    const entry = await this.redis.xadd(stream, '*', this.batchField, f[this.batchField] ?? '', replayForField, f.group);
    await this.redis.xdel(this.key, id);
    return { kind: this.kind, id, outcome: 'replayed', detail: `appended to ${stream} as ${String(entry)} for group ${f.group}` };
  }
}

/**
 * Index dead letters (`<EVENTS_STREAM>:index-dead-letter`: `member`, `event_id`, `reason`, `event`; counted
 * per member in `…:count`, a count of every event ever dead-lettered that replay leaves alone). Replay
 * indexes the event again (by its id: one document however often) and removes it only when
 * Elasticsearch took it; a refusal keeps it.
 */
export class IndexDeadLetters extends RedisStreamDeadLetters {
  readonly kind = 'index' as const;

  constructor(
    redis: Redis,
    eventsStream: string,
    private readonly index?: (events: unknown[]) => Promise<Array<{ reason: string }>>,
  ) {
    // The indexer's name for them (apps/alerting index-dead-letters.ts): tagged on a Redis Cluster.
    super(redis, familyKey(eventsStream, 'index-dead-letter', redis.isCluster));
  }

  protected letterOf(id: string, f: Record<string, string>): DeadLetter {
    return {
      kind: this.kind,
      id,
      at: streamIdTime(id),
      members: [f.member ?? 'unknown'],
      reason: f.reason ?? '',
      source: `event ${f.event_id ?? '?'}`,
      summary: summarise(f.event ?? ''),
    };
  }

  protected payloadOf(f: Record<string, string>): unknown {
    return parseJson(f.event) ?? f.event;
  }

  protected async replayEntry(id: string, f: Record<string, string>): Promise<ReplayOutcome> {
    const event = parseJson(f.event);
    if (!this.index) return { kind: this.kind, id, outcome: 'not_replayable', detail: 'no Elasticsearch indexer configured' };
    if (!event || typeof event !== 'object') return { kind: this.kind, id, outcome: 'not_replayable', detail: 'the kept event is not JSON' };
    const [refused] = await this.index([event]);
    if (refused) return { kind: this.kind, id, outcome: 'refused', detail: refused.reason };
    await this.redis.xdel(this.key, id);
    return { kind: this.kind, id, outcome: 'replayed', detail: `indexed as ${f.event_id ?? '?'}` };
  }
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
