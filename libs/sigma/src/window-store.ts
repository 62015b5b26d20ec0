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

/**
 * One event's contribution to a group's window. Its identity is (eventId, value): a redelivered event
 * is stored once, while in a temporal correlation an event matching two of its rules is two steps
 * (the value is the step). Identity needs no key string of its own, so a store keeps nothing per
 * entry but the event's own strings.
 */
export interface WindowEntry {
  /** Event time (`@timestamp`), milliseconds since the epoch. */
  time: number;
  /** What distinct-count correlations count: a field value, or the index of the rule that matched. */
  value: string;
  eventId: string;
}

/**
 * A group's identity in two parts, so an in-memory store can find it without building a string per
 * group and batch: `scope` is shared by many groups (correlation rule and owner), `group` is the
 * group-by value (one group-by field: the raw value, null when absent; several: the JSON group key).
 */
export interface WindowKey {
  scope: string;
  group: string | null;
}

/** The two parts as one string, for stores with flat keys (Redis): never ambiguous, as null and values are marked apart. */
export function flatWindowKey(key: WindowKey): string {
  return key.group === null ? `${key.scope}\u0000-` : `${key.scope}\u0000=${key.group}`;
}

export interface WindowUpdate extends WindowKey {
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
  /** Oldest first, in `compareEntries` order, so every replica sees the same order. */
  entries: WindowEntry[];
  /** The newest event time the group has seen (null before its first event). */
  watermark: number | null;
  /** A window ending here has fired: entries at or before it are not counted again. */
  firedUntil: number | null;
  /**
   * A correlation family (several correlations sharing one group, see `correlation-family.ts`): the
   * end of the last window each member fired on, by correlation id. `firedUntil` is then the point
   * every member has fired past. Absent for a group of one correlation.
   */
  fired?: Readonly<Record<string, number>>;
  /**
   * The start of the last window each correlation of the group fired, by correlation id: names that
   * window's detection (its fingerprint) when events arrive for it after it fired. Absent before a
   * group first fires (and in windows stored by a version before 2 Dec 2026).
   */
  firedStarts?: Readonly<Record<string, number>>;
}

/** A group after a batch (the update at the same position), and what happened to the batch's entries. */
export interface WindowState extends StoredWindow {
  late: WindowEntry[];
  /**
   * The batch's entries the group did not hold yet and that are not late, in update order: what this
   * batch adds. An entry the group already holds (a redelivered event) is not among them.
   */
  added: readonly WindowEntry[];
  /** Of those, how many fall at or before the fired window's end (`firedUntil`): additions to a window that already fired. */
  suppressed: number;
  evicted: number;
}

export interface FiredWindow extends WindowKey {
  /** The end of the window that fired; for a family, the point every member has fired past (-Infinity: none yet). */
  until: number;
  /** For a family: the members that fired and the end of their window, by correlation id. */
  marks?: Readonly<Record<string, number>>;
  /** The start of the last window each correlation fired on, by correlation id. */
  starts?: Readonly<Record<string, number>>;
}

export interface WindowStore {
  /** One state per update, in the order of `updates`. */
  applyBatch(updates: readonly WindowUpdate[]): Promise<WindowState[]>;
  /** Marks windows spent: what an evaluation returned as `fired`, once its detections are handed on. */
  markFired(fired: readonly FiredWindow[]): Promise<void>;
}

/** The `late` list of a state with nothing late: shared, never written to. */
const noLateEntries = Object.freeze([]) as unknown as WindowEntry[];

/**
 * Adds a batch's entries to a group. Lateness is judged against the watermark *before* the batch, so a
 * backlog batch spanning an hour is not late relative to itself; pruning uses the same watermark, so an
 * entry accepted now still finds every older entry it could share a window with.
 *
 * This runs for every group of every batch, so the common shapes take a path without a key map
 * (see `appendWindow`).
 */
export function mergeWindow(previous: StoredWindow | undefined, update: WindowUpdate): { stored: StoredWindow; state: WindowState } {
  // `stored` may be `state` itself, and either may share the update's entries array: neither is to be mutated.
  return appendWindow(previous, update) ?? mergeWindowByKey(previous, update);
}

/**
 * The common shapes, exactly as `mergeWindowByKey` would merge them, or undefined when the batch is
 * not one of them: the new entries are sorted (the rule set sorts them), every one is newer than the
 * group's watermark and than its fired window, and no two are the same entry (event id and value).
 * Then nothing is late or suppressed, no new entry can repeat a stored one (every stored entry is
 * at or before the watermark), and the sorted stored entries followed by the sorted new ones are
 * already in order.
 */
function appendWindow(previous: StoredWindow | undefined, update: WindowUpdate): { stored: StoredWindow; state: WindowState } | undefined {
  const added = update.entries;
  const n = added.length;
  if (n === 0) return undefined;
  const watermark = previous?.watermark ?? null;
  const firedUntil = previous?.firedUntil ?? null;
  const oldest = added[0].time;
  if (watermark !== null && oldest <= watermark) return undefined;
  if (firedUntil !== null && oldest <= firedUntil) return undefined;
  if (n > 1 && !(sortedStrictly(added) && distinctEntries(added))) return undefined;
  const kept = previous === undefined || watermark === null ? [] : previous.entries;
  // Stored entries are sorted, so the prunable ones are a prefix.
  const pruneBefore = watermark === null ? -Infinity : watermark - update.horizonMs;
  let first = 0;
  while (first < kept.length && kept[first].time < pruneBefore) first++;
  const total = kept.length - first + n;
  const evicted = Math.max(0, total - update.maxEntries);
  let entries: WindowEntry[];
  // A new group (most are: a source seen once) is the batch's entries themselves, not a copy.
  if (first === kept.length && evicted === 0) entries = added as WindowEntry[];
  else {
    entries = new Array(total - evicted);
    let out = 0;
    for (let i = first + evicted; i < kept.length; i++) entries[out++] = kept[i];
    for (let i = Math.max(0, first + evicted - kept.length); i < n; i++) entries[out++] = added[i];
  }
  // The state is the stored window too (it has every field of one): one object per group and batch.
  const state: WindowState = {
    entries,
    watermark: added[n - 1].time,
    firedUntil,
    fired: previous?.fired,
    firedStarts: previous?.firedStarts,
    late: noLateEntries,
    added,
    suppressed: 0,
    evicted,
  };
  return { stored: state, state };
}

function sortedStrictly(entries: readonly WindowEntry[]): boolean {
  for (let i = 1; i < entries.length; i++) if (compareEntries(entries[i - 1], entries[i]) >= 0) return false;
  return true;
}

/**
 * Whether no two entries are the same (event id and value). With more than two it answers for event
 * ids alone: an event that is two steps of a temporal correlation takes the general merge, which is
 * exact too, and the common batch is checked without building a string per entry.
 */
function distinctEntries(entries: readonly WindowEntry[]): boolean {
  if (entries.length === 2) return !sameEntry(entries[0], entries[1]);
  const ids = new Set<string>();
  for (const entry of entries) {
    if (ids.has(entry.eventId)) return false;
    ids.add(entry.eventId);
  }
  return true;
}

function sameEntry(a: WindowEntry, b: WindowEntry): boolean {
  return a.eventId === b.eventId && a.value === b.value;
}

/** (eventId, value) as one string, for the general merge's map: the id's length first, so no two pairs give the same string. */
function entryIdentity(entry: WindowEntry): string {
  return `${entry.eventId.length}:${entry.eventId}\u0000${entry.value}`;
}

/** The general merge: redelivered entries, late ones, entries inside a fired window. Exported for the equivalence test. */
export function mergeWindowByKey(previous: StoredWindow | undefined, update: WindowUpdate): { stored: StoredWindow; state: WindowState } {
  const watermark = previous?.watermark ?? null;
  const firedUntil = previous?.firedUntil ?? null;
  const lateBefore = watermark === null ? -Infinity : watermark - update.latenessMs;
  const pruneBefore = watermark === null ? -Infinity : watermark - update.horizonMs;
  const byKey = new Map<string, WindowEntry>();
  for (const entry of previous?.entries ?? []) byKey.set(entryIdentity(entry), entry);
  const late: WindowEntry[] = [];
  const added: WindowEntry[] = [];
  let suppressed = 0;
  let newest = watermark ?? -Infinity;
  for (const entry of update.entries) {
    if (entry.time < lateBefore) {
      late.push(entry);
      continue;
    }
    if (entry.time > newest) newest = entry.time;
    const key = entryIdentity(entry);
    if (byKey.has(key)) continue;
    // Entries inside a fired window are kept too (as spent), so a redelivery is recognised as one.
    byKey.set(key, entry);
    added.push(entry);
    if (firedUntil !== null && entry.time <= firedUntil) suppressed++;
  }
  const retained: WindowEntry[] = [];
  for (const entry of byKey.values()) if (entry.time >= pruneBefore) retained.push(entry);
  sortEntries(retained);
  const evicted = Math.max(0, retained.length - update.maxEntries);
  const entries = evicted > 0 ? retained.slice(evicted) : retained;
  const stored: StoredWindow = {
    entries,
    watermark: Number.isFinite(newest) ? newest : null,
    firedUntil,
    fired: previous?.fired,
    firedStarts: previous?.firedStarts,
  };
  return { stored, state: { ...stored, late, added, suppressed, evicted } };
}

/**
 * A stored window as JSON, for stores that persist it. `mergeWindow` may hand back its state as the
 * stored window (a state has every field of one, and more), so the fields are named here.
 */
export function storedWindowJson(stored: StoredWindow): string {
  return JSON.stringify({
    entries: stored.entries,
    watermark: stored.watermark,
    firedUntil: stored.firedUntil,
    fired: stored.fired,
    firedStarts: stored.firedStarts,
  });
}

/**
 * After a window fired: its entries are spent (no window is looked for at or before `firedUntil`),
 * and later arrivals inside it are additions to it. Spent entries stay until pruned, so a redelivered
 * batch finds its entries already held and adds nothing. For a family, `marks` records which members
 * fired, and `until` is the point all of them have fired past (-Infinity when some member has not fired yet).
 */
export function markWindowFired(
  stored: StoredWindow,
  until: number,
  marks?: Readonly<Record<string, number>>,
  starts?: Readonly<Record<string, number>>,
): StoredWindow {
  const fired = marks === undefined ? stored.fired : mergeMarks(stored.fired, marks);
  // Windows of one correlation follow each other, so the later start is the last window's.
  const firedStarts = starts === undefined ? stored.firedStarts : mergeMarks(stored.firedStarts, starts);
  if (until === -Infinity) return { entries: stored.entries, watermark: stored.watermark, firedUntil: stored.firedUntil, fired, firedStarts };
  const firedUntil = stored.firedUntil === null ? until : Math.max(stored.firedUntil, until);
  return { entries: stored.entries, watermark: stored.watermark, firedUntil, fired, firedStarts };
}

/** Per member, the later of two marks: replicas marking in either order end the same. */
function mergeMarks(old: Readonly<Record<string, number>> | undefined, marks: Readonly<Record<string, number>>): Record<string, number> {
  const merged: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, old);
  for (const [id, until] of Object.entries(marks)) merged[id] = Math.max(merged[id] ?? -Infinity, until);
  return merged;
}

/**
 * Time, then value, then event id: a total order every replica agrees on. At equal times the value
 * comes first, so a temporal correlation's steps (values '0', '1', ...) stand in rule order.
 */
export function compareEntries(a: WindowEntry, b: WindowEntry): number {
  return a.time - b.time || compareStrings(a.value, b.value) || compareStrings(a.eventId, b.eventId);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
