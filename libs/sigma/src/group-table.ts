import { randomInt } from 'node:crypto';

/**
 * Finds a window group's row by (scope number, group value): for the in-memory window store, and for
 * the rule set gathering a batch's matches by group.
 *
 * A `Map` keyed by the group string reads the stored key string on every probe, and a store of tens
 * of thousands of groups keeps those strings scattered over the old generation: each lookup and
 * each delete cost a few cache misses (measured: most of the store's time). Here hashes live in
 * typed arrays: a probe compares numbers and reads a stored string only when the hash and the scope
 * already match, and the sweep rebuilds the table from the rows' hashes without touching a string.
 *
 * Open addressing with linear probing, at most half full. There is no delete: the owner frees rows and
 * then calls `rebuild`.
 */
export class GroupTable {
  /** Row + 1 per slot; 0 is empty. */
  private slots = new Int32Array(1024);
  private mask = 1023;
  private count = 0;

  constructor(private readonly rows: GroupTableRows) {}

  /** The row of (scope, group) with this `hashGroup`, or -1. */
  find(scope: number, group: string | null, hash: number): number {
    const { slots, mask, rows } = this;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const row = slots[i] - 1;
      if (row < 0) return -1;
      if (rows.hash[row] === hash && rows.scopeId[row] === scope && rows.group[row] === group) return row;
    }
  }

  /** Adds a row that `find` did not find; its hash is already in `rows.hash`. */
  insert(row: number): void {
    if (2 * (this.count + 1) > this.slots.length) this.resize(this.slots.length * 2);
    this.place(row);
    this.count++;
  }

  /** Forgets every row, keeping the table's size (for a table reused batch after batch). */
  clear(): void {
    if (this.count === 0) return;
    this.slots.fill(0);
    this.count = 0;
  }

  /** Re-indexes the rows `isLive` accepts, after the owner freed some. */
  rebuild(used: number, isLive: (row: number) => boolean): void {
    let live = 0;
    for (let row = 0; row < used; row++) if (isLive(row)) live++;
    // Room for as many groups again before the table is half full: an owner that sweeps after as
    // many updates as the sweep left groups then never has to grow it in between.
    let capacity = 1024;
    while (capacity < 4 * live) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.count = live;
    for (let row = 0; row < used; row++) if (isLive(row)) this.place(row);
  }

  private place(row: number): void {
    const { slots, mask } = this;
    let i = this.rows.hash[row] & mask;
    while (slots[i] !== 0) i = (i + 1) & mask;
    slots[i] = row + 1;
  }

  private resize(capacity: number): void {
    const old = this.slots;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let i = 0; i < old.length; i++) if (old[i] !== 0) this.place(old[i] - 1);
  }
}

/** The columns of the owner's rows the table reads. */
export interface GroupTableRows {
  readonly hash: Int32Array;
  readonly scopeId: Int32Array;
  readonly group: readonly (string | null)[];
}

/**
 * FNV-1a over the group's UTF-16 code units, started from a per-store random seed and the scope
 * number; null has its own value. Group values can be chosen by an attacker (user names in failed
 * logins), and a fixed hash would let them send values that all collide and turn every lookup into a
 * scan; with an unknown seed they cannot aim. The table stays correct under collisions either way:
 * it compares the strings.
 */
export function hashGroup(seed: number, scope: number, group: string | null): number {
  let h = (seed ^ Math.imul(scope + 1, 0x9e3779b1)) | 0;
  if (group === null) return Math.imul(h ^ 0x5bd1e995, 0x01000193);
  for (let i = 0; i < group.length; i++) h = Math.imul(h ^ group.charCodeAt(i), 0x01000193);
  return h ^ (h >>> 15);
}

/** A seed for `hashGroup`, from the system's cryptographic random source. */
export function randomHashSeed(): number {
  return randomInt(0x100000000) | 0;
}
