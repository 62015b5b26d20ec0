import { Detection, detectionFingerprint, RuleRef } from '@soc/contracts';
import type { FieldReader, MatchContext } from './match-context';

/**
 * Turns matches into `Detection`s. A detection's identity is (rule, member, group key, window start):
 * the fingerprint is the BullMQ job id and the Elasticsearch `_id`, so re-evaluating a redelivered
 * batch yields the same ids, and detections sharing a fingerprint are parts of one alert.
 */
export const maxEventIds = 100;
export const maxObservables = 50;

/** Matches of one single-event rule for one member in one event-time bucket, gathered over a batch. */
export class MatchAggregate {
  first = Infinity;
  last = -Infinity;
  count = 0;
  private readonly eventIds = new Set<string>();
  /** Field label → values seen; nested so that a repeated value costs a lookup, not a new string. */
  private readonly observables = new Map<string, Set<string>>();
  private observableCount = 0;

  constructor(
    readonly ref: RuleRef,
    readonly memberId: string,
    readonly groupKey: string,
    readonly windowStart: number,
  ) {}

  /**
   * One match of the context's current event: its fields are read through the context, which has
   * most of them already (the rule's test read them, and rules matching the same event share them).
   */
  add(time: number, eventId: string | undefined, ctx: MatchContext, fields: readonly FieldReader[]): void {
    this.count++;
    if (time < this.first) this.first = time;
    if (time > this.last) this.last = time;
    if (eventId !== undefined && this.eventIds.size < maxEventIds) this.eventIds.add(eventId);
    if (this.observableCount >= maxObservables) return;
    for (const reader of fields) {
      const value = observableValue(ctx.read(reader));
      if (value === undefined) continue;
      let values = this.observables.get(reader.label);
      if (!values) {
        values = new Set();
        this.observables.set(reader.label, values);
      }
      if (!values.has(value) && this.observableCount < maxObservables) {
        values.add(value);
        this.observableCount++;
      }
    }
  }

  toDetection(kind: Detection['kind'], detectedAt: string, identity?: DetectionIdentity): Detection {
    const observables: { field: string; value: string }[] = [];
    for (const [field, values] of this.observables) for (const value of values) observables.push({ field, value });
    return buildDetection({
      identity,
      kind,
      ref: this.ref,
      memberId: this.memberId,
      groupKey: this.groupKey,
      windowStart: this.windowStart,
      first: this.first,
      last: this.last,
      count: this.count,
      eventIds: [...this.eventIds],
      observables,
      detectedAt,
      bounded: true,
    });
  }
}

/** A detection's fingerprint and ISO window start, which depend only on (rule, member, group key, window start). */
export interface DetectionIdentity {
  fingerprint: string;
  windowStart: string;
}

export interface DetectionParts {
  /** Computed before for the same (ref.id, memberId, groupKey, windowStart): the hash and the date are not built again. */
  identity?: DetectionIdentity;
  kind: Detection['kind'];
  ref: RuleRef;
  memberId: string;
  groupKey: string;
  windowStart: number;
  first: number;
  last: number;
  count: number;
  eventIds: readonly string[];
  observables: readonly { field: string; value: string }[];
  detectedAt: string;
  /**
   * The caller built `eventIds` distinct and both lists within their limits, as new arrays the
   * detection may keep: they are not copied again (a SigmaHQ pass builds ~27k detections).
   */
  bounded?: true;
}

export function buildDetection(parts: DetectionParts): Detection {
  const { fingerprint, windowStart } = parts.identity ?? detectionIdentity(parts.ref.id, parts.memberId, parts.groupKey, parts.windowStart);
  return {
    fingerprint,
    kind: parts.kind,
    rule: parts.ref,
    organization: { id: parts.memberId },
    group_key: parts.groupKey,
    window_start: windowStart,
    first_seen: new Date(parts.first).toISOString(),
    last_seen: new Date(parts.last).toISOString(),
    event_count: parts.count,
    event_ids: parts.bounded ? (parts.eventIds as string[]) : [...new Set(parts.eventIds)].slice(0, maxEventIds),
    observables: parts.bounded ? (parts.observables as Detection['observables']) : parts.observables.slice(0, maxObservables),
    detected_at: parts.detectedAt,
  };
}

export function detectionIdentity(ruleId: string, memberId: string, groupKey: string, windowStartMs: number): DetectionIdentity {
  const windowStart = new Date(windowStartMs).toISOString();
  return { fingerprint: detectionFingerprint(ruleId, memberId, groupKey, windowStart), windowStart };
}

/** A field value as the analyst sees it; structured values are not observables. */
export function observableValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A group-by value as it enters the group key: absent fields group together as null. */
export function groupValue(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map((v) => groupValue(v) ?? '').join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
