/**
 * Where correlation windows live between batches. The engine decides everything (what is late, which
 * window fires); a store only keeps each group's entries. One `applyBatch` call per batch touches each
 * group key once, with all of the batch's entries for it already gathered in memory.
 *
 * A store must apply `mergeWindow` / `markWindowFired` semantics atomically per key. This module's
 * `InMemoryWindowStore` calls them directly; a Redis store can call them inside WATCH/MULTI or mirror
 * them in a Lua script. Window decisions depend only on the entries a key holds, not on the order
 * batches arrived in, so two replicas racing on one key fire the same window with the same fingerprint.
 */

/** One event's contribution to a group's window. */
export interface WindowEntry {
  /** Deduplication key: a redelivered event has the same key and is stored once. */
  key: string;
  /** Event time (`@timestamp`), milliseconds since the epoch. */
  time: number;
  /** What distinct-count correlations count: a field value, or the index of the rule that matched. */
  value: string;
  eventId: string;
}

export interface WindowUpdate {
  /** The group: correlation rule, member, group-by values. */
  key: string;
  entries: readonly WindowEntry[];
  /** Entries older than the group's watermark minus this are late: reported, never stored. */
  latenessMs: number;
  /** Timespan plus lateness: older entries can no longer share a window with an acceptable one. */
  horizonMs: number;
  /** Cap on a group's entries; the oldest beyond it are evicted and counted. */
  maxEntries: number;
  /** Wall-clock lifetime of a key after its last update. */
  ttlMs: number;
}

/** What a group holds between batches. */
export interface StoredWindow {
  /** Oldest first; ties ordered by key so every replica sees the same order. */
  entries: WindowEntry[];
  /** The newest event time the group has seen (null before its first event). */
  watermark: number | null;
  /** A window ending here has fired: entries at or before it are not counted again. */
  firedUntil: number | null;
}

/** A group after a batch, and what happened to the batch's entries. */
export interface WindowState extends StoredWindow {
  key: string;
  late: WindowEntry[];
  suppressed: number;
  evicted: number;
}

export interface FiredWindow {
  key: string;
  /** The end of the window that fired. */
  until: number;
}

export interface WindowStore {
  applyBatch(updates: readonly WindowUpdate[]): Promise<WindowState[]>;
  markFired(fired: readonly FiredWindow[]): Promise<void>;
}

/**
 * Adds a batch's entries to a group. Lateness is judged against the watermark *before* the batch, so a
 * backlog batch spanning an hour is not late relative to itself; pruning uses the same watermark, so an
 * entry accepted now still finds every older entry it could share a window with.
 */
export function mergeWindow(previous: StoredWindow | undefined, update: WindowUpdate): { stored: StoredWindow; state: WindowState } {
  // Most groups are new and get one entry (a noise source failing once): skip the general merge.
  if (previous === undefined && update.entries.length === 1 && update.maxEntries >= 1) {
    const entry = update.entries[0];
    const stored: StoredWindow = { entries: [entry], watermark: entry.time, firedUntil: null };
    return { stored, state: { key: update.key, entries: [entry], watermark: entry.time, firedUntil: null, late: [], suppressed: 0, evicted: 0 } };
  }
  const watermark = previous?.watermark ?? null;
  const firedUntil = previous?.firedUntil ?? null;
  const lateBefore = watermark === null ? -Infinity : watermark - update.latenessMs;
  const pruneBefore = watermark === null ? -Infinity : watermark - update.horizonMs;
  const byKey = new Map<string, WindowEntry>();
  for (const entry of previous?.entries ?? []) byKey.set(entry.key, entry);
  const late: WindowEntry[] = [];
  let suppressed = 0;
  let newest = watermark ?? -Infinity;
  for (const entry of update.entries) {
    if (entry.time < lateBefore) {
      late.push(entry);
      continue;
    }
    if (entry.time > newest) newest = entry.time;
    if (firedUntil !== null && entry.time <= firedUntil) {
      if (!byKey.has(entry.key)) suppressed++;
      continue;
    }
    if (!byKey.has(entry.key)) byKey.set(entry.key, entry);
  }
  const retained: WindowEntry[] = [];
  for (const entry of byKey.values()) if (entry.time >= pruneBefore) retained.push(entry);
  sortEntries(retained);
  const evicted = Math.max(0, retained.length - update.maxEntries);
  const entries = evicted > 0 ? retained.slice(evicted) : retained;
  const stored: StoredWindow = { entries, watermark: Number.isFinite(newest) ? newest : null, firedUntil };
  return { stored, state: { key: update.key, ...stored, late, suppressed, evicted } };
}

/** After a window fired: its entries are spent, and later arrivals inside it are suppressed. */
export function markWindowFired(stored: StoredWindow, until: number): StoredWindow {
  const firedUntil = stored.firedUntil === null ? until : Math.max(stored.firedUntil, until);
  return { ...stored, firedUntil, entries: stored.entries.filter((e) => e.time > firedUntil) };
}

export function compareEntries(a: WindowEntry, b: WindowEntry): number {
  return a.time - b.time || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * Sorts entries in place by `compareEntries`, skipping the sort when they are already in order (the
 * usual case: events arrive in time order). `Array.prototype.sort` copies the array even then, and
 * this runs for every group of every batch.
 */
export function sortEntries(entries: WindowEntry[]): WindowEntry[] {
  for (let i = 1; i < entries.length; i++) {
    if (compareEntries(entries[i - 1], entries[i]) > 0) return entries.sort(compareEntries);
  }
  return entries;
}

/** Window state in process memory: for tests, rule test runs and a single correlator. */
export class InMemoryWindowStore implements WindowStore {
  private readonly windows = new Map<string, { stored: StoredWindow; expiresAt: number }>();
  private readonly now: () => number;
  private updatesSinceSweep = 0;

  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.windows.size;
  }

  async applyBatch(updates: readonly WindowUpdate[]): Promise<WindowState[]> {
    const now = this.now();
    const states: WindowState[] = [];
    for (const update of updates) {
      const current = this.windows.get(update.key);
      const previous = current && current.expiresAt > now ? current.stored : undefined;
      const { stored, state } = mergeWindow(previous, update);
      if (current) {
        // Reuse the slot: one object fewer per update of a live key.
        current.stored = stored;
        current.expiresAt = now + update.ttlMs;
      } else this.windows.set(update.key, { stored, expiresAt: now + update.ttlMs });
      states.push(state);
    }
    this.updatesSinceSweep += updates.length;
    // Sweep after as many updates as there are keys: amortised O(1) per update, however many keys live.
    if (this.updatesSinceSweep > Math.max(10_000, this.windows.size)) this.sweep(now);
    return states;
  }

  async markFired(fired: readonly FiredWindow[]): Promise<void> {
    for (const { key, until } of fired) {
      const current = this.windows.get(key);
      if (current) current.stored = markWindowFired(current.stored, until);
    }
  }

  private sweep(now: number): void {
    this.updatesSinceSweep = 0;
    // forEach: no [key, value] pair per live key.
    this.windows.forEach((slot, key, windows) => {
      if (slot.expiresAt <= now) windows.delete(key);
    });
  }
}
