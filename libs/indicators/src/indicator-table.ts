import type { Indicator } from './indicator.schema';
import { indicatorTypes, type IndicatorType } from './indicator-type';
import { tlpLevels } from './tlp';

const NO_END = Number.POSITIVE_INFINITY;

/**
 * Indicator metadata stored column-wise by small integer slot: one typed-array cell per field
 * instead of one object (plus two Dates and a labels array) per indicator. Sources and label
 * sets repeat across a feed, so each distinct one is kept once and referenced by number.
 * Freed slots are reused. An `Indicator` object is rebuilt only for a slot that matched.
 * A table in this process's memory, owned by `IndicatorIndex`; the shared indicator set in Redis
 * is `@soc/indicator-store`.
 */
export class IndicatorTable {
  private capacity = 0;
  private count = 0;
  private readonly freeSlots: number[] = [];

  readonly ids: (string | undefined)[] = [];
  readonly values: (string | undefined)[] = [];
  private types = new Uint8Array(0);
  private tlps = new Uint8Array(0);
  private confidences = new Uint8Array(0);
  private revokedFlags = new Uint8Array(0);
  private validFrom = new Float64Array(0);
  private validUntil = new Float64Array(0);
  private sourceRefs = new Uint32Array(0);
  private labelSetRefs = new Uint32Array(0);
  /** Next slot with the same indexed value (a chain per value, -1 ends it); owned by the index. */
  next = new Int32Array(0);

  // Rare fields: a sparse map costs nothing for the many indicators without them.
  private readonly descriptions = new Map<number, string>();
  private readonly references = new Map<number, string>();
  private readonly ports = new Map<number, number>();

  private readonly sourceNames: string[] = [];
  private readonly sourceRefByName = new Map<string, number>();
  private readonly labelSets: (readonly string[])[] = [];
  private readonly labelSetRefByKey = new Map<string, number>();

  constructor() {
    this.grow(1024);
  }

  get size(): number {
    return this.count;
  }

  /** Stores the indicator in a free slot and returns the slot. */
  allocate(indicator: Indicator): number {
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.ids.length;
    if (slot >= this.capacity) this.grow(this.capacity * 2);
    if (slot === this.ids.length) {
      this.ids.push(indicator.id);
      this.values.push(indicator.value);
    } else {
      this.ids[slot] = indicator.id;
      this.values[slot] = indicator.value;
    }
    this.types[slot] = indicatorTypes.indexOf(indicator.type);
    this.tlps[slot] = tlpLevels.indexOf(indicator.tlp);
    this.confidences[slot] = indicator.confidence;
    this.revokedFlags[slot] = indicator.revoked ? 1 : 0;
    this.validFrom[slot] = indicator.valid_from.getTime();
    this.validUntil[slot] = indicator.valid_until === undefined ? NO_END : indicator.valid_until.getTime();
    this.sourceRefs[slot] = this.internSource(indicator.source);
    this.labelSetRefs[slot] = this.internLabels(indicator.labels);
    this.next[slot] = -1;
    if (indicator.description !== undefined) this.descriptions.set(slot, indicator.description);
    if (indicator.reference !== undefined) this.references.set(slot, indicator.reference);
    if (indicator.port !== undefined) this.ports.set(slot, indicator.port);
    this.count++;
    return slot;
  }

  release(slot: number): void {
    this.ids[slot] = undefined;
    this.values[slot] = undefined;
    this.descriptions.delete(slot);
    this.references.delete(slot);
    this.ports.delete(slot);
    this.freeSlots.push(slot);
    this.count--;
  }

  type(slot: number): IndicatorType {
    return indicatorTypes[this.types[slot]!]!;
  }

  source(slot: number): string {
    return this.sourceNames[this.sourceRefs[slot]!]!;
  }

  revoke(slot: number): void {
    this.revokedFlags[slot] = 1;
  }

  /** Not revoked, and `at` (epoch ms) within [valid_from, valid_until). */
  isLive(slot: number, at: number): boolean {
    return this.revokedFlags[slot] === 0 && this.validFrom[slot]! <= at && at < this.validUntil[slot]!;
  }

  /** Ended before `at`: valid_until is at or before it. */
  hasExpired(slot: number, at: number): boolean {
    return this.validUntil[slot]! <= at;
  }

  /** Every occupied slot. Used by bulk maintenance, never by lookups. */
  *slots(): IterableIterator<number> {
    for (let slot = 0; slot < this.ids.length; slot++) if (this.ids[slot] !== undefined) yield slot;
  }

  /** Rebuilds the indicator held in `slot` as a frozen object. */
  materialise(slot: number): Indicator {
    const until = this.validUntil[slot]!;
    const indicator: Indicator = {
      id: this.ids[slot]!,
      type: this.type(slot),
      value: this.values[slot]!,
      source: this.source(slot),
      confidence: this.confidences[slot]!,
      tlp: tlpLevels[this.tlps[slot]!]!,
      valid_from: new Date(this.validFrom[slot]!),
      revoked: this.revokedFlags[slot] === 1,
      labels: this.labelSets[this.labelSetRefs[slot]!] as string[],
    };
    if (until !== NO_END) indicator.valid_until = new Date(until);
    const description = this.descriptions.get(slot);
    if (description !== undefined) indicator.description = description;
    const reference = this.references.get(slot);
    if (reference !== undefined) indicator.reference = reference;
    const port = this.ports.get(slot);
    if (port !== undefined) indicator.port = port;
    return Object.freeze(indicator);
  }

  private internSource(source: string): number {
    let ref = this.sourceRefByName.get(source);
    if (ref === undefined) {
      ref = this.sourceNames.length;
      this.sourceNames.push(source);
      this.sourceRefByName.set(source, ref);
    }
    return ref;
  }

  private internLabels(labels: readonly string[]): number {
    const key = labels.join('\u0000');
    let ref = this.labelSetRefByKey.get(key);
    if (ref === undefined) {
      ref = this.labelSets.length;
      this.labelSets.push(Object.freeze([...labels]));
      this.labelSetRefByKey.set(key, ref);
    }
    return ref;
  }

  private grow(capacity: number): void {
    this.capacity = capacity;
    this.types = resized(this.types, capacity);
    this.tlps = resized(this.tlps, capacity);
    this.confidences = resized(this.confidences, capacity);
    this.revokedFlags = resized(this.revokedFlags, capacity);
    this.validFrom = resized(this.validFrom, capacity);
    this.validUntil = resized(this.validUntil, capacity);
    this.sourceRefs = resized(this.sourceRefs, capacity);
    this.labelSetRefs = resized(this.labelSetRefs, capacity);
    this.next = resized(this.next, capacity);
  }
}

type Column = Uint8Array | Uint32Array | Int32Array | Float64Array;

function resized<T extends Column>(column: T, capacity: number): T {
  const grown = new (column.constructor as new (length: number) => T)(capacity);
  grown.set(column);
  return grown;
}
