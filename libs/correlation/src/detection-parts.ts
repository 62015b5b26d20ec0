import type { Detection, RuleRef } from '@soc/contracts';
import { buildDetection, maxEventIds, maxObservables } from '@soc/sigma';

/**
 * Matches gathered over one batch for one (rule, owner, group key, window) — the identity of an
 * alert. The fingerprint comes from event time only, so a replayed batch gives the same ids.
 */
export class DetectionAggregate {
  first = Infinity;
  last = -Infinity;
  count = 0;
  readonly eventIds = new Set<string>();
  private readonly observables = new Map<string, { field: string; value: string }>();

  constructor(
    readonly kind: Detection['kind'],
    readonly ref: RuleRef,
    readonly ownerId: string,
    readonly groupKey: string,
    readonly windowStart: number,
  ) {}

  add(time: number, eventId: string | undefined): void {
    this.count++;
    if (time < this.first) this.first = time;
    if (time > this.last) this.last = time;
    if (eventId && this.eventIds.size < maxEventIds) this.eventIds.add(eventId);
  }

  observe(field: string, value: string): void {
    if (this.observables.size >= maxObservables) return;
    const key = `${field}\u0000${value}`;
    if (!this.observables.has(key)) this.observables.set(key, { field, value });
  }

  toDetection(detectedAt: string, eventIds: string[] = [...this.eventIds]): Detection {
    return buildDetection({
      kind: this.kind,
      ref: this.ref,
      memberId: this.ownerId,
      groupKey: this.groupKey,
      windowStart: this.windowStart,
      first: this.first,
      last: this.last,
      count: this.count,
      eventIds,
      observables: [...this.observables.values()],
      detectedAt,
    });
  }
}

/** Gets or creates the aggregate for a key. */
export function aggregateFor(map: Map<string, DetectionAggregate>, key: string, create: () => DetectionAggregate): DetectionAggregate {
  let aggregate = map.get(key);
  if (!aggregate) {
    aggregate = create();
    map.set(key, aggregate);
  }
  return aggregate;
}

export function bucketStart(time: number, size: number): number {
  return Math.floor(time / size) * size;
}
