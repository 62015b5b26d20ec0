import { InMemoryWindowStore, markWindowFired, mergeWindow, WindowEntry, WindowUpdate } from './window-store';

const entry = (key: string, time: number, value = ''): WindowEntry => ({ key, time, value, eventId: key });
const update = (entries: WindowEntry[], overrides: Partial<WindowUpdate> = {}): WindowUpdate => ({
  key: 'group',
  entries,
  latenessMs: 100,
  horizonMs: 1_100,
  maxEntries: 1_000,
  ttlMs: 60_000,
  ...overrides,
});

describe(mergeWindow.name, () => {
  it('stores a redelivered entry once', () => {
    const first = mergeWindow(undefined, update([entry('a', 10), entry('b', 20)]));
    const again = mergeWindow(first.stored, update([entry('a', 10), entry('b', 20)]));
    expect(again.state.entries.map((e) => e.key)).toEqual(['a', 'b']);
  });

  it('reports entries older than the watermark minus the lateness as late, and does not store them', () => {
    const first = mergeWindow(undefined, update([entry('a', 1_000)]));
    const next = mergeWindow(first.stored, update([entry('in-time', 950), entry('late', 899)]));
    expect(next.state.late.map((e) => e.key)).toEqual(['late']);
    expect(next.state.entries.map((e) => e.key)).toEqual(['in-time', 'a']);
  });

  it('judges lateness against the watermark before the batch, so a backlog batch is not late to itself', () => {
    const state = mergeWindow(undefined, update([entry('old', 0), entry('new', 10_000)])).state;
    expect(state.late).toEqual([]);
    expect(state.watermark).toBe(10_000);
  });

  it('prunes entries that can no longer share a window with an acceptable one', () => {
    const first = mergeWindow(undefined, update([entry('a', 0), entry('b', 5_000)]));
    const next = mergeWindow(first.stored, update([entry('c', 5_100)]));
    expect(next.state.entries.map((e) => e.key)).toEqual(['b', 'c']);
  });

  it('evicts the oldest entries beyond the cap and counts them', () => {
    const state = mergeWindow(undefined, update([entry('a', 1), entry('b', 2), entry('c', 3)], { maxEntries: 2 })).state;
    expect(state.entries.map((e) => e.key)).toEqual(['b', 'c']);
    expect(state.evicted).toBe(1);
  });

  it('suppresses entries inside a window that already fired', () => {
    const fired = markWindowFired(mergeWindow(undefined, update([entry('a', 10), entry('b', 20), entry('c', 30)])).stored, 25);
    expect(fired.entries.map((e) => e.key)).toEqual(['c']);
    const next = mergeWindow(fired, update([entry('d', 24), entry('e', 40)]));
    expect(next.state.suppressed).toBe(1);
    expect(next.state.entries.map((e) => e.key)).toEqual(['c', 'e']);
  });
});

describe(InMemoryWindowStore.name, () => {
  it('keeps each key between batches', async () => {
    const store = new InMemoryWindowStore();
    await store.applyBatch([update([entry('a', 1)])]);
    const [state] = await store.applyBatch([update([entry('b', 2)])]);
    expect(state.entries.map((e) => e.key)).toEqual(['a', 'b']);
  });

  it('forgets a key after its time to live', async () => {
    let now = 0;
    const store = new InMemoryWindowStore({ now: () => now });
    await store.applyBatch([update([entry('a', 1)], { ttlMs: 1_000 })]);
    now = 1_001;
    const [state] = await store.applyBatch([update([entry('b', 2)], { ttlMs: 1_000 })]);
    expect(state.entries.map((e) => e.key)).toEqual(['b']);
  });

  it('records a fired window', async () => {
    const store = new InMemoryWindowStore();
    await store.applyBatch([update([entry('a', 1), entry('b', 2)])]);
    await store.markFired([{ key: 'group', until: 2 }]);
    const [state] = await store.applyBatch([update([entry('c', 2)])]);
    expect(state).toMatchObject({ firedUntil: 2, suppressed: 1, entries: [] });
  });
});
