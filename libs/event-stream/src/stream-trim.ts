/** What XINFO GROUPS and XPENDING tell about one consumer group of the events stream. */
export interface GroupPosition {
  name: string;
  /** The last entry id delivered to any of its consumers (`0-0` when none yet). */
  lastDeliveredId: string;
  /** The smallest id delivered but not yet acknowledged; absent when nothing is pending. */
  oldestPendingId?: string;
}

/** Stream ids are `<milliseconds>-<sequence>`; compared as number pairs, never as text. */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return am !== bm ? am - bm : (as ?? 0) - (bs ?? 0);
}

/**
 * The id below which every entry of the events stream may go (XTRIM MINID): entries every consumer
 * group has acknowledged, and older than `retainMs` (kept a while for inspection and for tests that
 * account events against the stream). Undefined when any expected group does not exist yet: a
 * group created later starts at the stream's first entry (`XGROUP CREATE … 0`) and must find every
 * event there, so nothing is trimmed before all groups have been created.
 *
 * An entry below a group's oldest pending id and at or below its last delivered id was delivered
 * and acknowledged; entries at or above the oldest pending one may still be redelivered or claimed.
 */
export function trimThreshold(groups: readonly GroupPosition[], expected: readonly string[], nowMs: number, retainMs: number): string | undefined {
  const byName = new Map(groups.map((g) => [g.name, g]));
  let threshold = `${Math.max(0, Math.floor(nowMs - retainMs))}-0`;
  for (const name of expected) {
    const group = byName.get(name);
    if (!group) return undefined;
    if (group.oldestPendingId === undefined && group.lastDeliveredId === '0-0') return undefined;
    // Without pending entries, the last delivered one was acknowledged too: trim up to just after it.
    const safe = group.oldestPendingId ?? successorOf(group.lastDeliveredId);
    if (compareStreamIds(safe, threshold) < 0) threshold = safe;
  }
  return threshold;
}

/** The smallest id after `id` (XTRIM MINID keeps entries at or above its argument). */
function successorOf(id: string): string {
  const [ms, seq] = id.split('-').map(Number);
  return `${ms}-${(seq ?? 0) + 1}`;
}
