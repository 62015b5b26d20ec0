import type { CorrelationType } from './rule.schema';
import type { WindowEntry } from './window-store';

/**
 * Finds the window a correlation fires on, among a group's entries (sorted by time). Windows slide:
 * any entry may start one, and a window spans `timespan` from its first entry, so a burst that
 * straddles a clock boundary is still one window. The *earliest* qualifying window wins, which makes
 * the window start (and with it the detection fingerprint) a function of the entries alone.
 */
export interface FiringWindow {
  start: number;
  end: number;
  /** The entries that make the window qualify (for temporal_ordered: the ordered chain). */
  entries: WindowEntry[];
}

export interface WindowRule {
  type: CorrelationType;
  timespanMs: number;
  /**
   * The threshold on the count (event_count) or the number of distinct values (the other types).
   * Monotone (only gt and gte are accepted): a count that qualifies, every larger count does too.
   */
  qualifies: (count: number) => boolean;
  /** temporal_ordered: how many rules form the sequence. */
  sequenceLength: number;
}

export function findFiringWindow(rule: WindowRule, entries: readonly WindowEntry[]): FiringWindow | undefined {
  // Most groups hold a few entries (a source seen once or twice): no window can reach the threshold
  // when all of them together do not (a window holds at most every entry, and as many distinct values).
  if (!rule.qualifies(entries.length)) return undefined;
  switch (rule.type) {
    case 'event_count':
      return firstCountWindow(rule, entries);
    case 'value_count':
    case 'temporal':
      return firstDistinctWindow(rule, entries);
    case 'temporal_ordered':
      return firstOrderedChain(rule, entries);
  }
}

function firstCountWindow(rule: WindowRule, entries: readonly WindowEntry[]): FiringWindow | undefined {
  let end = 0;
  for (let start = 0; start < entries.length; start++) {
    const limit = entries[start].time + rule.timespanMs;
    while (end < entries.length && entries[end].time <= limit) end++;
    if (rule.qualifies(end - start)) return window(entries, start, end, rule.timespanMs);
  }
  return undefined;
}

function firstDistinctWindow(rule: WindowRule, entries: readonly WindowEntry[]): FiringWindow | undefined {
  const counts = new Map<string, number>();
  let end = 0;
  for (let start = 0; start < entries.length; start++) {
    const limit = entries[start].time + rule.timespanMs;
    while (end < entries.length && entries[end].time <= limit) {
      const value = entries[end++].value;
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    if (rule.qualifies(counts.size)) return window(entries, start, end, rule.timespanMs);
    const leaving = entries[start].value;
    const left = (counts.get(leaving) ?? 1) - 1;
    if (left === 0) counts.delete(leaving);
    else counts.set(leaving, left);
  }
  return undefined;
}

/**
 * The rules must match in the listed order. For each occurrence of the first rule, the earliest
 * occurrence of each next rule after the previous one is the best continuation (it leaves the most
 * room), so one greedy pass per start decides; `next` tables make each pass O(rules).
 */
function firstOrderedChain(rule: WindowRule, entries: readonly WindowEntry[]): FiringWindow | undefined {
  const n = entries.length;
  const steps = rule.sequenceLength;
  if (n < steps) return undefined; // too few entries for a chain: no tables
  const next: Int32Array[] = [];
  for (let step = 0; step < steps; step++) {
    const table = new Int32Array(n + 1).fill(-1);
    const value = String(step);
    for (let i = n - 1; i >= 0; i--) table[i] = entries[i].value === value ? i : table[i + 1];
    next.push(table);
  }
  for (let start = 0; start < n; start++) {
    if (entries[start].value !== '0') continue;
    const limit = entries[start].time + rule.timespanMs;
    const chain = [entries[start]];
    let position = start;
    for (let step = 1; step < steps; step++) {
      const found = next[step][position + 1];
      if (found < 0 || entries[found].time > limit) break;
      chain.push(entries[found]);
      position = found;
    }
    if (chain.length === steps) return { start: entries[start].time, end: limit, entries: chain };
  }
  return undefined;
}

function window(entries: readonly WindowEntry[], start: number, end: number, timespanMs: number): FiringWindow {
  return { start: entries[start].time, end: entries[start].time + timespanMs, entries: entries.slice(start, end) };
}
