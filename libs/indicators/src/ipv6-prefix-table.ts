const EMPTY = 255;
const MAX_LOAD = 0.5;
const WORDS = 4;
const MAX_LENGTH = 128;

/**
 * IPv6 prefixes of any length 0–128 (an address is a /128) mapped to int32 values; finds every
 * stored prefix containing an address given as four big-endian 32-bit words.
 *
 * Storage is one open-addressing hash table keyed by (length, masked address) in typed arrays,
 * with no per-entry objects. A lookup probes once per prefix length present in the table (feeds
 * use a handful: /128, /64, /48, /32), longest first: a few hash probes instead of up to 128
 * pointer hops down a bit trie, and no interior nodes to store. (IPv4 uses Ipv4PrefixTable,
 * which also skips lengths absent from the address's /16; for IPv6 the leading bits are shared
 * by nearly all global addresses, so that filter would not filter.)
 *
 * A value of -1 means "no entry": setting -1 leaves a tombstone key that is reused if the prefix
 * comes back and dropped at the next resize.
 */
export class Ipv6PrefixTable {
  private readonly words = WORDS;
  private readonly maxLength = MAX_LENGTH;
  // masks[length * words + w]: the bits of word w kept by a prefix of that length
  private readonly masks: Uint32Array;
  private capacity = 0;
  private keys = new Uint32Array(0);
  private lengths = new Uint8Array(0);
  private values = new Int32Array(0);
  private occupied = 0; // live and tombstoned keys
  private live = 0;
  private readonly liveByLength: Int32Array;
  private presentLengths = new Uint8Array(0); // lengths with a live entry, longest first

  constructor() {
    const words = WORDS;
    this.masks = new Uint32Array((this.maxLength + 1) * words);
    for (let length = 0; length <= this.maxLength; length++) {
      for (let w = 0; w < words; w++) {
        const bits = Math.min(32, Math.max(0, length - 32 * w));
        this.masks[length * words + w] = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      }
    }
    this.liveByLength = new Int32Array(this.maxLength + 1);
    this.allocate(16);
  }

  /** Number of prefixes with a value. */
  get size(): number {
    return this.live;
  }

  /** The value stored for exactly this prefix (host bits ignored), or -1. */
  get(address: Uint32Array, length: number): number {
    const slot = this.find(address, length);
    return slot < 0 ? -1 : this.values[slot]!;
  }

  /** Stores `value` for the prefix; -1 removes it. */
  set(address: Uint32Array, length: number, value: number): void {
    if (length < 0 || length > this.maxLength) throw new RangeError(`prefix length ${length} out of range`);
    let slot = this.find(address, length);
    if (slot < 0) {
      if (value < 0) return;
      if (this.occupied + 1 > this.capacity * MAX_LOAD) {
        this.resize();
      }
      slot = this.insertKey(address, length);
      this.values[slot] = -1;
      this.occupied++;
    }
    const wasLive = this.values[slot]! >= 0;
    this.values[slot] = value;
    const isLive = value >= 0;
    if (wasLive !== isLive) this.countLive(length, isLive ? 1 : -1);
  }

  /**
   * Writes the value of every stored prefix containing `address` into `out` from `offset`,
   * longest prefix first, and returns how many (at most 129).
   */
  collect(address: Uint32Array, out: Int32Array, offset = 0): number {
    const present = this.presentLengths;
    let found = 0;
    for (let p = 0; p < present.length; p++) {
      const slot = this.find(address, present[p]!);
      if (slot >= 0) {
        const value = this.values[slot]!;
        if (value >= 0) out[offset + found++] = value;
      }
    }
    return found;
  }

  /** True when some stored prefix contains `address`. */
  containsAny(address: Uint32Array): boolean {
    const present = this.presentLengths;
    for (let p = 0; p < present.length; p++) {
      const slot = this.find(address, present[p]!);
      if (slot >= 0 && this.values[slot]! >= 0) return true;
    }
    return false;
  }

  private hash(address: Uint32Array, length: number): number {
    const words = this.words;
    const maskBase = length * words;
    let h = Math.imul(length + 1, 0x9e3779b1);
    for (let w = 0; w < words; w++) {
      h = Math.imul(h ^ (address[w]! & this.masks[maskBase + w]!), 0x85ebca6b);
      h ^= h >>> 15;
    }
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  }

  private find(address: Uint32Array, length: number): number {
    const words = this.words;
    const maskBase = length * words;
    const last = this.capacity - 1;
    let slot = this.hash(address, length) & last;
    for (;;) {
      const slotLength = this.lengths[slot]!;
      if (slotLength === EMPTY) return -1;
      if (slotLength === length) {
        const keyBase = slot * words;
        let equal = true;
        for (let w = 0; w < words; w++) {
          if (this.keys[keyBase + w] !== (address[w]! & this.masks[maskBase + w]!) >>> 0) {
            equal = false;
            break;
          }
        }
        if (equal) return slot;
      }
      slot = (slot + 1) & last;
    }
  }

  private insertKey(address: Uint32Array, length: number): number {
    const words = this.words;
    const maskBase = length * words;
    const last = this.capacity - 1;
    let slot = this.hash(address, length) & last;
    while (this.lengths[slot] !== EMPTY) slot = (slot + 1) & last;
    this.lengths[slot] = length;
    for (let w = 0; w < words; w++) {
      this.keys[slot * words + w] = address[w]! & this.masks[maskBase + w]!;
    }
    return slot;
  }

  private allocate(capacity: number): void {
    this.capacity = capacity;
    this.keys = new Uint32Array(capacity * this.words);
    this.lengths = new Uint8Array(capacity).fill(EMPTY);
    this.values = new Int32Array(capacity);
    this.occupied = 0;
  }

  // Rehash live entries only, so tombstones from removals are reclaimed.
  private resize(): void {
    const { keys, lengths, values, capacity, words } = this;
    let next = 16;
    // Leave the table at most a third full, so it takes many inserts before the next resize.
    while (next * MAX_LOAD < (this.live + 1) * 1.5) next *= 2;
    this.allocate(next);
    const address = new Uint32Array(words);
    for (let slot = 0; slot < capacity; slot++) {
      if (lengths[slot] === EMPTY || values[slot]! < 0) continue;
      for (let w = 0; w < words; w++) address[w] = keys[slot * words + w]!;
      const target = this.insertKey(address, lengths[slot]!);
      this.values[target] = values[slot]!;
      this.occupied++;
    }
  }

  private countLive(length: number, delta: 1 | -1): void {
    this.live += delta;
    const before = this.liveByLength[length]!;
    this.liveByLength[length] = before + delta;
    if (before === 0 || before + delta === 0) {
      const present: number[] = [];
      for (let l = this.maxLength; l >= 0; l--) if (this.liveByLength[l]! > 0) present.push(l);
      this.presentLengths = Uint8Array.from(present);
    }
  }
}
