import { Logger } from '@nestjs/common';
import { eventTimeMs, type SocEvent } from '@soc/contracts';
import { municipalities } from '@soc/members';
import { familyKey, type Redis } from '@soc/redis';
import { copenhagenDayOfMs, copenhagenToday, STATISTICS_TIME_ZONE } from '@soc/statistics';
import type { ElasticsearchClient, IndexNames, StatisticsRollupRepository } from '@soc/storage';
import type { StatisticsDefinition } from './statistics/statistics-definition';

// Marks the member-days of a batch with one new sequence number, atomically: every mark made
// after a snapshot of the set has a higher score than anything in it.
const MARK_SCRIPT = `
local seq = redis.call('INCR', KEYS[2])
for i = 1, #ARGV do redis.call('ZADD', KEYS[1], seq, ARGV[i]) end
return seq`;

const municipalityCodes = new Set(municipalities.map((m) => m.code));

/**
 * The daily roll-ups at ingest (docs/STATISTICS.md, Roll-ups). The indexer MARKS the member-days
 * of every batch it indexed (after the bulk request, before the batch is acknowledged) in the
 * sorted set `<events stream>:statistics-rollup:dirty`; the roller RECOUNTS marked member-days
 * from the events index and overwrites their roll-ups, then removes exactly the marks it took
 * (by score), and moves the coverage up to today.
 *
 * Exactly once, whatever crashes: a roll-up is never incremented, it is the count of the events
 * index for its member-day, so a batch delivered twice (the events have deterministic ids, so
 * Elasticsearch holds them once) or a recount done twice cannot double count. A crash after the
 * bulk and before the mark leaves the batch unacknowledged: it is delivered again and marked then.
 * A crash in the roller leaves the marks: the next cycle (of any replica) recounts them.
 */
export class StatisticsRollupRoller {
  private readonly logger = new Logger(StatisticsRollupRoller.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private indicesReady = false;

  constructor(
    private readonly redis: Redis,
    private readonly client: ElasticsearchClient,
    private readonly names: IndexNames,
    private readonly rollups: StatisticsRollupRepository,
    private readonly eventsStream: string,
    private readonly definitionOf: () => StatisticsDefinition,
  ) {}

  private loaded?: StatisticsDefinition;

  /** Loaded at the first cycle (the definition file and members file are read once). */
  get definition(): StatisticsDefinition {
    return (this.loaded ??= this.definitionOf());
  }

  // One script writes both: on a Redis Cluster they share the tag `{statistics-rollup}` (familyKey).
  get dirtyKey(): string {
    return `${familyKey(this.eventsStream, 'statistics-rollup', this.redis.isCluster)}:dirty`;
  }

  get sequenceKey(): string {
    return `${familyKey(this.eventsStream, 'statistics-rollup', this.redis.isCluster)}:seq`;
  }

  /**
   * Marks the municipality-days of indexed events; rejects (so the batch is retried) when Redis does
   * not take it. Runs for every event the indexer writes, so it is kept cheap: a run of events of
   * one member and day (a stream entry is one sender's request) is one pair, named once.
   */
  async mark(events: SocEvent[]): Promise<void> {
    const memberDays = new Set<string>();
    let lastMember: string | undefined;
    let lastDay: string | undefined;
    for (const event of events) {
      const member = event.organization?.id;
      if (!member) continue;
      const ms = eventTimeMs(event['@timestamp']);
      if (!Number.isFinite(ms)) continue;
      const day = copenhagenDayOfMs(ms);
      if (member === lastMember && day === lastDay) continue;
      lastMember = member;
      lastDay = day;
      if (municipalityCodes.has(member)) memberDays.add(`${member}|${day}`);
    }
    if (memberDays.size === 0) return;
    await this.redis.eval(MARK_SCRIPT, 2, this.dirtyKey, this.sequenceKey, ...memberDays);
  }

  /** One cycle: recount every marked member-day, unmark what was recounted, advance the coverage. Returns the member-days recounted. */
  async runOnce(today: string = copenhagenToday()): Promise<number> {
    if (!this.indicesReady) {
      await this.rollups.ensureIndices();
      this.indicesReady = true;
    }
    const entries = await this.redis.zrange(this.dirtyKey, '0', '-1', 'WITHSCORES');
    let recounted = 0;
    if (entries.length > 0) {
      const memberDays: Array<{ memberId: string; day: string }> = [];
      let maxScore = 0;
      for (let i = 0; i < entries.length; i += 2) {
        const [memberId, day] = entries[i].split('|');
        memberDays.push({ memberId, day });
        maxScore = Math.max(maxScore, Number(entries[i + 1]));
      }
      // The marked events were indexed before they were marked; a refresh makes them searchable.
      await this.client.indices.refresh({ index: this.names.eventsPattern, ignore_unavailable: true, allow_no_indices: true });
      await this.rollups.recount(
        memberDays,
        { timeZone: STATISTICS_TIME_ZONE, attemptQuery: this.definition.attemptQuery, categoryFilters: this.definition.categoryFilters },
        this.definition.fingerprint,
      );
      // Only the marks taken: a member-day marked again meanwhile has a higher score and stays.
      await this.redis.zremrangebyscore(this.dirtyKey, '-inf', maxScore);
      recounted = memberDays.length;
    }
    await this.rollups.advanceCoverage(this.definition.fingerprint, today);
    return recounted;
  }

  /** Runs a cycle every `intervalMs` (one at a time); a failed cycle is logged and its marks wait for the next. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce()
        .catch((error: Error) => this.logger.warn(`statistics roll-up cycle failed, marks kept for the next: ${error.message}`))
        .finally(() => (this.running = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
