import { familyKey, type Redis } from '@soc/redis';

export const refusalReasons = ['unavailable', 'backlog', 'rate_limited', 'invalid', 'unauthenticated', 'udp_dropped'] as const;
export type RefusalReason = (typeof refusalReasons)[number];

/** What one collector counted for one member since its last flush. */
export interface IngestionDelta {
  accepted: number;
  parseErrors: number;
  /** Accepted events no parser recognised: kept as their raw line, tagged `unparsed`. */
  unparsed: number;
  refused: Partial<Record<RefusalReason, number>>;
  /** Accepted events by minute bucket (epoch minutes), for the events/s figure. */
  acceptedByMinute: Map<number, number>;
  lastEventMs: number;
}

export interface MemberIngestionHealth {
  member_id: string;
  last_event_at: string | null;
  /** Accepted events per second over the last minute (sliding estimate over two minute buckets). */
  events_per_second: number;
  accepted: number;
  parse_errors: number;
  unparsed: number;
  /**
   * Events the correlator received too late for a correlation window (further behind their group's
   * newest event than the allowed lateness): indexed and searchable, but not counted by correlation rules.
   */
  late_for_correlation: number;
  refused: Partial<Record<RefusalReason, number>>;
}

const MINUTE_MS = 60_000;
// Two buckets are read; one more is kept so a slow reader still finds the previous one.
const MINUTE_BUCKET_TTL_SECONDS = 180;

/**
 * Ingestion counters per member, summed over every collector replica: each replica adds its
 * deltas (HINCRBY), so no replica needs to know the others. The correlator adds the events that
 * reached it too late for correlation (`addLate`), so a member's IT staff see that on the same page.
 */
export class IngestionHealthRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  /**
   * `<prefix>:ingest-health`. Every flush is one pipeline over the shared keys and each member's, so
   * on a Redis Cluster the family shares the tag `{ingest-health}`: a few small counters per member,
   * written once per flush, not worth spreading.
   */
  private get base(): string {
    return familyKey(this.keyPrefix, 'ingest-health', this.redis.isCluster);
  }

  private get membersKey(): string {
    return `${this.base}:members`;
  }

  private get lastEventKey(): string {
    return `${this.base}:last-event`;
  }

  private totalsKey(memberId: string): string {
    return `${this.base}:totals:${memberId}`;
  }

  private minuteKey(memberId: string, minute: number): string {
    return `${this.base}:minute:${memberId}:${minute}`;
  }

  async add(deltas: Map<string, IngestionDelta>): Promise<void> {
    if (deltas.size === 0) return;
    const pipeline = this.redis.pipeline();
    pipeline.sadd(this.membersKey, ...deltas.keys());
    for (const [memberId, delta] of deltas) {
      const totals = this.totalsKey(memberId);
      if (delta.accepted > 0) pipeline.hincrby(totals, 'accepted', delta.accepted);
      if (delta.parseErrors > 0) pipeline.hincrby(totals, 'parse_errors', delta.parseErrors);
      if (delta.unparsed > 0) pipeline.hincrby(totals, 'unparsed', delta.unparsed);
      for (const [reason, count] of Object.entries(delta.refused)) pipeline.hincrby(totals, `refused:${reason}`, count);
      for (const [minute, count] of delta.acceptedByMinute) {
        pipeline.hincrby(this.minuteKey(memberId, minute), 'accepted', count);
        pipeline.expire(this.minuteKey(memberId, minute), MINUTE_BUCKET_TTL_SECONDS);
      }
      // GT: replicas flush in any order; the latest event wins.
      if (delta.lastEventMs > 0) pipeline.zadd(this.lastEventKey, 'GT', delta.lastEventMs, memberId);
    }
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  /** Events that arrived too late for correlation windows, by member (the correlator's part of ingestion health). */
  async addLate(lateByMember: ReadonlyMap<string, number>): Promise<void> {
    if (lateByMember.size === 0) return;
    const pipeline = this.redis.pipeline();
    pipeline.sadd(this.membersKey, ...lateByMember.keys());
    for (const [memberId, count] of lateByMember) pipeline.hincrby(this.totalsKey(memberId), 'late_for_correlation', count);
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  /** The health of the given members, or of every member that ever sent something. */
  async read(memberIds?: string[], now = Date.now()): Promise<MemberIngestionHealth[]> {
    const ids = memberIds ?? (await this.redis.smembers(this.membersKey)).sort();
    if (ids.length === 0) return [];
    const minute = Math.floor(now / MINUTE_MS);
    const elapsed = (now - minute * MINUTE_MS) / MINUTE_MS;
    const pipeline = this.redis.pipeline();
    for (const id of ids) {
      pipeline.hgetall(this.totalsKey(id));
      pipeline.zscore(this.lastEventKey, id);
      pipeline.hget(this.minuteKey(id, minute), 'accepted');
      pipeline.hget(this.minuteKey(id, minute - 1), 'accepted');
    }
    const results = (await pipeline.exec()) ?? [];
    return ids.map((id, i) => {
      const [totals, lastEvent, current, previous] = results.slice(i * 4, i * 4 + 4).map(([error, value]) => {
        if (error) throw error;
        return value;
      }) as [Record<string, string>, string | null, string | null, string | null];
      const refused: Partial<Record<RefusalReason, number>> = {};
      for (const [field, value] of Object.entries(totals)) {
        if (field.startsWith('refused:')) refused[field.slice('refused:'.length) as RefusalReason] = Number(value);
      }
      const lastMinute = Number(previous ?? 0) * (1 - elapsed) + Number(current ?? 0);
      return {
        member_id: id,
        last_event_at: lastEvent ? new Date(Number(lastEvent)).toISOString() : null,
        events_per_second: Math.round((lastMinute / 60) * 100) / 100,
        accepted: Number(totals['accepted'] ?? 0),
        parse_errors: Number(totals['parse_errors'] ?? 0),
        unparsed: Number(totals['unparsed'] ?? 0),
        late_for_correlation: Number(totals['late_for_correlation'] ?? 0),
        refused,
      };
    });
  }
}
