import { municipalities } from '@soc/members';
import type { MemberDayCount } from '../member-day-count';

/**
 * Generated events with KNOWN attack attempts per municipality per day, for the statistics
 * integration tests and `npm run bench:stats` (test support, so not in the library's index).
 * Each municipality n owns 10.n.0.0/16 (n = its position in the list), so "from inside its own
 * ranges" and "from another member's range" can be generated.
 */
export const municipalityIds = municipalities.map((m) => m.code);
export const ownRange = (memberIndex: number) => `10.${memberIndex}.0.0/16`;
export const membersFileOfRanges = () => ({
  members: municipalityIds.map((id, n) => ({ id, network_ranges: [ownRange(n)] })),
});

/** The attempt kinds, cycled; each says which criterion the statistics must attribute it to. */
const attemptKinds = [
  { kind: 'failed_login_outside', category: 'failed_authentication' },
  { kind: 'blocked_connection', category: 'blocked_connection' },
  // Matches two criteria (failed login AND indicator): must count once, as its first criterion.
  { kind: 'failed_login_with_indicator', category: 'failed_authentication' },
  { kind: 'indicator_hit', category: 'indicator_hit' },
  // From ANOTHER municipality's range: outside this member's own ranges, so an attempt.
  { kind: 'failed_login_from_other_member', category: 'failed_authentication' },
  { kind: 'security_product_alert', category: 'detection' },
] as const;

/** Events that are NOT attempts: every generated member-day carries these. */
const noiseKinds = ['login_success', 'failed_login_inside_own_range', 'connection_allowed'] as const;
type Kind = (typeof attemptKinds)[number]['kind'] | (typeof noiseKinds)[number];

function eventOf(kind: Kind, memberIndex: number, day: string, i: number): Record<string, unknown> {
  // Mid-day UTC, so the Copenhagen calendar day is the same day whatever the DST.
  const at = new Date(Date.parse(`${day}T09:00:00Z`) + i * 1_000).toISOString();
  const outsider = `203.0.113.${i % 250}`;
  const base = { '@timestamp': at, organization: { id: municipalityIds[memberIndex] } };
  switch (kind) {
    case 'failed_login_outside':
      return { ...base, event: { category: ['authentication'], outcome: 'failure' }, source: { ip: outsider } };
    case 'blocked_connection':
      return { ...base, event: { category: ['network'], type: ['connection', 'denied'] }, source: { ip: outsider } };
    case 'failed_login_with_indicator':
      return { ...base, event: { category: ['authentication'], outcome: 'failure' }, source: { ip: outsider }, tags: ['indicator_match'] };
    case 'indicator_hit':
      return { ...base, event: { category: ['web'] }, source: { ip: outsider }, tags: ['indicator_match'] };
    case 'failed_login_from_other_member':
      return { ...base, event: { category: ['authentication'], outcome: 'failure' }, source: { ip: `10.${(memberIndex + 1) % 98}.2.${i % 250}` } };
    case 'security_product_alert':
      return { ...base, event: { kind: 'alert', category: ['malware'] } };
    case 'login_success':
      return { ...base, event: { category: ['authentication'], outcome: 'success' }, source: { ip: outsider } };
    case 'failed_login_inside_own_range':
      return { ...base, event: { category: ['authentication'], outcome: 'failure' }, source: { ip: `10.${memberIndex}.1.${i % 250}` } };
    case 'connection_allowed':
      return { ...base, event: { category: ['network'], type: ['connection', 'allowed'] }, source: { ip: outsider } };
  }
}

/** The events of one member-day with exactly `attempts` attempts, plus non-attempt noise. */
export function memberDayEvents(memberIndex: number, day: string, attempts: number): { events: Array<Record<string, unknown>>; truth: MemberDayCount } {
  const events: Array<Record<string, unknown>> = [];
  const byCategory: Record<string, number> = { failed_authentication: 0, blocked_connection: 0, indicator_hit: 0, detection: 0 };
  for (let i = 0; i < attempts; i += 1) {
    const { kind, category } = attemptKinds[(i + memberIndex) % attemptKinds.length];
    events.push(eventOf(kind, memberIndex, day, i));
    byCategory[category] += 1;
  }
  noiseKinds.forEach((kind, j) => events.push(eventOf(kind, memberIndex, day, attempts + j)));
  return { events, truth: { memberId: municipalityIds[memberIndex], day, attempts, byCategory } };
}

/** Non-attempt-looking attempts of a region (not a municipality): must not enter any figure. */
export function regionEvents(day: string, count: number): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => ({
    '@timestamp': new Date(Date.parse(`${day}T09:00:00Z`) + i * 1_000).toISOString(),
    organization: { id: '1081' },
    event: { category: ['authentication'], outcome: 'failure' },
    source: { ip: `203.0.113.${i % 250}` },
  }));
}

/** The calendar days from `from` for `count` days, as YYYY-MM-DD. */
export function daysFrom(from: string, count: number): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: count }, (_, d) => new Date(start + d * 86_400_000).toISOString().slice(0, 10));
}
