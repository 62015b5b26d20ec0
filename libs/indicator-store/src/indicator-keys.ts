import { familyKey } from '@soc/redis';

/**
 * The Redis keys of the shared indicator set, under one deployment's key prefix. On a Redis
 * Cluster (`cluster`) the set and its change log share the tag `{indicators}` (written in one
 * MULTI), and the sightings theirs, `{indicator-sightings}` (one pipeline per batch); on a single
 * Redis the names are the ones used before cluster support.
 */
export class IndicatorKeys {
  constructor(
    private readonly prefix: string,
    private readonly cluster = false,
  ) {}

  /** Hash: indicator id → indicator JSON (the current version of each). */
  get indicators(): string {
    return familyKey(this.prefix, 'indicators', this.cluster);
  }

  /** Stream: every change, in order; replicas follow it to keep their index live. */
  get changes(): string {
    return `${this.indicators}:changes`;
  }

  /** Hash per indicator: member id → sightings, `<member>:last` → last event time (epoch ms). */
  sightings(indicatorId: string): string {
    return this.cluster ? `${familyKey(this.prefix, 'indicator-sightings', true)}:${indicatorId}` : `${this.prefix}:indicators:sightings:${indicatorId}`;
  }
}
