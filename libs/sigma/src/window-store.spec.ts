import { compareEntries, markWindowFired, mergeWindow, mergeWindowByKey, storedWindowJson, WindowEntry } from './window-store';
import { entry, seededRandom, update } from './testing/windows';

describe(mergeWindow.name, () => {
  it('stores a redelivered entry once', () => {
    const first = mergeWindow(undefined, update([entry('a', 10), entry('b', 20)]));
    const again = mergeWindow(first.stored, update([entry('a', 10), entry('b', 20)]));
    expect(again.state.entries.map((e) => e.eventId)).toEqual(['a', 'b']);
  });

  it('keeps an event that is two steps of a temporal correlation as two entries, each stored once', () => {
    const steps = [entry('a', 10, '1'), entry('a', 10, '0')].sort(compareEntries);
    const first = mergeWindow(undefined, update(steps));
    const again = mergeWindow(first.stored, update([entry('a', 10, '0'), entry('a', 10, '1')]));
    // At equal times the steps stand in rule order: '0' before '1'.
    expect(again.state.entries.map((e) => e.value)).toEqual(['0', '1']);
    expect(again.state.entries.map((e) => e.eventId)).toEqual(['a', 'a']);
  });

  it('orders equal times by value, then by event id', () => {
    const shuffled = [entry('b', 5, 'x'), entry('a', 5, 'y'), entry('a', 5, 'x'), entry('c', 4, 'z')];
    expect(shuffled.sort(compareEntries).map((e) => `${e.eventId}${e.value}`)).toEqual(['cz', 'ax', 'bx', 'ay']);
  });

  it('reports entries older than the watermark minus the lateness as late, and does not store them', () => {
    const first = mergeWindow(undefined, update([entry('a', 1_000)]));
    const next = mergeWindow(first.stored, update([entry('in-time', 950), entry('late', 899)]));
    expect(next.state.late.map((e) => e.eventId)).toEqual(['late']);
    expect(next.state.entries.map((e) => e.eventId)).toEqual(['in-time', 'a']);
  });

  it('judges lateness against the watermark before the batch, so a backlog batch is not late to itself', () => {
    const state = mergeWindow(undefined, update([entry('old', 0), entry('new', 10_000)])).state;
    expect(state.late).toEqual([]);
    expect(state.watermark).toBe(10_000);
  });

  it('prunes entries that can no longer share a window with an acceptable one', () => {
    const first = mergeWindow(undefined, update([entry('a', 0), entry('b', 5_000)]));
    const next = mergeWindow(first.stored, update([entry('c', 5_100)]));
    expect(next.state.entries.map((e) => e.eventId)).toEqual(['b', 'c']);
  });

  it('evicts the oldest entries beyond the cap and counts them', () => {
    const state = mergeWindow(undefined, update([entry('a', 1), entry('b', 2), entry('c', 3)], { maxEntries: 2 })).state;
    expect(state.entries.map((e) => e.eventId)).toEqual(['b', 'c']);
    expect(state.evicted).toBe(1);
  });

  it('reports new entries inside a window that already fired, and not the ones it already holds', () => {
    const fired = markWindowFired(mergeWindow(undefined, update([entry('a', 10), entry('b', 20), entry('c', 30)])).stored, 25, undefined, { rule: 10 });
    expect(fired).toMatchObject({ firedUntil: 25, firedStarts: { rule: 10 } });
    // Spent entries stay (until pruned), so a redelivered one is recognised.
    expect(fired.entries.map((e) => e.eventId)).toEqual(['a', 'b', 'c']);
    const next = mergeWindow(fired, update([entry('b', 20), entry('d', 24), entry('e', 40)]));
    expect(next.state.suppressed).toBe(1);
    expect(next.state.added.map((e) => e.eventId)).toEqual(['d', 'e']);
    expect(next.state.entries.map((e) => e.eventId)).toEqual(['a', 'b', 'd', 'c', 'e']);
  });

  it('keeps the later start and end of two fired marks, whichever replica marks first', () => {
    const stored = mergeWindow(undefined, update([entry('a', 10)])).stored;
    const one = markWindowFired(markWindowFired(stored, 20, undefined, { r: 10 }), 50, undefined, { r: 40 });
    const other = markWindowFired(markWindowFired(stored, 50, undefined, { r: 40 }), 20, undefined, { r: 10 });
    expect(one).toEqual(other);
    expect(one).toMatchObject({ firedUntil: 50, firedStarts: { r: 40 } });
  });
});

describe('mergeWindow fast path', () => {
  it('merges every batch exactly as the general merge does (redeliveries, ties, late, fired, caps)', () => {
    let fastPaths = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const next = seededRandom(seed);
      const seen: WindowEntry[] = [];
      let fast: ReturnType<typeof mergeWindow>['stored'] | undefined;
      let general: ReturnType<typeof mergeWindow>['stored'] | undefined;
      let clock = 0;
      const shape = { latenessMs: 50 + Math.floor(next() * 100), horizonMs: 300 + Math.floor(next() * 500), maxEntries: 1 + Math.floor(next() * 12) };
      for (let batch = 0; batch < 25; batch++) {
        const entries: WindowEntry[] = [];
        const size = 1 + Math.floor(next() * 4);
        for (let i = 0; i < size; i++) {
          const roll = next();
          if (roll < 0.15 && seen.length > 0)
            entries.push(seen[Math.floor(next() * seen.length)]); // redelivery
          else if (roll < 0.22 && seen.length > 0) {
            // The same event as another step of a temporal correlation: an entry of its own.
            const other = seen[Math.floor(next() * seen.length)];
            const step = entry(other.eventId, other.time, other.value === '1' ? '0' : '1');
            seen.push(step);
            entries.push(step);
          } else {
            clock += roll < 0.3 ? 0 : Math.floor(next() * 120) - 20; // ties and some disorder
            const created = entry(`k${seed}-${batch}-${i}`, clock);
            seen.push(created);
            entries.push(created);
          }
        }
        if (next() < 0.5) entries.sort(compareEntries);
        const u = update(entries, shape);
        const a = mergeWindow(fast, u);
        const b = mergeWindowByKey(general, u);
        expect(a.state).toEqual(b.state);
        // What a store keeps: the stored window's fields (the fast path hands back its state as it).
        expect(JSON.parse(storedWindowJson(a.stored))).toEqual(JSON.parse(storedWindowJson(b.stored)));
        if (Object.isFrozen(a.state.late)) fastPaths++; // only the fast path shares a frozen empty list
        fast = a.stored;
        general = b.stored;
        if (next() < 0.1 && fast.entries.length > 0) {
          const until = fast.entries[Math.floor(next() * fast.entries.length)].time + 10;
          fast = markWindowFired(fast, until);
          general = markWindowFired(general, until);
        }
      }
    }
    // The fast path must actually have been taken, or this test proves nothing.
    expect(fastPaths).toBeGreaterThan(1_000);
  });
});
