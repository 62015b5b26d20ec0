import { findFiringWindow, WindowRule } from './correlation-window';
import { WindowEntry } from './window-store';

const minute = 60_000;
const at = (seconds: number, value = '', key = `e${seconds}-${value}`): WindowEntry => ({ time: seconds * 1_000, value, eventId: key });
const atLeast = (n: number) => (count: number) => count >= n;

describe(findFiringWindow.name, () => {
  describe('event_count', () => {
    const rule: WindowRule = { type: 'event_count', timespanMs: 5 * minute, qualifies: atLeast(3), sequenceLength: 1 };

    it('fires on the earliest window that reaches the threshold, starting at its first event', () => {
      const window = findFiringWindow(rule, [at(0), at(400), at(410), at(420), at(430)]);
      expect(window).toMatchObject({ start: 400_000, end: 400_000 + 5 * minute });
      expect(window?.entries.map((e) => e.time)).toEqual([400_000, 410_000, 420_000, 430_000]);
    });

    it('catches a burst that straddles a clock boundary', () => {
      // 09:59:58, 09:59:59, 10:00:01: in no single aligned five-minute bucket, but within five minutes.
      const window = findFiringWindow(rule, [at(298), at(299), at(301)]);
      expect(window?.start).toBe(298_000);
    });

    it('counts an event exactly one timespan after the first as inside', () => {
      expect(findFiringWindow(rule, [at(0), at(100), at(300)])).toBeDefined();
      expect(findFiringWindow(rule, [at(0), at(100), at(301)])).toBeUndefined();
    });
  });

  describe('value_count and temporal', () => {
    const rule: WindowRule = { type: 'value_count', timespanMs: minute, qualifies: atLeast(3), sequenceLength: 1 };

    it('counts distinct values within the window', () => {
      expect(findFiringWindow(rule, [at(0, 'a'), at(1, 'a'), at(2, 'b'), at(3, 'a')])).toBeUndefined();
      expect(findFiringWindow(rule, [at(0, 'a'), at(1, 'a'), at(2, 'b'), at(3, 'c')])?.start).toBe(0);
    });

    it('forgets values that left the window', () => {
      expect(findFiringWindow(rule, [at(0, 'a'), at(61, 'b'), at(62, 'c')])).toBeUndefined();
      expect(findFiringWindow(rule, [at(0, 'a'), at(61, 'b'), at(62, 'c'), at(63, 'a')])?.start).toBe(61_000);
    });
  });

  describe('temporal_ordered', () => {
    const rule: WindowRule = { type: 'temporal_ordered', timespanMs: minute, qualifies: () => true, sequenceLength: 3 };

    it('needs the rules in order within the timespan', () => {
      expect(findFiringWindow(rule, [at(0, '0'), at(10, '1'), at(20, '2')])?.entries.map((e) => e.value)).toEqual(['0', '1', '2']);
      expect(findFiringWindow(rule, [at(0, '0'), at(10, '2'), at(20, '1')])).toBeUndefined();
      expect(findFiringWindow(rule, [at(0, '0'), at(10, '1'), at(61, '2')])).toBeUndefined();
    });

    it('tries a later start when an earlier one cannot finish in time', () => {
      const window = findFiringWindow(rule, [at(0, '0'), at(50, '0'), at(70, '1'), at(80, '2')]);
      expect(window?.start).toBe(50_000);
      expect(window?.entries.map((e) => e.time)).toEqual([50_000, 70_000, 80_000]);
    });
  });
});
