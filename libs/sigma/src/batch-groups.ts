import { GroupTable, hashGroup, randomHashSeed } from './group-table';

/** A window scope (correlation family id, owner) as a string for the store and a number for hashing. */
export interface Scope {
  scope: string;
  id: number;
}

/** Families × owners: the scope cache never grows past this (owners come from stamped events). */
const maxCachedScopes = 100_000;

/**
 * Gathers one batch's correlation matches by window group, so the store sees each group once: a
 * group's row is its index in the batch's list of groups. The table and its columns are reused
 * batch after batch (no `Map` per family and owner to build per batch), and scopes are built once
 * and shared by every batch, so their strings' hashes are computed once.
 */
export class BatchGroups {
  /** Seeds the table's hash (see `hashGroup`: group values can be chosen by an attacker). */
  private readonly seed = randomHashSeed();
  private readonly rows = new BatchRows();
  private readonly table = new GroupTable(this.rows);
  /** The hash of the last `find`, for the `add` that follows a miss. */
  private lastHash = 0;
  private readonly scopes = new Map<string, Map<string, Scope>>();
  private scopeCount = 0;
  /** Scopes past the cache's cap, numbered for one batch only (the cap is far above families × members). */
  private readonly overflowScopes = new Map<string, Scope>();

  /** Starts a batch: the last one's groups are forgotten, and so are their values. */
  start(): void {
    this.table.clear();
    this.rows.forget();
    this.overflowScopes.clear();
  }

  /** The window scope of a family and owner. */
  scopeOf(familyId: string, owner: string): Scope {
    let byOwner = this.scopes.get(familyId);
    if (byOwner === undefined) {
      byOwner = new Map();
      this.scopes.set(familyId, byOwner);
    }
    const cached = byOwner.get(owner);
    if (cached !== undefined) return cached;
    const scope = `${familyId}\u0000${owner}`;
    if (this.scopeCount < maxCachedScopes) {
      const created = { scope, id: this.scopeCount++ };
      byOwner.set(owner, created);
      return created;
    }
    let overflow = this.overflowScopes.get(scope);
    if (overflow === undefined) {
      overflow = { scope, id: maxCachedScopes + this.overflowScopes.size };
      this.overflowScopes.set(scope, overflow);
    }
    return overflow;
  }

  /** The row of (scope, group) in this batch, or -1: then `add` it as the next row. */
  find(scope: Scope, group: string | null): number {
    this.lastHash = hashGroup(this.seed, scope.id, group);
    return this.table.find(scope.id, group, this.lastHash);
  }

  /** Adds the group the last `find` missed, as row `row`. */
  add(row: number, scope: Scope, group: string | null): void {
    this.rows.add(row, scope.id, group, this.lastHash);
    this.table.insert(row);
  }
}

/** The columns of a batch's groups that its `GroupTable` reads; they grow and are reused. */
class BatchRows {
  hash = new Int32Array(1024);
  scopeId = new Int32Array(1024);
  group: (string | null)[] = [];
  private used = 0;

  /** Drops the last batch's group values, so they do not outlive it. */
  forget(): void {
    this.group.fill(null, 0, this.used);
    this.used = 0;
  }

  add(row: number, scope: number, group: string | null, hash: number): void {
    if (row === this.hash.length) {
      const hashes = new Int32Array(row * 2);
      hashes.set(this.hash);
      this.hash = hashes;
      const scopes = new Int32Array(row * 2);
      scopes.set(this.scopeId);
      this.scopeId = scopes;
    }
    this.hash[row] = hash;
    this.scopeId[row] = scope;
    this.group[row] = group;
    this.used = row + 1;
  }
}
