/** The Redis keys of the shared indicator set, under one deployment's key prefix. */
export class IndicatorKeys {
  constructor(private readonly prefix: string) {}

  /** Hash: indicator id → indicator JSON (the current version of each). */
  get indicators(): string {
    return `${this.prefix}:indicators`;
  }

  /** Stream: every change, in order; replicas follow it to keep their index live. */
  get changes(): string {
    return `${this.prefix}:indicators:changes`;
  }

  /** Hash per indicator: member id → sightings, `<member>:last` → last event time (epoch ms). */
  sightings(indicatorId: string): string {
    return `${this.prefix}:indicators:sightings:${indicatorId}`;
  }
}
