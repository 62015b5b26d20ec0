import type { QueryClause } from './attack-query';

/**
 * What the statistics ask storage for: member-day counts of a period. This library says what it
 * needs; the storage adapter (libs/storage `StatisticsRepository`) answers it with one
 * Elasticsearch aggregation.
 */
export interface MemberDayQuery {
  /** Inclusive calendar days `YYYY-MM-DD` in `timeZone`: the days of whole cells (`calendar`). */
  from: string;
  to: string;
  timeZone: string;
  /** Only these members' events are counted (the municipalities). */
  memberIds: string[];
  attemptQuery: QueryClause;
  categoryFilters: Record<string, QueryClause>;
}
