import { clock, clockOffset, countdownOf } from './sla-countdown';

const now = Date.parse('2026-12-03T10:00:00.000Z');
const at = (seconds: number) => new Date(now + seconds * 1000).toISOString();

describe('countdownOf', () => {
  it('is on time with more than a quarter of the SLA left, due soon within the last quarter, overdue once it ran out', () => {
    const item = (left: number) => ({ sla_due_at: at(left), sla_seconds: 900, next_escalation_at: at(left), next_escalation_level: 1 });
    expect(countdownOf(item(226), now).state).toBe('on-time');
    expect(countdownOf(item(225), now).state).toBe('due-soon');
    expect(countdownOf(item(1), now).state).toBe('due-soon');
    expect(countdownOf(item(0), now).state).toBe('overdue');
    expect(countdownOf(item(-90), now)).toEqual({ state: 'overdue', slaLeftMs: -90_000, next: { level: 1, leftMs: -90_000 } });
  });

  it('counts down as time passes', () => {
    const item = { sla_due_at: at(600), sla_seconds: 900, next_escalation_at: at(600), next_escalation_level: 1 };
    expect(countdownOf(item, now).slaLeftMs).toBe(600_000);
    expect(countdownOf(item, now + 1000).slaLeftMs).toBe(599_000);
  });

  it('keeps the SLA overdue after an escalation while the next level is still ahead, and has no next after the last level', () => {
    const escalated = { sla_due_at: at(-900), sla_seconds: 900, next_escalation_at: at(300), next_escalation_level: 2 };
    expect(countdownOf(escalated, now)).toEqual({ state: 'overdue', slaLeftMs: -900_000, next: { level: 2, leftMs: 300_000 } });
    expect(countdownOf({ ...escalated, next_escalation_at: null, next_escalation_level: null }, now).next).toBeNull();
  });
});

describe('clock', () => {
  it('writes m:ss under an hour, h:mm:ss under a day and days beyond, of the absolute value', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(999)).toBe('0:01');
    expect(clock(59_000)).toBe('0:59');
    expect(clock(61_000)).toBe('1:01');
    expect(clock(-754_000)).toBe('12:34');
    expect(clock(3_600_000)).toBe('1:00:00');
    expect(clock(3 * 86_400_000 + 3_723_000)).toBe('3d 1:02:03');
  });
});

describe('clockOffset', () => {
  it("corrects a browser clock that is more than 2 s off the server's Date header, and trusts it otherwise", () => {
    expect(clockOffset('Thu, 03 Dec 2026 10:05:00 GMT', now)).toBe(300_000);
    expect(clockOffset('Thu, 03 Dec 2026 09:59:00 GMT', now)).toBe(-60_000);
    expect(clockOffset('Thu, 03 Dec 2026 10:00:01 GMT', now)).toBe(0);
    expect(clockOffset(null, now)).toBe(0);
    expect(clockOffset('not a date', now)).toBe(0);
  });
});
