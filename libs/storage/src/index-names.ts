/** Index names for one deployment (or one test), all under its prefix. */
export class IndexNames {
  constructor(readonly prefix: string) {}

  /** Events go to daily indices by event time, so retention is deleting old indices. */
  eventsIndexFor(timestamp: string): string {
    return `${this.prefix}-events-${timestamp.slice(0, 10).replace(/-/g, '.')}`;
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
