import type { MemberHealth } from './collector-api';

/** How recently a member's forwarders sent an event: `never` (nothing accepted yet) and `silent` are the ones to act on. */
export type Recency = 'active' | 'quiet' | 'silent' | 'never';

/** Up to 5 minutes since the last event is active; more than 15 minutes is silent (docs/CONSOLE.md, "Ingestion"). */
export const activeWithinMs = 5 * 60_000;
export const silentAfterMs = 15 * 60_000;

export function recencyOf(health: Pick<MemberHealth, 'last_event_at'>, now: number): Recency {
  if (health.last_event_at === null) return 'never';
  const age = now - Date.parse(health.last_event_at);
  if (age > silentAfterMs) return 'silent';
  return age > activeWithinMs ? 'quiet' : 'active';
}

/**
 * Silent members first, so the one to call is at the top: those that never sent, then the
 * longest silent (oldest last event first), the member id last for a stable order.
 */
export function bySilenceFirst(a: Pick<MemberHealth, 'last_event_at' | 'member_id'>, b: Pick<MemberHealth, 'last_event_at' | 'member_id'>): number {
  const last = (h: Pick<MemberHealth, 'last_event_at'>) => (h.last_event_at === null ? -Infinity : Date.parse(h.last_event_at));
  return last(a) - last(b) || a.member_id.localeCompare(b.member_id);
}

/**
 * The share of a member's events that failed to parse: parse errors over everything that
 * reached a parser (accepted events and parse errors); null before anything did.
 */
export function parseErrorRate(health: Pick<MemberHealth, 'accepted' | 'parse_errors'>): number | null {
  const seen = health.accepted + health.parse_errors;
  return seen === 0 ? null : health.parse_errors / seen;
}

/** The refusal reasons with a count, largest first (reasons come from the API as it names them). */
export function refusalsOf(health: Pick<MemberHealth, 'refused'>): Array<[reason: string, count: number]> {
  return Object.entries(health.refused)
    .filter(([, count]) => count > 0)
    .sort(([ra, a], [rb, b]) => b - a || ra.localeCompare(rb));
}
