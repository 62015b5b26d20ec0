import { defaultEventTimeWindow, eventIndexDayRange, isWithinEventTimeWindow } from './event-time-window';

const now = Date.UTC(2026, 5, 15, 12);
const day = 86_400_000;

describe(isWithinEventTimeWindow.name, () => {
  it('includes both edges of the window and nothing beyond', () => {
    const { maxPastMs, maxFutureMs } = defaultEventTimeWindow;
    expect([now - maxPastMs, now, now + maxFutureMs].map((t) => isWithinEventTimeWindow(t, now, defaultEventTimeWindow))).toEqual([true, true, true]);
    expect([now - maxPastMs - 1, now + maxFutureMs + 1].map((t) => isWithinEventTimeWindow(t, now, defaultEventTimeWindow))).toEqual([false, false]);
  });

  it('treats an unreadable time as outside', () => {
    expect(isWithinEventTimeWindow(Number.NaN, now, defaultEventTimeWindow)).toBe(false);
  });
});

describe(eventIndexDayRange.name, () => {
  it('spans the window plus one day of grace on each side', () => {
    const { first, last } = eventIndexDayRange(now, defaultEventTimeWindow);
    expect(first).toBe(Math.floor((now - 30 * day) / day) - 1);
    expect(last).toBe(Math.floor((now + day) / day) + 1);
    expect(last - first + 1).toBe(34);
  });
});
