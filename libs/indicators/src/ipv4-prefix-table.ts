const EMPTY = 255;
const MAX_LOAD = 0.5;
const BUCKETS = 65_536; // one per /16

// MASKS[length]: the bits an IPv4 prefix of that length keeps.
const MASKS = new Uint32Array(33);
for (let length = 1; length <= 32; length++) MASKS[length] = (0xffffffff << (32 - length)) >>> 0;

function hash(key: number, length: number): number {
  let h = Math.imul(key ^ Math.imul(length + 1, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * IPv4 prefixes of any length 0–32 (an address is a /32) mapped to int32 values; finds every
 * stored prefix containing an address.
 *
 * Storage is one open-addressing hash table keyed by (length, masked address) in typed arrays:
 * no per-entry objects, about 27–54 bytes per prefix. A lookup probes the address itself as a
 * /32, then only those shorter lengths that some stored prefix has within the address's /16:
 * `coverage[address >>> 16]` is a bitmask of such lengths. Real feeds mix a dozen or more
 * prefix lengths; probing each for every address cost about 22 ns per length, while the /16
 * mask leaves one or two probes for a typical address.
 *
 * A value of -1 means "no entry": setting -1 leaves a tombstone key, reused if the prefix comes
 * back and dropped at the next resize. Coverage bits are not cleared on removal (a stale bit
 * costs one wasted probe, never a wrong answer) and are rebuilt at each resize.
 */
export class Ipv4PrefixTable {
  private capacity = 0;
  private keys = new Uint32Array(0);
  private lengths = new Uint8Array(0);
  private values = new Int32Array(0);
  private occupied = 0; // live and tombstoned keys
  private live = 0;
  private readonly coverage = new Uint32Array(BUCKETS);

  constructor() {
    this.allocate(16);
  }

  get size(): number {
    return this.live;
  }

  /** The value stored for exactly this prefix (host bits ignored), or -1. */
  get(address: number, length: number): number {
    const slot = this.find((address & MASKS[length]!) >>> 0, length);
    return slot < 0 ? -1 : this.values[slot]!;
  }

  /** Stores `value` for the prefix; -1 removes it. */
  set(address: number, length: number, value: number): void {
    if (length < 0 || length > 32) throw new RangeError(`IPv4 prefix length ${length} out of range`);
    const key = (address & MASKS[length]!) >>> 0;
    let slot = this.find(key, length);
    if (slot < 0) {
      if (value < 0) return;
      if (this.occupied + 1 > this.capacity * MAX_LOAD) this.resize();
      slot = this.insertKey(key, length);
      this.values[slot] = -1;
      this.occupied++;
    }
    const wasLive = this.values[slot]! >= 0;
    this.values[slot] = value;
    if (wasLive !== value >= 0) this.live += value >= 0 ? 1 : -1;
  }

  /**
   * Writes the value of every stored prefix containing `address` into `out` from `offset`,
   * longest first, and returns how many (at most 33).
   */
  collect(address: number, out: Int32Array, offset = 0): number {
    let found = 0;
    const exact = this.find(address, 32);
    if (exact >= 0 && this.values[exact]! >= 0) out[offset + found++] = this.values[exact]!;
    let lengths = this.coverage[address >>> 16]!;
    while (lengths !== 0) {
      const length = 31 - Math.clz32(lengths);
      lengths ^= 1 << length;
      const slot = this.find((address & MASKS[length]!) >>> 0, length);
      if (slot >= 0 && this.values[slot]! >= 0) out[offset + found++] = this.values[slot]!;
    }
    return found;
  }

  /** True when some stored prefix contains `address`. */
  containsAny(address: number): boolean {
    const exact = this.find(address, 32);
    if (exact >= 0 && this.values[exact]! >= 0) return true;
    let lengths = this.coverage[address >>> 16]!;
    while (lengths !== 0) {
      const length = 31 - Math.clz32(lengths);
      lengths ^= 1 << length;
      const slot = this.find((address & MASKS[length]!) >>> 0, length);
      if (slot >= 0 && this.values[slot]! >= 0) return true;
    }
    return false;
  }

  private find(key: number, length: number): number {
    const last = this.capacity - 1;
    let slot = hash(key, length) & last;
    for (;;) {
      const slotLength = this.lengths[slot]!;
      if (slotLength === EMPTY) return -1;
      if (slotLength === length && this.keys[slot] === key) return slot;
      slot = (slot + 1) & last;
    }
  }

  private insertKey(key: number, length: number): number {
    const last = this.capacity - 1;
    let slot = hash(key, length) & last;
    while (this.lengths[slot] !== EMPTY) slot = (slot + 1) & last;
    this.lengths[slot] = length;
    this.keys[slot] = key;
    if (length < 32) this.cover(key, length);
    return slot;
  }

  // Marks every /16 that the prefix overlaps: one for /16 and longer, 2^(16-length) for shorter.
  private cover(key: number, length: number): void {
    const bit = 1 << length;
    const first = key >>> 16;
    const count = length >= 16 ? 1 : 1 << (16 - length);
    for (let bucket = first; bucket < first + count; bucket++) this.coverage[bucket] |= bit;
  }

  private allocate(capacity: number): void {
    this.capacity = capacity;
    this.keys = new Uint32Array(capacity);
    this.lengths = new Uint8Array(capacity).fill(EMPTY);
    this.values = new Int32Array(capacity);
    this.occupied = 0;
  }

  // Rehash live entries only, reclaiming tombstones and stale coverage bits.
  private resize(): void {
    const { keys, lengths, values, capacity } = this;
    let next = 16;
    // At most a third full afterwards, so many inserts pass before the next resize.
    while (next * MAX_LOAD < (this.live + 1) * 1.5) next *= 2;
    this.allocate(next);
    this.coverage.fill(0);
    for (let slot = 0; slot < capacity; slot++) {
      if (lengths[slot] === EMPTY || values[slot]! < 0) continue;
      const target = this.insertKey(keys[slot]!, lengths[slot]!);
      this.values[target] = values[slot]!;
      this.occupied++;
    }
  }
}
