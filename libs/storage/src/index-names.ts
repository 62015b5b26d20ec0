import { eventIndexDayRange, eventTimeMs, type EventTimeWindow } from '@soc/contracts';

const dayMs = 86_400_000;
const maxRememberedDays = 256;

/** An event time no events index may be created for (outside the event-time window). */
export class EventTimeOutsideWindowError extends Error {
  constructor(timestamp: string) {
    super(`@timestamp ${timestamp} is outside the event-time window; no events index is created for it`);
    this.name = 'EventTimeOutsideWindowError';
  }
}

/** Index names for one deployment (or one test), all under its prefix. */
export class IndexNames {
  /**
   * @param window when given, `eventsIndexFor` refuses a day outside it (one day of grace each
   *   side): the collector already re-times such events, this is defence in depth so that no
   *   path can create an index for any year.
   */
  constructor(
    readonly prefix: string,
    private readonly window?: EventTimeWindow,
  ) {}

  /** The index name of each UTC day asked for lately: the indexer names one per event. */
  private readonly dayNames = new Map<number, string>();
  /** The allowed days at the last `nowMs` asked with (a bulk request asks with one `nowMs`). */
  private allowed?: { nowMs: number; first: number; last: number };

  /** Events go to daily indices by event time (UTC day), so retention is deleting old indices. */
  eventsIndexFor(timestamp: string, nowMs = Date.now()): string {
    const ms = eventTimeMs(timestamp);
    if (!Number.isFinite(ms)) throw new EventTimeOutsideWindowError(timestamp);
    const day = Math.floor(ms / dayMs);
    if (this.window) {
      if (this.allowed?.nowMs !== nowMs) this.allowed = { nowMs, ...eventIndexDayRange(nowMs, this.window) };
      if (day < this.allowed.first || day > this.allowed.last) throw new EventTimeOutsideWindowError(timestamp);
    }
    let name = this.dayNames.get(day);
    if (name === undefined) {
      // Bounded: the window allows some 33 days; without a window (tests, tools) any day may come.
      if (this.dayNames.size >= maxRememberedDays) this.dayNames.clear();
      name = `${this.prefix}-events-${new Date(day * dayMs).toISOString().slice(0, 10).replace(/-/g, '.')}`;
      this.dayNames.set(day, name);
    }
    return name;
  }

  get eventsPattern(): string {
    return `${this.prefix}-events-*`;
  }

  get alerts(): string {
    return `${this.prefix}-alerts`;
  }

  /** Who changed what, when: alerts' and exceptions' history. */
  get audit(): string {
    return `${this.prefix}-audit`;
  }

  get exceptions(): string {
    return `${this.prefix}-exceptions`;
  }

  /** Every index of this prefix, for clean-up in tests. */
  get all(): string {
    return `${this.prefix}-*`;
  }
}
