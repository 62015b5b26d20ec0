/**
 * How far from its arrival an event's own time may lie (EVENT_TIME_MAX_PAST_SECONDS,
 * EVENT_TIME_MAX_FUTURE_SECONDS). Events are indexed into daily indices by event time, so this
 * window is what bounds the number of indices senders can make the cluster create.
 */
export interface EventTimeWindow {
  maxPastMs: number;
  maxFutureMs: number;
}

/**
 * 30 days back covers a forwarder that buffered through a long outage or a laptop that was
 * offline for weeks; 1 day ahead covers clock skew and a syslog time read in the wrong zone.
 * Together at most 32 daily indices can be written (plus one day of grace at the index).
 */
export const defaultEventTimeWindow: EventTimeWindow = { maxPastMs: 30 * 86_400_000, maxFutureMs: 86_400_000 };

const dayMs = 86_400_000;

/** True when `eventMs` lies within the window around `nowMs` (both inclusive). */
export function isWithinEventTimeWindow(eventMs: number, nowMs: number, window: EventTimeWindow): boolean {
  return Number.isFinite(eventMs) && eventMs >= nowMs - window.maxPastMs && eventMs <= nowMs + window.maxFutureMs;
}

/**
 * The UTC days (epoch day numbers) an events index may be created for at `nowMs`: the window,
 * widened by `graceDays` on each side because indexing may run a little behind arrival.
 */
export function eventIndexDayRange(nowMs: number, window: EventTimeWindow, graceDays = 1): { first: number; last: number } {
  return {
    first: Math.floor((nowMs - window.maxPastMs) / dayMs) - graceDays,
    last: Math.floor((nowMs + window.maxFutureMs) / dayMs) + graceDays,
  };
}
