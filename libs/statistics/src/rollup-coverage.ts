import { createHash } from 'node:crypto';
import type { QueryClause } from './attack-query';
import { addDays } from './calendar';
import type { MemberDayCount } from './member-day-count';
import type { MemberDayQuery } from './member-day-query';

/** An inclusive range of calendar days `[from, to]`, `YYYY-MM-DD`. */
export type DayRange = [string, string];

/**
 * Where the member-day counts of an answer came from: the daily roll-ups for one range of
 * days, raw events (aggregated at query time) for the rest. Every answer says which.
 */
export interface CountSource {
  rollup: DayRange | null;
  raw: DayRange[];
}

/**
 * The days the roll-up index holds complete counts for, under one definition: roll-ups of
 * another definition (fingerprint) are never read.
 */
export interface RollupCoverage {
  definition: string;
  from: string;
  to: string;
}

/**
 * The fingerprint of an attack-attempt definition as Elasticsearch evaluates it: the attempt query
 * and the category filters, which include every member's network ranges. A change of the
 * definition file OR of a member's ranges changes it, so roll-ups counted before the change are
 * no longer read (and `statistics rebuild-rollups` recounts them).
 */
export function definitionFingerprint(attemptQuery: QueryClause, categoryFilters: Record<string, QueryClause>): string {
  return createHash('sha256').update(JSON.stringify({ attemptQuery, categoryFilters })).digest('hex').slice(0, 16);
}

/** Splits `[from, to]` into the part the roll-ups cover (one range at most) and the parts before and after it. */
export function splitByCoverage(from: string, to: string, coverage: Pick<RollupCoverage, 'from' | 'to'> | null): CountSource {
  if (!coverage || coverage.from > coverage.to || coverage.to < from || coverage.from > to) return { rollup: null, raw: [[from, to]] };
  const start = coverage.from > from ? coverage.from : from;
  const end = coverage.to < to ? coverage.to : to;
  const raw: DayRange[] = [];
  if (start > from) raw.push([from, addDays(start, -1)]);
  if (end < to) raw.push([addDays(end, 1), to]);
  return { rollup: [start, end], raw };
}

/**
 * The union of a covered range and a newly counted one, when they overlap or touch; otherwise the
 * new one alone (coverage is one range, so a gap is never covered by mistake).
 */
export function extendCoverage(coverage: Pick<RollupCoverage, 'from' | 'to'> | null, from: string, to: string): { from: string; to: string } {
  if (!coverage || coverage.from > coverage.to) return { from, to };
  if (from > addDays(coverage.to, 1) || to < addDays(coverage.from, -1)) return { from, to };
  return { from: from < coverage.from ? from : coverage.from, to: to > coverage.to ? to : coverage.to };
}

/** Member-day counts that can say where they came from (the roll-up reader, libs/storage). */
export interface SourcedMemberDayCounts {
  memberDayCounts(query: MemberDayQuery): Promise<MemberDayCount[]>;
  countsWithSource(query: MemberDayQuery): Promise<{ counts: MemberDayCount[]; source: CountSource }>;
}

const copenhagenDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' });

/** The calendar day in Copenhagen of an event time (ISO 8601), the day a roll-up counts it on; undefined when unreadable. */
export function copenhagenDayOf(timestamp: string): string | undefined {
  const ms = Date.parse(timestamp);
  return Number.isFinite(ms) ? copenhagenDay.format(ms) : undefined;
}
