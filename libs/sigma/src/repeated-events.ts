import type { SocEvent } from '@soc/contracts';

/**
 * Syslog daemons collapse identical lines into one `message repeated N times: [ … ]`, which the
 * parsers keep as one event with `log.repeat_count: N` (libs/parsing ECS-CONVENTIONS.md). That
 * event stands for N events, so an event_count correlation counts it N times: its window gets N
 * entries, the first under the event's id and the others under derived ids, so that the store's
 * (event id, value) identity keeps them apart and a redelivered event still adds nothing.
 */
const repeatSeparator = '#repeat-';

/** How many events an event stands for: `log.repeat_count` when it is an integer ≥ 2, capped. */
export function repeatCountOf(event: SocEvent, cap: number): number {
  const count = (event.log as { repeat_count?: unknown } | undefined)?.repeat_count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 2) return 1;
  return Math.min(count, cap);
}

/** The window-entry id of the `index`-th (2, 3, …) repetition of an event. */
export function repeatedEntryId(eventId: string, index: number): string {
  return `${eventId}${repeatSeparator}${index}`;
}

/** The event an entry came from (entries of repetitions name the event they repeat). */
export function eventIdOfEntry(entryId: string): string {
  const at = entryId.lastIndexOf(repeatSeparator);
  return at === -1 ? entryId : entryId.slice(0, at);
}
