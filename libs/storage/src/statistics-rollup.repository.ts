import type { Client } from '@elastic/elasticsearch';
import {
  addDays,
  copenhagenDayOf,
  daysBetween,
  extendCoverage,
  splitByCoverage,
  type CountSource,
  type MemberDayCount,
  type MemberDayQuery,
  type RollupCoverage,
  type SourcedMemberDayCounts,
} from '@soc/statistics';
import type { IndexNames } from './index-names';
import type { StatisticsRepository } from './statistics.repository';

/** One roll-up document: a member-day's counts under one definition (its fingerprint). */
interface RollupDoc {
  definition: string;
  member: string;
  day: string;
  /** Every event of the member-day (the population: a member-day exists when it forwarded anything). */
  events: number;
  attempts: number;
  categories: Record<string, number>;
  /** The recount or rebuild that wrote it (a rebuild removes what it did not write). */
  run: string;
}

/** A rebuild in progress, kept in the state document so an interrupted one resumes where it stopped. */
export interface RollupRebuild {
  definition: string;
  from: string;
  to: string;
  /** The first day not yet rebuilt. */
  next: string;
  run: string;
}

interface StateDoc {
  coverage?: RollupCoverage;
  rebuild?: RollupRebuild;
}

const STATE_ID = 'state';
const STATE_INDEX_SUFFIX = 'statistics-rollup-state';
const ROLLUP_INDEX_SUFFIX = 'statistics-rollups';
// A read of more days than this is split into parallel requests of at most 98 × 100 documents.
const DAYS_PER_READ = 100;

/**
 * The daily roll-ups (docs/STATISTICS.md, Roll-ups): per member, day (Copenhagen) and definition,
 * the counts the raw aggregation gives for that member-day, written by RECOUNTING the member-day
 * from the events index (never by incrementing), so writing one twice is harmless. The index
 * `<prefix>-statistics-rollups` holds one document per (definition, member, day), id
 * `<definition>:<member>:<day>`; `<prefix>-statistics-rollup-state` holds the coverage (the days
 * the roll-ups are complete for, under which definition) and a rebuild in progress.
 */
export class StatisticsRollupRepository {
  constructor(
    private readonly client: Client,
    private readonly names: IndexNames,
    private readonly raw: StatisticsRepository,
  ) {}

  get index(): string {
    return `${this.names.prefix}-${ROLLUP_INDEX_SUFFIX}`;
  }

  get stateIndex(): string {
    return `${this.names.prefix}-${STATE_INDEX_SUFFIX}`;
  }

  /** Creates both indices with their mappings when missing (idempotent, safe to race). */
  async ensureIndices(): Promise<void> {
    const settings = { number_of_shards: 1, number_of_replicas: 0, refresh_interval: '1s' };
    const create = async (index: string, mappings: object) => {
      if (await this.client.indices.exists({ index })) return;
      await this.client.indices.create({ index, settings, mappings }).catch((error: { meta?: { body?: { error?: { type?: string } } } }) => {
        if (error.meta?.body?.error?.type !== 'resource_already_exists_exception') throw error;
      });
    };
    await create(this.index, {
      dynamic: 'strict',
      properties: {
        definition: { type: 'keyword' },
        member: { type: 'keyword' },
        day: { type: 'keyword' },
        events: { type: 'long' },
        attempts: { type: 'long' },
        // Read from _source only; criterion ids are configuration, so not mapped field by field.
        categories: { type: 'object', enabled: false },
        run: { type: 'keyword' },
      },
    });
    await create(this.stateIndex, { dynamic: false, properties: {} });
  }

  async state(): Promise<StateDoc> {
    const found = await this.client.get<StateDoc>({ index: this.stateIndex, id: STATE_ID }, { ignore: [404] }).catch(() => undefined);
    return found?.found ? (found._source ?? {}) : {};
  }

  async coverage(definition: string): Promise<RollupCoverage | null> {
    const coverage = (await this.state()).coverage;
    return coverage && coverage.definition === definition ? coverage : null;
  }

  private async putState(state: StateDoc): Promise<void> {
    await this.client.index({ index: this.stateIndex, id: STATE_ID, document: state, refresh: 'wait_for' });
  }

  /**
   * Recounts the given member-days from the events (one aggregation per distinct day) and writes
   * their roll-ups; a member-day without events any more loses its roll-up. The events must be
   * searchable (the caller refreshes).
   */
  async recount(
    memberDays: Array<{ memberId: string; day: string }>,
    query: Omit<MemberDayQuery, 'from' | 'to' | 'memberIds'>,
    definition: string,
  ): Promise<number> {
    const byDay = new Map<string, Set<string>>();
    for (const { memberId, day } of memberDays) {
      let members = byDay.get(day);
      if (!members) byDay.set(day, (members = new Set()));
      members.add(memberId);
    }
    const run = `recount-${Date.now()}`;
    let written = 0;
    for (const [day, members] of byDay) {
      const counts = await this.raw.memberDayCountsWithEvents({ ...query, from: day, to: day, memberIds: [...members] });
      const found = new Set(counts.map((c) => c.memberId));
      const gone = [...members].filter((m) => !found.has(m));
      await this.write(
        counts,
        definition,
        run,
        gone.map((m) => this.idOf(definition, m, day)),
      );
      written += counts.length;
    }
    return written;
  }

  /**
   * Rebuilds the roll-ups of `[from, to]` under `definition` from the events, `daysPerStep` days per
   * step, recording after each step where it is (so a rebuild interrupted resumes there: pass the
   * same range, or none). When done, the range is part of the coverage (extending it when they touch,
   * replacing it when the definition changed).
   */
  async rebuild(
    range: { from: string; to: string } | undefined,
    query: Omit<MemberDayQuery, 'from' | 'to'>,
    definition: string,
    progress: (done: number, total: number, day: string) => void = () => undefined,
    daysPerStep = 7,
  ): Promise<{ from: string; to: string; resumedAt?: string; memberDays: number } | undefined> {
    const state = await this.state();
    const pending = state.rebuild;
    let rebuild: RollupRebuild;
    let resumedAt: string | undefined;
    if (pending && pending.definition === definition && (!range || (range.from === pending.from && range.to === pending.to))) {
      rebuild = pending;
      resumedAt = pending.next;
    } else if (range) {
      rebuild = { definition, ...range, next: range.from, run: `rebuild-${Date.now()}` };
    } else {
      return undefined;
    }
    const days = daysBetween(rebuild.from, rebuild.to);
    let memberDays = 0;
    while (rebuild.next <= rebuild.to) {
      const stepTo = [addDays(rebuild.next, daysPerStep - 1), rebuild.to].sort()[0];
      const counts = await this.raw.memberDayCountsWithEvents({ ...query, from: rebuild.next, to: stepTo });
      await this.write(counts, definition, rebuild.run, []);
      // Whatever this rebuild did not write in these days (member-days without events now, other definitions) goes.
      // (A search and a bulk delete: the local test distribution has no _delete_by_query.)
      let stale: string[];
      do {
        const found = await this.client.search({
          index: this.index,
          size: 10_000,
          _source: false,
          track_total_hits: false,
          query: { bool: { filter: [{ range: { day: { gte: rebuild.next, lte: stepTo } } }], must_not: [{ term: { run: rebuild.run } }] } },
        });
        stale = found.hits.hits.map((hit) => hit._id!);
        await this.write([], definition, rebuild.run, stale);
      } while (stale.length === 10_000);
      memberDays += counts.length;
      rebuild = { ...rebuild, next: addDays(stepTo, 1) };
      await this.putState({ ...state, rebuild });
      progress(days.indexOf(stepTo) + 1, days.length, stepTo);
    }
    const sameDefinition = state.coverage?.definition === definition ? state.coverage : null;
    await this.putState({ coverage: { definition, ...extendCoverage(sameDefinition, rebuild.from, rebuild.to) } });
    return { from: rebuild.from, to: rebuild.to, resumedAt, memberDays };
  }

  /**
   * After a recount cycle of the roller: the roll-ups are complete through `today` (every indexed
   * event is marked before its batch is acknowledged, and every mark recounted). Starts the
   * coverage at tomorrow when there is none for this definition: days before the first roller
   * may hold events indexed without marks, so only a rebuild covers them.
   */
  async advanceCoverage(definition: string, today: string): Promise<RollupCoverage> {
    const state = await this.state();
    const current = state.coverage?.definition === definition ? state.coverage : null;
    const next: RollupCoverage = current
      ? { definition, from: current.from, to: current.to > today ? current.to : today }
      : { definition, from: addDays(today, 1), to: today };
    if (!current || current.to !== next.to) await this.putState({ ...state, coverage: next });
    return next;
  }

  /** The Copenhagen day of the oldest event, the default start of a rebuild; undefined when there are none. */
  async firstEventDay(): Promise<string | undefined> {
    const result = await this.client.search({
      index: this.names.eventsPattern,
      ignore_unavailable: true,
      allow_no_indices: true,
      size: 0,
      aggs: { first: { min: { field: '@timestamp', format: 'strict_date_optional_time' } } },
    });
    const first = result.aggregations?.first as { value: number | null } | undefined;
    return first?.value == null ? undefined : copenhagenDayOf(new Date(first.value).toISOString());
  }

  /** The roll-ups of `[from, to]` for these members, as member-day counts. */
  async read(from: string, to: string, memberIds: string[], definition: string): Promise<MemberDayCount[]> {
    const days = daysBetween(from, to);
    const chunks: Array<[string, string]> = [];
    for (let i = 0; i < days.length; i += DAYS_PER_READ) chunks.push([days[i], days[Math.min(i + DAYS_PER_READ, days.length) - 1]]);
    const members = new Set(memberIds);
    const pages = await Promise.all(
      chunks.map(async ([a, b]) => {
        const result = await this.client.search<RollupDoc>({
          index: this.index,
          size: 10_000,
          track_total_hits: false,
          _source: ['member', 'day', 'attempts', 'categories'],
          query: { bool: { filter: [{ term: { definition } }, { range: { day: { gte: a, lte: b } } }] } },
        });
        return result.hits.hits;
      }),
    );
    const counts: MemberDayCount[] = [];
    for (const hits of pages) {
      for (const { _source: doc } of hits) {
        if (doc && members.has(doc.member)) counts.push({ memberId: doc.member, day: doc.day, attempts: doc.attempts, byCategory: doc.categories });
      }
    }
    return counts;
  }

  /**
   * Writes roll-ups as given, not counted from events: for `bench:stats`, whose national volume
   * (billions of events) is represented through the roll-up path only. Not for production use.
   */
  async put(counts: Array<MemberDayCount & { events: number }>, definition: string): Promise<void> {
    await this.write(counts, definition, 'put', []);
  }

  private idOf(definition: string, member: string, day: string): string {
    return `${definition}:${member}:${day}`;
  }

  private async write(counts: Array<MemberDayCount & { events: number }>, definition: string, run: string, deleteIds: string[]): Promise<void> {
    const operations: object[] = [];
    for (const c of counts) {
      const doc: RollupDoc = { definition, member: c.memberId, day: c.day, events: c.events, attempts: c.attempts, categories: c.byCategory, run };
      operations.push({ index: { _index: this.index, _id: this.idOf(definition, c.memberId, c.day) } }, doc);
    }
    for (const id of deleteIds) operations.push({ delete: { _index: this.index, _id: id } });
    if (operations.length === 0) return;
    for (let i = 0; i < operations.length; i += 20_000) {
      const result = await this.client.bulk({ operations: operations.slice(i, i + 20_000), refresh: 'wait_for' });
      const failed = result.items.find((item) => (item.index?.error ?? (item.delete?.error && item.delete.status !== 404)) !== undefined);
      if (result.errors && failed) throw new Error(`roll-up write failed: ${JSON.stringify(failed.index?.error ?? failed.delete?.error)}`);
    }
  }
}

/**
 * The statistics' member-day counts: from the roll-ups for the days they cover under the current
 * definition, from raw events (the aggregation of `StatisticsRepository`) for the rest, and says which.
 */
export class RollupMemberDayCounts implements SourcedMemberDayCounts {
  constructor(
    private readonly rollups: StatisticsRollupRepository,
    private readonly raw: StatisticsRepository,
    private readonly definition: string,
  ) {}

  async memberDayCounts(query: MemberDayQuery): Promise<MemberDayCount[]> {
    return (await this.countsWithSource(query)).counts;
  }

  async countsWithSource(query: MemberDayQuery): Promise<{ counts: MemberDayCount[]; source: CountSource }> {
    const source = splitByCoverage(query.from, query.to, await this.rollups.coverage(this.definition));
    const parts = await Promise.all([
      source.rollup ? this.rollups.read(source.rollup[0], source.rollup[1], query.memberIds, this.definition) : [],
      ...source.raw.map(([from, to]) => this.raw.memberDayCounts({ ...query, from, to })),
    ]);
    return { counts: parts.flat(), source };
  }
}
