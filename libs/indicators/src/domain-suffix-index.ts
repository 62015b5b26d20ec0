import { lowercaseIfNeeded } from './lowercase';

const MAX_LOAD = 0.5;
const DOT = 46;

// FNV-1a over the characters from the END of the name, so the hash of every parent domain of an
// observed name falls out of a single right-to-left pass.
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

function finish(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function reversedHash(name: string): number {
  let h = FNV_OFFSET;
  for (let i = name.length - 1; i >= 0; i--) h = Math.imul(h ^ name.charCodeAt(i), FNV_PRIME);
  return finish(h);
}

/**
 * Domains mapped to int32 values, looked up by any name at or below them: `evil.com` is found
 * for `evil.com` and `a.b.evil.com`, never for `notevil.com`.
 *
 * Instead of a reversed-label trie (one object per label node), each stored domain is one entry
 * in an open-addressing table keyed by a hash of its characters taken right to left. A lookup
 * walks the observed name once from the right and, at each label boundary, probes the table
 * with the hash so far, confirming a hit with `startsWith` at that offset. Nothing is allocated
 * per lookup, and memory is one table slot per domain.
 *
 * A value of -1 means "no entry" (a tombstone until the next resize).
 */
export class DomainSuffixIndex {
  private capacity = 0;
  private hashes = new Uint32Array(0);
  private names: (string | undefined)[] = [];
  private values = new Int32Array(0);
  private occupied = 0;
  private live = 0;

  constructor() {
    this.allocate(16);
  }

  get size(): number {
    return this.live;
  }

  /** The value stored for exactly this (canonical, lowercase) domain, or -1. */
  get(domain: string): number {
    const slot = this.find(domain, reversedHash(domain));
    return slot < 0 ? -1 : this.values[slot]!;
  }

  /** Stores `value` for the canonical domain; -1 removes it. */
  set(domain: string, value: number): void {
    const hash = reversedHash(domain);
    let slot = this.find(domain, hash);
    if (slot < 0) {
      if (value < 0) return;
      if (this.occupied + 1 > this.capacity * MAX_LOAD) this.resize();
      slot = this.insertKey(domain, hash);
      this.values[slot] = -1;
      this.occupied++;
    }
    const wasLive = this.values[slot]! >= 0;
    this.values[slot] = value;
    if (wasLive !== value >= 0) this.live += value >= 0 ? 1 : -1;
  }

  /**
   * Writes the values of the observed `name` and of each of its parent domains that are stored
   * into `out`, most specific first; returns how many. Case and a trailing dot are ignored.
   */
  collect(name: string, out: Int32Array): number {
    if (this.live === 0) return 0;
    const text = lowercaseIfNeeded(name);
    let end = text.length;
    if (end > 0 && text.charCodeAt(end - 1) === DOT) end--;
    let found = 0;
    let h = FNV_OFFSET;
    for (let i = end - 1; i >= 0 && found < out.length; i--) {
      h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
      if (i === 0 || text.charCodeAt(i - 1) === DOT) {
        const value = this.probe(finish(h), text, i, end);
        if (value >= 0) out[found++] = value;
      }
    }
    // Found shortest suffix first; callers want the most specific domain first.
    for (let i = 0, j = found - 1; i < j; i++, j--) {
      const swap = out[i]!;
      out[i] = out[j]!;
      out[j] = swap;
    }
    return found;
  }

  /** True when `name` or one of its parent domains is stored. */
  containsDomainOf(name: string): boolean {
    if (this.live === 0) return false;
    const text = lowercaseIfNeeded(name);
    let end = text.length;
    if (end > 0 && text.charCodeAt(end - 1) === DOT) end--;
    let h = FNV_OFFSET;
    for (let i = end - 1; i >= 0; i--) {
      h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
      if ((i === 0 || text.charCodeAt(i - 1) === DOT) && this.probe(finish(h), text, i, end) >= 0) return true;
    }
    return false;
  }

  // Looks up the stored domain equal to text[start, end) without slicing it out.
  private probe(hash: number, text: string, start: number, end: number): number {
    const last = this.capacity - 1;
    const length = end - start;
    let slot = hash & last;
    for (;;) {
      const stored = this.names[slot];
      if (stored === undefined) return -1;
      if (this.hashes[slot] === hash && stored.length === length && text.startsWith(stored, start)) {
        return this.values[slot]!;
      }
      slot = (slot + 1) & last;
    }
  }

  private find(domain: string, hash: number): number {
    const last = this.capacity - 1;
    let slot = hash & last;
    for (;;) {
      const stored = this.names[slot];
      if (stored === undefined) return -1;
      if (this.hashes[slot] === hash && stored === domain) return slot;
      slot = (slot + 1) & last;
    }
  }

  private insertKey(domain: string, hash: number): number {
    const last = this.capacity - 1;
    let slot = hash & last;
    while (this.names[slot] !== undefined) slot = (slot + 1) & last;
    this.names[slot] = domain;
    this.hashes[slot] = hash;
    return slot;
  }

  private allocate(capacity: number): void {
    this.capacity = capacity;
    this.hashes = new Uint32Array(capacity);
    this.names = new Array<string | undefined>(capacity).fill(undefined);
    this.values = new Int32Array(capacity);
    this.occupied = 0;
  }

  private resize(): void {
    const { hashes, names, values, capacity } = this;
    let next = 16;
    while (next * MAX_LOAD < (this.live + 1) * 1.5) next *= 2;
    this.allocate(next);
    for (let slot = 0; slot < capacity; slot++) {
      const name = names[slot];
      if (name === undefined || values[slot]! < 0) continue;
      const target = this.insertKey(name, hashes[slot]!);
      this.values[target] = values[slot]!;
      this.occupied++;
    }
  }
}
