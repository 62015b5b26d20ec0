import { GroupTable, hashGroup, randomHashSeed } from './group-table';
import { FiredWindow, markWindowFired, mergeWindow, StoredWindow, WindowEntry, WindowState, WindowStore, WindowUpdate } from './window-store';

/**
 * Window state in process memory: for tests, rule test runs, the benchmark and a single correlator.
 *
 * Most groups are a noise source seen once or twice, and they live for two timespans: a store of
 * hundreds of thousands of small long-lived objects, which is what makes a young-generation garbage
 * collection expensive (every survivor is copied, twice). So groups and entries live in columns
 * (typed arrays, and arrays of the strings the events already hold) addressed by slot numbers, found
 * through a `GroupTable` (no per-group object at all). Entries become `WindowEntry` objects only for
 * the batch that reads them, and die young. Merging is `mergeWindow` itself, so the semantics are the
 * Redis store's.
 */
export class InMemoryWindowStore implements WindowStore {
  /** Scope string → scope number: scopes are few (correlation × owner) and their strings are cached by the rule set. */
  private readonly scopeIds = new Map<string, number>();
  private readonly seed = randomHashSeed();
  private readonly groups = new GroupColumns();
  /** (scope number, group value) → group slot. */
  private readonly table = new GroupTable(this.groups);
  private readonly now: () => number;
  private readonly entries = new EntryColumns();
  /** Per-member fired marks of correlation families' groups, by slot: few groups have any. */
  private readonly familyMarks = new Map<number, Readonly<Record<string, number>>>();
  /** The start of each group's last fired window per correlation, by slot: only groups that fired have one. */
  private readonly firedStarts = new Map<number, Readonly<Record<string, number>>>();
  private updatesSinceSweep = 0;
  /** Groups left by the last sweep: the next one runs after at least as many updates. */
  private liveAfterSweep = 0;

  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
  }

  /** Groups held, expired ones included until the next sweep. */
  get size(): number {
    return this.groups.live;
  }

  async applyBatch(updates: readonly WindowUpdate[]): Promise<WindowState[]> {
    const now = this.now();
    const states: WindowState[] = new Array(updates.length);
    for (let i = 0; i < updates.length; i++) {
      const update = updates[i];
      const scope = this.scopeId(update.scope);
      const hash = hashGroup(this.seed, scope, update.group);
      let slot = this.table.find(scope, update.group, hash);
      let previous: StoredWindow | undefined;
      if (slot === -1) {
        slot = this.groups.allocate(scope, update.group, hash);
        this.table.insert(slot);
      } else if (this.groups.expiresAt[slot] > now) previous = this.read(slot);
      const { stored, state } = mergeWindow(previous, update);
      this.write(slot, stored, now + update.ttlMs);
      states[i] = state;
    }
    this.updatesSinceSweep += updates.length;
    // Sweep after as many updates as the last sweep left groups: a sweep reads every row, at most
    // that many plus the updates since, so it costs O(1) per update however many live. (Comparing with
    // the groups live *now* never triggers when most updates open a new group: noise sources seen once.)
    if (this.updatesSinceSweep > Math.max(10_000, this.liveAfterSweep)) this.sweep(now);
    return states;
  }

  async markFired(fired: readonly FiredWindow[]): Promise<void> {
    for (const window of fired) {
      const scope = this.scopeIds.get(window.scope);
      if (scope === undefined) continue;
      const slot = this.table.find(scope, window.group, hashGroup(this.seed, scope, window.group));
      if (slot === -1) continue;
      this.write(slot, markWindowFired(this.read(slot), window.until, window.marks, window.starts), this.groups.expiresAt[slot]);
    }
  }

  private scopeId(scope: string): number {
    let id = this.scopeIds.get(scope);
    if (id === undefined) {
      id = this.scopeIds.size;
      this.scopeIds.set(scope, id);
    }
    return id;
  }

  private read(slot: number): StoredWindow {
    const { groups, entries } = this;
    const list: WindowEntry[] = new Array(groups.count[slot]);
    for (let e = groups.head[slot], i = 0; e !== -1; e = entries.next[e], i++) {
      list[i] = { time: entries.time[e], value: entries.value[e], eventId: entries.eventId[e] };
    }
    const watermark = groups.watermark[slot];
    const firedUntil = groups.firedUntil[slot];
    return {
      entries: list,
      watermark: Number.isNaN(watermark) ? null : watermark,
      firedUntil: Number.isNaN(firedUntil) ? null : firedUntil,
      fired: this.familyMarks.get(slot),
      firedStarts: this.firedStarts.get(slot),
    };
  }

  private write(slot: number, stored: StoredWindow, expiresAt: number): void {
    const { groups, entries } = this;
    entries.release(groups.head[slot]);
    let head = -1;
    for (let i = stored.entries.length - 1; i >= 0; i--) head = entries.allocate(stored.entries[i], head);
    groups.head[slot] = head;
    groups.count[slot] = stored.entries.length;
    groups.watermark[slot] = stored.watermark ?? NaN;
    groups.firedUntil[slot] = stored.firedUntil ?? NaN;
    groups.expiresAt[slot] = expiresAt;
    if (stored.fired !== undefined) this.familyMarks.set(slot, stored.fired);
    else if (this.familyMarks.size > 0) this.familyMarks.delete(slot);
    if (stored.firedStarts !== undefined) this.firedStarts.set(slot, stored.firedStarts);
    else if (this.firedStarts.size > 0) this.firedStarts.delete(slot);
  }

  private sweep(now: number): void {
    this.updatesSinceSweep = 0;
    const { groups } = this;
    for (let slot = 0; slot < groups.used; slot++) {
      if (groups.scopeId[slot] === -1 || groups.expiresAt[slot] > now) continue; // a free row, or alive
      this.entries.release(groups.head[slot]);
      this.familyMarks.delete(slot);
      this.firedStarts.delete(slot);
      groups.free(slot);
    }
    this.table.rebuild(groups.used, (slot) => groups.scopeId[slot] !== -1);
    this.liveAfterSweep = groups.live;
  }
}

/** Typed-array columns that double when full. */
function grown<T extends Float64Array | Int32Array>(column: T, capacity: number): T {
  const bigger = new (column.constructor as new (length: number) => T)(capacity);
  bigger.set(column);
  return bigger;
}

/** One row per group: its window's numbers, the head of its entry list, and its key for the sweep. */
class GroupColumns {
  watermark = new Float64Array(1024);
  firedUntil = new Float64Array(1024);
  expiresAt = new Float64Array(1024);
  head = new Int32Array(1024);
  count = new Int32Array(1024);
  /** -1 for a free row. */
  scopeId = new Int32Array(1024).fill(-1);
  hash = new Int32Array(1024);
  group: (string | null)[] = [];
  /** Rows ever handed out; freed rows below it are reused first. */
  used = 0;
  live = 0;
  private readonly freeRows: number[] = [];

  allocate(scope: number, group: string | null, hash: number): number {
    let slot = this.freeRows.pop();
    if (slot === undefined) {
      slot = this.used++;
      if (slot === this.head.length) this.grow(this.head.length * 2);
    }
    this.scopeId[slot] = scope;
    this.hash[slot] = hash;
    this.group[slot] = group;
    this.head[slot] = -1;
    this.count[slot] = 0;
    this.watermark[slot] = NaN;
    this.firedUntil[slot] = NaN;
    this.expiresAt[slot] = -Infinity;
    this.live++;
    return slot;
  }

  free(slot: number): void {
    this.scopeId[slot] = -1;
    this.group[slot] = null;
    this.head[slot] = -1;
    this.freeRows.push(slot);
    this.live--;
  }

  private grow(capacity: number): void {
    this.watermark = grown(this.watermark, capacity);
    this.firedUntil = grown(this.firedUntil, capacity);
    this.expiresAt = grown(this.expiresAt, capacity);
    this.head = grown(this.head, capacity);
    this.count = grown(this.count, capacity);
    const scopeId = grown(this.scopeId, capacity);
    scopeId.fill(-1, this.scopeId.length);
    this.scopeId = scopeId;
    this.hash = grown(this.hash, capacity);
  }
}

/** One row per stored entry, linked oldest first through `next`; freed rows form a free list. */
class EntryColumns {
  time = new Float64Array(1024);
  next = new Int32Array(1024);
  value: string[] = [];
  eventId: string[] = [];
  private used = 0;
  private freeHead = -1;

  allocate(entry: WindowEntry, next: number): number {
    let row = this.freeHead;
    if (row !== -1) this.freeHead = this.next[row];
    else {
      row = this.used++;
      if (row === this.time.length) {
        this.time = grown(this.time, row * 2);
        this.next = grown(this.next, row * 2);
      }
    }
    this.time[row] = entry.time;
    this.next[row] = next;
    this.value[row] = entry.value;
    this.eventId[row] = entry.eventId;
    return row;
  }

  /** Frees a whole list; its strings are dropped so they can be collected. */
  release(head: number): void {
    for (let row = head; row !== -1;) {
      const following = this.next[row];
      this.value[row] = '';
      this.eventId[row] = '';
      this.next[row] = this.freeHead;
      this.freeHead = row;
      row = following;
    }
  }
}
