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

/**
 * A member-day's counts in a roll-up, compact (a year is about 1 MB to fetch): events (the
 * population), attempts, then attempts per category in the order of the document's `categories`.
 */
type MemberDayRollup = number[];

/**
 * One roll-up document: the counts of one calendar day under one definition (its fingerprint),
 * per member. One document per day rather than per member-day: a year is 365 documents to fetch,
 * not 36k (the fetch, not the fold, was the cost: docs/PERFORMANCE.md).
 */
interface RollupDoc {
  definition: string;
  day: string;
  /** The criterion ids, in the order of each member's per-category counts. */
  categories: string[];
  members: Record<string, MemberDayRollup>;
  /** The recount or rebuild that wrote it last (a rebuild removes what it did not write). */
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
// Day documents per page of a read (a year is one page).
const DAYS_PER_READ = 400;

/**
 * The daily roll-ups (docs/STATISTICS.md, Roll-ups): per member, day (Copenhagen) and definition,
 * the counts the raw aggregation gives for that member-day, written by RECOUNTING the member-day
 * from the events index (never by incrementing), so writing one twice is harmless. The index
 * `<prefix>-statistics-rollups` holds one document per (definition, day) with every member's
 * counts of that day, id `<definition>:<day>`; `<prefix>-statistics-rollup-state` holds the coverage (the days
 * the roll-ups are complete for, under which definition) and a rebuild in progress.
 */
export class StatisticsRollupRepository {
  constructor(
    private readonly client: Client,
    private readonly names: IndexNames,
    private readonly raw: StatisticsRepository,
    /** ES_REPLICAS: the roll-ups are the only copy of statistics older than the events' retention. */
    private readonly replicas = 0,
  ) {}

  get index(): string {
    return `${this.names.prefix}-${ROLLUP_INDEX_SUFFIX}`;
  }

  get stateIndex(): string {
    return `${this.names.prefix}-${STATE_INDEX_SUFFIX}`;
  }

  /** Creates both indices with their mappings when missing (idempotent, safe to race). */
  async ensureIndices(): Promise<void> {
    const settings = { number_of_shards: 1, number_of_replicas: this.replicas, refresh_interval: '1s' };
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
        day: { type: 'keyword' },
        categories: { type: 'keyword', index: false },
        // Read from _source only: member ids and criterion ids are data, not mapped field by field.
        members: { type: 'object', enabled: false },
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
      await this.merge(definition, day, run, members, counts, Object.keys(query.categoryFilters));
      written += counts.length;
    }
    return written;
  }

  /**
   * Replaces the given members' entries of a day's document (others' stay), with optimistic
   * concurrency: two rollers merging into the same day retry rather than overwrite each other.
   */
  private async merge(
    definition: string,
    day: string,
    run: string,
    members: Set<string>,
    counts: Array<MemberDayCount & { events: number }>,
    categories: string[],
  ): Promise<void> {
    const id = this.idOf(definition, day);
    for (let attempt = 1; ; attempt += 1) {
      const found = await this.client.get<RollupDoc>({ index: this.index, id }, { ignore: [404] });
      const entries = { ...(found.found ? found._source?.members : {}) };
      for (const m of members) delete entries[m];
      for (const c of counts) entries[c.memberId] = entryOf(c);
      try {
        if (Object.keys(entries).length === 0) {
          if (found.found)
            await this.client.delete({ index: this.index, id, if_seq_no: found._seq_no, if_primary_term: found._primary_term, refresh: 'wait_for' });
        } else {
          const document: RollupDoc = { definition, day, categories, members: entries, run };
          await this.client.index({
            index: this.index,
            id,
            document,
            refresh: 'wait_for',
            ...(found.found ? { if_seq_no: found._seq_no, if_primary_term: found._primary_term } : { op_type: 'create' as const }),
          });
        }
        return;
      } catch (error) {
        if ((error as { meta?: { statusCode?: number } }).meta?.statusCode !== 409 || attempt >= 10) throw error;
      }
    }
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
   * coverage at tomorrow when there is none: days before the first roller may hold events
   * indexed without marks, so only a rebuild covers them. Leaves another definition's coverage
   * alone (null): only a rebuild moves the coverage to a new definition.
   */
  async advanceCoverage(definition: string, today: string): Promise<RollupCoverage | null> {
    const state = await this.state();
    // Another definition's coverage is never replaced by a roller: a replica still running the
    // old definition after a change and rebuild must not take the new coverage away.
    if (state.coverage && state.coverage.definition !== definition) return null;
    const current = state.coverage ?? null;
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
    const members = new Set(memberIds);
    const counts: MemberDayCount[] = [];
    let after: string | undefined;
    do {
      const result = await this.client.search<RollupDoc>({
        index: this.index,
        size: DAYS_PER_READ,
        track_total_hits: false,
        sort: [{ day: 'asc' }],
        ...(after ? { search_after: [after] } : {}),
        query: { bool: { filter: [{ term: { definition } }, { range: { day: { gte: from, lte: to } } }] } },
      });
      const hits = result.hits.hits;
      for (const { _source: doc } of hits) {
        if (!doc) continue;
        for (const [memberId, entry] of Object.entries(doc.members)) {
          if (!members.has(memberId)) continue;
          const byCategory: Record<string, number> = {};
          doc.categories.forEach((id, i) => (byCategory[id] = entry[2 + i]));
          counts.push({ memberId, day: doc.day, attempts: entry[1], byCategory });
        }
      }
      after = hits.length === DAYS_PER_READ ? hits[hits.length - 1]._source?.day : undefined;
    } while (after);
    return counts;
  }

  /**
   * Writes roll-ups as given, not counted from events: for `bench:stats`, whose national volume
   * (billions of events) is represented through the roll-up path only. Not for production use.
   */
  async put(counts: Array<MemberDayCount & { events: number }>, definition: string): Promise<void> {
    await this.write(counts, definition, 'put', []);
  }

  private idOf(definition: string, day: string): string {
    return `${definition}:${day}`;
  }

  /** Writes whole day documents (every member of the day is in `counts`) and deletes `deleteIds`. */
  private async write(counts: Array<MemberDayCount & { events: number }>, definition: string, run: string, deleteIds: string[]): Promise<void> {
    const days = new Map<string, Record<string, MemberDayRollup>>();
    for (const c of counts) {
      let members = days.get(c.day);
      if (!members) days.set(c.day, (members = {}));
      members[c.memberId] = entryOf(c);
    }
    const categories = Object.keys(counts[0]?.byCategory ?? {});
    const operations: object[] = [];
    for (const [day, members] of days) {
      const doc: RollupDoc = { definition, day, categories, members, run };
      operations.push({ index: { _index: this.index, _id: this.idOf(definition, day) } }, doc);
    }
    for (const id of deleteIds) operations.push({ delete: { _index: this.index, _id: id } });
    if (operations.length === 0) return;
    for (let i = 0; i < operations.length; i += 2_000) {
      const result = await this.client.bulk({ operations: operations.slice(i, i + 2_000), refresh: 'wait_for' });
      const failed = result.items.find((item) => (item.index?.error ?? (item.delete?.error && item.delete.status !== 404)) !== undefined);
      if (result.errors && failed) throw new Error(`roll-up write failed: ${JSON.stringify(failed.index?.error ?? failed.delete?.error)}`);
    }
  }
}

// Categories in the definition's order: every count of one definition has the same keys in the same order (libs/statistics builds them from the criteria).
const entryOf = (c: MemberDayCount & { events: number }): MemberDayRollup => [c.events, c.attempts, ...Object.values(c.byCategory)];

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
