import { findFiringWindow, WindowRule } from './correlation-window';
import { compareEntries, sortEntries, WindowEntry } from './window-store';

const at = (seconds: number, value = '', key = `e${seconds}-${value}`): WindowEntry => ({ time: seconds * 1_000, value, eventId: key });

describe('hot-path shortcuts', () => {
  it('sortEntries leaves ordered entries alone and sorts the rest like compareEntries', () => {
    const ordered = [at(1), at(2), at(2, 'b', 'k2'), at(3)];
    expect(sortEntries(ordered)).toBe(ordered);
    expect(ordered.map((e) => e.eventId)).toEqual(['e1-', 'e2-', 'k2', 'e3-']);
    const shuffled = [at(3), at(1), at(2, 'b', 'k2'), at(2)];
    expect(sortEntries([...shuffled])).toEqual([...shuffled].sort(compareEntries));
  });

  it('value_count still fires on one entry when a count of one qualifies (lt/lte conditions)', () => {
    const rule: WindowRule = { type: 'value_count', timespanMs: 60_000, qualifies: (n) => n < 2, sequenceLength: 1 };
    expect(findFiringWindow(rule, [at(1, 'a')])).toMatchObject({ start: 1_000 });
    expect(findFiringWindow(rule, [])).toBeUndefined();
    const atLeastThree: WindowRule = { ...rule, qualifies: (n) => n >= 3 };
    expect(findFiringWindow(atLeastThree, [at(1, 'a'), at(2, 'b')])).toBeUndefined();
    expect(findFiringWindow(atLeastThree, [at(1, 'a'), at(2, 'b'), at(3, 'c')])).toMatchObject({ start: 1_000 });
  });

  it('temporal_ordered with fewer entries than steps never fires', () => {
    const rule: WindowRule = { type: 'temporal_ordered', timespanMs: 60_000, qualifies: () => true, sequenceLength: 3 };
    expect(findFiringWindow(rule, [at(1, '0'), at(2, '1')])).toBeUndefined();
    expect(findFiringWindow(rule, [at(1, '0'), at(2, '1'), at(3, '2')])).toMatchObject({ start: 1_000 });
  });
});
