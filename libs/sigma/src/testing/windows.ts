import type { WindowEntry, WindowUpdate } from '../window-store';

/** Test support for window stores: entries, updates and a seeded generator. */

export const entry = (eventId: string, time: number, value = ''): WindowEntry => ({ time, value, eventId });

export const update = (entries: WindowEntry[], overrides: Partial<WindowUpdate> = {}): WindowUpdate => ({
  scope: 'rule\u00000751',
  group: '192.0.2.1',
  entries,
  latenessMs: 100,
  horizonMs: 1_100,
  maxEntries: 1_000,
  ttlMs: 60_000,
  ...overrides,
});

/** mulberry32: a small deterministic generator, so randomised specs see the same cases on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
