/**
 * Attack attempts of one municipality on one calendar day, as Elasticsearch aggregated them. A
 * member-day exists when the member forwarded ANY event that day: a municipality that sent logs
 * and saw no attempt counts as 0, one that sent nothing is not part of that day's population.
 */
export interface MemberDayCount {
  memberId: string;
  /** `YYYY-MM-DD` in the statistics time zone (Europe/Copenhagen). */
  day: string;
  attempts: number;
  /** Attempts per criterion id; each attempt is attributed to its first matching criterion. */
  byCategory: Record<string, number>;
}
