import type { Indicator, IndicatorListQuery, IndicatorPage, IndicatorType, Sighting } from './correlator-api';

/**
 * Where an indicator stands now, as the correlator matches it (libs/indicators IndicatorIndex:
 * not revoked and valid_from <= now < valid_until): revoked, expired, not yet valid, or active.
 */
export type IndicatorState = 'active' | 'pending' | 'expired' | 'revoked';
export const indicatorStates: readonly IndicatorState[] = ['active', 'pending', 'expired', 'revoked'];

export function stateOf(indicator: Pick<Indicator, 'revoked' | 'valid_from' | 'valid_until'>, now: number): IndicatorState {
  if (indicator.revoked) return 'revoked';
  if (indicator.valid_until !== undefined && Date.parse(indicator.valid_until) <= now) return 'expired';
  if (Date.parse(indicator.valid_from) > now) return 'pending';
  return 'active';
}

export interface IndicatorFilters {
  /** A substring of the id or canonical value (the API's `q`). */
  readonly text: string;
  readonly type: IndicatorType | '';
  /** The source exactly as stored (the API's `source`). */
  readonly source: string;
  readonly state: IndicatorState | '';
}
export const noFilters: IndicatorFilters = { text: '', type: '', source: '', state: '' };

/**
 * The API's query for the filters. The API filters on `revoked` only, so active, not yet valid
 * and expired ask for the unrevoked and the page keeps those in the state (`keepsState`).
 */
export function listQueryOf(filters: IndicatorFilters, cursor: string, limit: number): IndicatorListQuery {
  const text = filters.text.trim();
  const source = filters.source.trim();
  return {
    cursor,
    limit,
    ...(text ? { q: text } : {}),
    ...(filters.type ? { type: filters.type } : {}),
    ...(source ? { source } : {}),
    ...(filters.state === 'revoked' ? { revoked: 'true' as const } : filters.state ? { revoked: 'false' as const } : {}),
  };
}

export const keepsState = (filters: IndicatorFilters, now: number) => (indicator: Indicator) =>
  filters.state === '' || stateOf(indicator, now) === filters.state;

/** At most this many API pages are read for one page of the table (a rare state may need several). */
export const maxRequestsPerPage = 10;

/**
 * One page of the table: API pages from `cursor` on, by their `next_cursor`, until `limit`
 * indicators in the chosen state are found, the set ends (`next_cursor` "0"), or
 * `maxRequestsPerPage` pages were read. The cursor to go on from is the last page's.
 */
export async function searchPage(
  filters: IndicatorFilters,
  cursor: string,
  limit: number,
  fetchPage: (query: IndicatorListQuery) => Promise<IndicatorPage>,
  now: number,
): Promise<{ indicators: Indicator[]; nextCursor: string }> {
  const keep = keepsState(filters, now);
  const indicators: Indicator[] = [];
  let next = cursor;
  for (let requests = 0; requests < maxRequestsPerPage; requests++) {
    const page = await fetchPage(listQueryOf(filters, next, limit));
    indicators.push(...page.indicators.filter(keep));
    next = page.next_cursor;
    if (next === '0' || indicators.length >= limit) break;
  }
  return { indicators, nextCursor: next };
}

/** The latest sighting over every member (undefined when no member has seen it). */
export function lastSighting(sightings: readonly Sighting[]): string | undefined {
  let latest: string | undefined;
  for (const sighting of sightings) if (latest === undefined || Date.parse(sighting.lastSeen) > Date.parse(latest)) latest = sighting.lastSeen;
  return latest;
}

/** Sightings with the most hits first (then the most recent). */
export const bySightings = (a: Sighting, b: Sighting): number => b.count - a.count || Date.parse(b.lastSeen) - Date.parse(a.lastSeen);
