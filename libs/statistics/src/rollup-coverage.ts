import { createHash } from 'node:crypto';
import { eventTimeMs } from '@soc/contracts';
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

const hourMs = 3_600_000;
/**
 * The hours whose Copenhagen day may be memoised: from 1900 to 2200 Copenhagen's UTC offset has
 * changed only on whole UTC hours (CET/CEST switch at 01:00 UTC), checked hour by hour against
 * Intl; before 1894 it was local mean time (+0:50:20), so there the day is formatted per event.
 */
const memoFromHour = Date.UTC(1900, 0, 1) / hourMs;
const memoToHour = Date.UTC(2200, 0, 1) / hourMs;
/** Enough for the hours a batch (and a backlog of some days) spans; cleared when full. */
const memoLimit = 1024;
const dayOfHour = new Map<number, string>();

/**
 * The calendar day in Copenhagen of an event time (ISO 8601), the day a roll-up counts it on;
 * undefined when unreadable. The indexer asks this for every event it indexes, and formatting with
 * Intl each time was the largest line of its profile after Elasticsearch's client: the day is the
 * same all through a UTC hour, so it is formatted once per hour.
 */
export function copenhagenDayOf(timestamp: string): string | undefined {
  const ms = eventTimeMs(timestamp);
  return Number.isFinite(ms) ? copenhagenDayOfMs(ms) : undefined;
}

/** The calendar day in Copenhagen of a finite epoch time in milliseconds (see `copenhagenDayOf`). */
export function copenhagenDayOfMs(ms: number): string {
  const hour = Math.floor(ms / hourMs);
  if (hour < memoFromHour || hour >= memoToHour) return copenhagenDay.format(ms);
  let day = dayOfHour.get(hour);
  if (day === undefined) {
    if (dayOfHour.size >= memoLimit) dayOfHour.clear();
    day = copenhagenDay.format(hour * hourMs);
    dayOfHour.set(hour, day);
  }
  return day;
}
