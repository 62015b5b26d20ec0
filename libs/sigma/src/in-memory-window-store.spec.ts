import { InMemoryWindowStore } from './in-memory-window-store';
import { entry, seededRandom, update } from './testing/windows';
import { compareEntries, FiredWindow, markWindowFired, mergeWindow, StoredWindow, WindowEntry, WindowState, WindowStore, WindowUpdate } from './window-store';

describe(InMemoryWindowStore.name, () => {
  it('keeps each key between batches', async () => {
    const store = new InMemoryWindowStore();
    await store.applyBatch([update([entry('a', 1)])]);
    const [state] = await store.applyBatch([update([entry('b', 2)])]);
    expect(state.entries.map((e) => e.eventId)).toEqual(['a', 'b']);
  });

  it('forgets a key after its time to live', async () => {
    let now = 0;
    const store = new InMemoryWindowStore({ now: () => now });
    await store.applyBatch([update([entry('a', 1)], { ttlMs: 1_000 })]);
    now = 1_001;
    const [state] = await store.applyBatch([update([entry('b', 2)], { ttlMs: 1_000 })]);
    expect(state.entries.map((e) => e.eventId)).toEqual(['b']);
  });

  it('records a fired window and its start, keeping its spent entries to recognise a redelivery', async () => {
    const store = new InMemoryWindowStore();
    await store.applyBatch([update([entry('a', 1), entry('b', 2)])]);
    await store.markFired([{ scope: 'rule\u00000751', group: '192.0.2.1', until: 2, starts: { rule: 1 } }]);
    const [state] = await store.applyBatch([update([entry('c', 2), entry('b', 2)])]);
    expect(state).toMatchObject({ firedUntil: 2, firedStarts: { rule: 1 }, suppressed: 1 });
    expect(state.added.map((e) => e.eventId)).toEqual(['c']);
    expect(state.entries.map((e) => e.eventId)).toEqual(['a', 'b', 'c']);
  });
});

/** The plainest store with the same contract: one StoredWindow object per key, merged by `mergeWindow`. */
class ReferenceStore implements WindowStore {
  private readonly windows = new Map<string, { stored: StoredWindow; expiresAt: number }>();
  constructor(private readonly now: () => number) {}

  async applyBatch(updates: readonly WindowUpdate[]): Promise<WindowState[]> {
    return updates.map((u) => {
      const key = `${u.scope}|${u.group}`;
      const current = this.windows.get(key);
      const { stored, state } = mergeWindow(current && current.expiresAt > this.now() ? current.stored : undefined, u);
      this.windows.set(key, { stored, expiresAt: this.now() + u.ttlMs });
      return state;
    });
  }

  async markFired(fired: readonly FiredWindow[]): Promise<void> {
    for (const f of fired) {
      const current = this.windows.get(`${f.scope}|${f.group}`);
      if (current) current.stored = markWindowFired(current.stored, f.until);
    }
  }
}

describe('InMemoryWindowStore sweep', () => {
  it('drops expired groups once as many updates as the last sweep left have passed', async () => {
    let now = 0;
    const store = new InMemoryWindowStore({ now: () => now });
    const many = Array.from({ length: 12_000 }, (_, i) => update([entry(`e${i}`, i)], { group: `g${i}`, ttlMs: 1_000 }));
    // 12,000 updates > 10,000: a sweep ran, found nothing expired and left 12,000 groups.
    await store.applyBatch(many);
    expect(store.size).toBe(12_000);
    now = 5_000;
    const renewed100 = many.slice(0, 100).map((u) => ({ ...u, ttlMs: 60_000 }));
    await store.applyBatch(renewed100);
    expect(store.size).toBe(12_000); // 100 updates since: no sweep yet
    const fresh = Array.from({ length: 11_950 }, (_, i) => update([entry(`f${i}`, 5_000 + i)], { group: `h${i}`, ttlMs: 60_000 }));
    await store.applyBatch(fresh);
    // 12,050 updates > 12,000: the sweep dropped the 11,900 expired groups and kept the renewed and the new.
    expect(store.size).toBe(100 + 11_950);
    const [renewed, forgotten] = await store.applyBatch([update([], { group: 'g1' }), update([], { group: 'g5000' })]);
    expect(renewed.entries.map((e) => e.eventId)).toEqual(['e1']);
    expect(forgotten.entries).toEqual([]);
  });

  it('keeps sweeping when nearly every update opens a new group (noise sources seen once)', async () => {
    let now = 0;
    const store = new InMemoryWindowStore({ now: () => now });
    let largest = 0;
    for (let batch = 0; batch < 1_000; batch++) {
      // 100 new groups per batch, each alive for 20 batches: about 2,000 groups are live at any time.
      const updates = Array.from({ length: 100 }, (_, i) => update([entry(`e${batch}-${i}`, now)], { group: `g${batch}-${i}`, ttlMs: 20 }));
      await store.applyBatch(updates);
      largest = Math.max(largest, store.size);
      now++;
    }
    // A sweep every 10,000 updates leaves the ~2,000 live groups, so at most ~12,000 are ever held;
    // without sweeps it would be all 100,000.
    expect(largest).toBeLessThanOrEqual(12_100);
    expect(store.size).toBeLessThanOrEqual(12_100);
  });
});

describe('InMemoryWindowStore against the reference store', () => {
  it('returns the same states for random batches over many groups, with expiry, row reuse and fired windows', async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const next = seededRandom(seed);
      let now = 0;
      const store = new InMemoryWindowStore({ now: () => now });
      const reference = new ReferenceStore(() => now);
      const groups = [null, ...Array.from({ length: 40 }, (_, i) => `10.0.0.${i}`)];
      const seen: WindowEntry[] = [];
      let clock = 0;
      for (let batch = 0; batch < 250; batch++) {
        const byGroup = new Map<string, WindowUpdate>();
        for (let i = 0; i < 30; i++) {
          const scope = next() < 0.5 ? 'a\u00000101' : 'b\u00000751';
          const group = groups[Math.floor(next() * groups.length)];
          const id = `${scope}|${group}`;
          let u = byGroup.get(id);
          if (u === undefined) {
            u = update([], { scope, group, ttlMs: 2_000 + Math.floor(next() * 3_000), maxEntries: 1 + Math.floor(next() * 8) });
            byGroup.set(id, u);
          }
          let e: WindowEntry;
          if (next() < 0.1 && seen.length > 0) e = seen[Math.floor(next() * seen.length)];
          else {
            clock += Math.floor(next() * 60) - 10;
            e = entry(`e${seed}-${batch}-${i}`, clock, `v${Math.floor(next() * 5)}`);
            seen.push(e);
          }
          (u.entries as WindowEntry[]).push(e);
        }
        const updates = [...byGroup.values()];
        for (const u of updates) (u.entries as WindowEntry[]).sort(compareEntries);
        expect(await store.applyBatch(updates)).toEqual(await reference.applyBatch(updates));
        if (next() < 0.2) {
          const fired = updates.slice(0, 3).map((u) => ({ scope: u.scope, group: u.group, until: clock - Math.floor(next() * 100) }));
          await store.markFired(fired);
          await reference.markFired(fired);
        }
        now += Math.floor(next() * 400);
      }
      // Every group, live, expired or never seen, still answers alike.
      const probe = [...new Set(['a\u00000101', 'b\u00000751'])].flatMap((scope) => groups.map((group) => update([], { scope, group })));
      expect(await store.applyBatch(probe)).toEqual(await reference.applyBatch(probe));
    }
  });
});
