import type { Client } from '@elastic/elasticsearch';
import type { IndexNames } from './index-names';

const dayMs = 86_400_000;

/**
 * The daily events indices (`<prefix>-events-YYYY.MM.DD`, the UTC day of the events' time) whose
 * day lies more than `retentionDays` before today's UTC day, oldest first. Only names of exactly
 * that form under exactly this prefix: another deployment's indices (`<prefix>-x-events-…`), a
 * restored copy or anything an operator named differently are never chosen.
 */
export function expiredEventIndices(indices: readonly string[], prefix: string, retentionDays: number, nowMs: number): string[] {
  if (retentionDays <= 0) return [];
  const today = Math.floor(nowMs / dayMs);
  const name = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-events-(\\d{4})\\.(\\d{2})\\.(\\d{2})$`);
  const expired: Array<{ index: string; day: number }> = [];
  for (const index of indices) {
    const match = name.exec(index);
    if (!match) continue;
    const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    // A name that is not a real date (2026.02.30) is not one the product wrote: leave it.
    if (new Date(ms).toISOString().slice(0, 10) !== `${match[1]}-${match[2]}-${match[3]}`) continue;
    const day = ms / dayMs;
    if (day < today - retentionDays) expired.push({ index, day });
  }
  return expired.sort((a, b) => a.day - b.day).map((e) => e.index);
}

/**
 * Deletes daily events indices older than the retention (EVENTS_RETENTION_DAYS). The product
 * does this itself rather than through index lifecycle management because the node it is tested
 * on (Elasticsearch's test distribution) has no ILM, and because it is one rule that needs no
 * rollover: an index per UTC day, dropped whole when its day is out of retention. Alerts, the
 * audit trail and the statistics' roll-ups are other indices and are kept.
 */
export class EventsRetention {
  constructor(
    private readonly client: Client,
    private readonly names: IndexNames,
    readonly retentionDays: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The indices a run would delete now. */
  async expired(): Promise<string[]> {
    if (this.retentionDays <= 0) return [];
    const indices = await this.client.cat.indices({ index: this.names.eventsPattern, h: 'index', format: 'json', expand_wildcards: ['open', 'closed'] });
    const names = (indices as Array<{ index?: string }>).map((i) => i.index).filter((i): i is string => typeof i === 'string');
    return expiredEventIndices(names, this.names.prefix, this.retentionDays, this.now());
  }

  /** Deletes them one by one (an index another replica deleted meanwhile is not an error). */
  async apply(): Promise<string[]> {
    const deleted: string[] = [];
    for (const index of await this.expired()) {
      await this.client.indices.delete({ index }, { ignore: [404] });
      deleted.push(index);
    }
    return deleted;
  }
}
