/**
 * An incident's SLA clock as the incident queue shows it, from the deadlines alerting gives
 * (`GET /queues/incidents`: `sla_due_at`, `sla_seconds`, `next_escalation_at`; docs/ALERTING.md,
 * "SLA timers and escalation"). Pure: the page passes the time, once a second.
 */
export type SlaState = 'on-time' | 'due-soon' | 'overdue';

/** A quarter of the severity's SLA or less left: due soon (15 min SLA → the last 3 min 45 s). */
export const dueSoonShare = 0.25;

export interface SlaDeadlines {
  sla_due_at: string;
  sla_seconds: number;
  next_escalation_at: string | null;
  next_escalation_level: number | null;
}

export interface Countdown {
  state: SlaState;
  /** Until the SLA runs out; negative once it has (overdue by its absolute value). */
  slaLeftMs: number;
  /** The next escalation: its level and the time until it (negative while the due timer waits for the worker); none after level 3. */
  next: { level: number; leftMs: number } | null;
}

export function countdownOf(item: SlaDeadlines, now: number): Countdown {
  const slaLeftMs = Date.parse(item.sla_due_at) - now;
  const state: SlaState = slaLeftMs <= 0 ? 'overdue' : slaLeftMs <= item.sla_seconds * 1000 * dueSoonShare ? 'due-soon' : 'on-time';
  const next =
    item.next_escalation_at !== null && item.next_escalation_level !== null
      ? { level: item.next_escalation_level, leftMs: Date.parse(item.next_escalation_at) - now }
      : null;
  return { state, slaLeftMs, next };
}

/**
 * A span as a clock, whole seconds (a part second counts as a second while time is left, so
 * 0:00 is shown only once it ran out): `m:ss` under an hour, `h:mm:ss` under a day, `Nd h:mm:ss`
 * beyond. The sign is the caller's: the absolute value is written.
 */
export function clock(ms: number): string {
  const total = Math.ceil(Math.abs(ms) / 1000 - 1e-9);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (days > 0) return `${days}d ${hours}:${two(minutes)}:${two(seconds)}`;
  if (hours > 0) return `${hours}:${two(minutes)}:${two(seconds)}`;
  return `${minutes}:${two(seconds)}`;
}

/** Below this the browser's clock is taken as right: the HTTP `Date` header has whole seconds. */
export const toleratedSkewMs = 2000;

/**
 * How far the browser's clock is behind the server's (add it to `Date.now()`), from the answer's
 * HTTP `Date` header read at `receivedAt`: deadlines are the server's times, so a browser clock
 * minutes off would count down wrongly. 0 without a header, or within the tolerance.
 */
export function clockOffset(dateHeader: string | null, receivedAt: number): number {
  const server = dateHeader ? Date.parse(dateHeader) : NaN;
  if (Number.isNaN(server)) return 0;
  const offset = server - receivedAt;
  return Math.abs(offset) <= toleratedSkewMs ? 0 : offset;
}
