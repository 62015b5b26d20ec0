import type { Indicator, IndicatorType } from '@soc/indicators';
import type { Redis } from '@soc/redis';
import { indicatorFromJson, indicatorToJson } from './indicator-json';
import { IndicatorKeys } from './indicator-keys';
import { InvalidScanCursorError, isScanCursor } from './scan-cursor';

/** Indicators per hash write and change-log entry: bounds a single Redis command. */
const CHUNK = 500;
/** Change-log entries kept (each holds up to CHUNK indicators); a replica further behind reloads. */
const CHANGE_LOG_LENGTH = 100_000;

export interface IndicatorQuery {
  /** HSCAN cursor from the previous page; '0' (default) starts over. */
  cursor?: string;
  limit?: number;
  /** Substring of the id or the canonical value. */
  q?: string;
  type?: IndicatorType;
  source?: string;
  /** Default: every indicator, revoked ones included. */
  revoked?: boolean;
}

export interface IndicatorPage {
  indicators: Indicator[];
  /** '0' when there is nothing more. */
  nextCursor: string;
}

/** One change-log entry: indicators to upsert into every replica's index. */
export interface IndicatorChange {
  id: string;
  indicators: Indicator[];
}

/**
 * The shared indicator set in Redis: a hash of the current version of every indicator and a
 * change-log stream written in the same MULTI, so a replica that loaded the hash and then follows
 * the log from the id it read first misses nothing (re-applying an upsert is harmless).
 */
export class IndicatorRepository {
  private readonly keys: IndicatorKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new IndicatorKeys(prefix, redis.isCluster);
  }

  /** Stores the indicators (replacing same ids) and logs them; reports progress per chunk. */
  async upsert(indicators: readonly Indicator[], onProgress?: (done: number) => void): Promise<number> {
    for (let start = 0; start < indicators.length; start += CHUNK) {
      const chunk = indicators.slice(start, start + CHUNK);
      const fields = chunk.flatMap((i) => [i.id, indicatorToJson(i)]);
      await this.redis
        .multi()
        .hset(this.keys.indicators, ...fields)
        .xadd(this.keys.changes, 'MAXLEN', '~', String(CHANGE_LOG_LENGTH), '*', 'upsert', JSON.stringify(chunk))
        .exec()
        .then(failOnError);
      onProgress?.(start + chunk.length);
    }
    return indicators.length;
  }

  async get(id: string): Promise<Indicator | undefined> {
    const text = await this.redis.hget(this.keys.indicators, id);
    return text === null ? undefined : indicatorFromJson(text);
  }

  /** Marks the indicator revoked everywhere; undefined when there is no such indicator. */
  async revoke(id: string): Promise<Indicator | undefined> {
    return this.change(id, (indicator) => ({ ...indicator, revoked: true }));
  }

  /** Ends the indicator's validity at `at` (or just after valid_from when it starts later). */
  async expire(id: string, at: Date): Promise<Indicator | undefined> {
    return this.change(id, (indicator) => {
      const end = Math.max(at.getTime(), indicator.valid_from.getTime() + 1);
      return { ...indicator, valid_until: new Date(end) };
    });
  }

  async count(): Promise<number> {
    return this.redis.hlen(this.keys.indicators);
  }

  /** One page of indicators, filtered while scanning (a cursor, not an offset: stable under writes). */
  async list(query: IndicatorQuery = {}): Promise<IndicatorPage> {
    const limit = query.limit ?? 100;
    const needle = query.q?.toLowerCase();
    const indicators: Indicator[] = [];
    let cursor = query.cursor ?? '0';
    if (!isScanCursor(cursor)) throw new InvalidScanCursorError(cursor);
    do {
      const [next, flat] = await this.redis.hscan(this.keys.indicators, cursor, 'COUNT', Math.max(limit, 100));
      cursor = next;
      for (let i = 1; i < flat.length; i += 2) {
        const indicator = indicatorFromJson(flat[i]!);
        if (query.type && indicator.type !== query.type) continue;
        if (query.source && indicator.source !== query.source) continue;
        if (query.revoked !== undefined && indicator.revoked !== query.revoked) continue;
        if (needle && !indicator.id.toLowerCase().includes(needle) && !indicator.value.includes(needle)) continue;
        indicators.push(indicator);
      }
    } while (cursor !== '0' && indicators.length < limit);
    // HSCAN may return more than asked; the page holds whole scan steps so the cursor stays exact.
    return { indicators, nextCursor: cursor };
  }

  /** Every indicator, and the change-log id to follow from (read first, so no change is missed). */
  async loadAll(): Promise<{ indicators: Indicator[]; after: string }> {
    const after = await this.lastChangeId();
    const all = await this.redis.hvals(this.keys.indicators);
    return { indicators: all.map(indicatorFromJson), after };
  }

  /** Changes logged after `after`, waiting up to `blockMs` for the first (use a dedicated client). */
  async changesAfter(after: string, blockMs: number, count = 100): Promise<IndicatorChange[]> {
    const reply = (await this.redis.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', this.keys.changes, after)) as Array<
      [string, Array<[string, string[]]>]
    > | null;
    const entries = reply?.[0]?.[1] ?? [];
    return entries.map(([id, fields]) => ({
      id,
      indicators: (JSON.parse(fields[1] ?? '[]') as unknown[]).map((raw) => indicatorFromJson(JSON.stringify(raw))),
    }));
  }

  /**
   * True when the log no longer holds `after` itself (it was trimmed past it): changes between it
   * and the oldest kept entry may be lost, so a follower that far behind must reload.
   */
  async isTrimmedPast(after: string): Promise<boolean> {
    if (after === '0-0') return false;
    const first = (await this.redis.xrange(this.keys.changes, '-', '+', 'COUNT', 1))[0]?.[0];
    return first !== undefined && compareStreamIds(first, after) > 0;
  }

  private async lastChangeId(): Promise<string> {
    const last = await this.redis.xrevrange(this.keys.changes, '+', '-', 'COUNT', 1);
    return last[0]?.[0] ?? '0-0';
  }

  /** Read-modify-write of one indicator under WATCH, so two admins never lose each other's change. */
  private async change(id: string, apply: (indicator: Indicator) => Indicator): Promise<Indicator | undefined> {
    // WATCH belongs to a connection: a short-lived one keeps it away from shared clients.
    const client = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    try {
      for (let attempt = 0; attempt < 10; attempt++) {
        await client.watch(this.keys.indicators);
        const text = await client.hget(this.keys.indicators, id);
        if (text === null) {
          await client.unwatch();
          return undefined;
        }
        const changed = apply(indicatorFromJson(text));
        const result = await client
          .multi()
          .hset(this.keys.indicators, id, indicatorToJson(changed))
          .xadd(this.keys.changes, 'MAXLEN', '~', String(CHANGE_LOG_LENGTH), '*', 'upsert', JSON.stringify([changed]))
          .exec();
        if (result !== null) {
          failOnError(result);
          return changed;
        }
      }
      throw new Error(`indicator ${id} changed concurrently 10 times in a row`);
    } finally {
      client.disconnect();
    }
  }
}

function failOnError(result: Array<[Error | null, unknown]> | null): void {
  if (result === null) throw new Error('transaction aborted');
  const error = result.find(([e]) => e !== null)?.[0];
  if (error) throw error;
}

function compareStreamIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  return am < bm ? -1 : am > bm ? 1 : as < bs ? -1 : as > bs ? 1 : 0;
}
