import { Detection, detectionFingerprint, RuleRef } from '@soc/contracts';

const maxEventIds = 100;
const maxObservables = 50;

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
    const windowStart = new Date(this.windowStart).toISOString();
    return {
      fingerprint: detectionFingerprint(this.ref.id, this.ownerId, this.groupKey, windowStart),
      kind: this.kind,
      rule: this.ref,
      organization: { id: this.ownerId },
      group_key: this.groupKey,
      window_start: windowStart,
      first_seen: new Date(this.first).toISOString(),
      last_seen: new Date(this.last).toISOString(),
      event_count: this.count,
      event_ids: eventIds,
      observables: [...this.observables.values()],
      detected_at: detectedAt,
    };
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
