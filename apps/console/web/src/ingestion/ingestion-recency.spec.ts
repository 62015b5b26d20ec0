import { bySilenceFirst, parseErrorRate, recencyOf, refusalsOf } from './ingestion-recency';

const now = Date.parse('2026-12-03T09:00:00Z');
const minutesAgo = (m: number) => new Date(now - m * 60_000).toISOString();

describe('ingestion recency', () => {
  it('calls a member active up to 5 minutes, quiet up to 15, silent beyond, never without an event', () => {
    expect(recencyOf({ last_event_at: minutesAgo(1) }, now)).toBe('active');
    expect(recencyOf({ last_event_at: minutesAgo(5) }, now)).toBe('active');
    expect(recencyOf({ last_event_at: minutesAgo(6) }, now)).toBe('quiet');
    expect(recencyOf({ last_event_at: minutesAgo(15) }, now)).toBe('quiet');
    expect(recencyOf({ last_event_at: minutesAgo(16) }, now)).toBe('silent');
    expect(recencyOf({ last_event_at: null }, now)).toBe('never');
  });

  it('puts members that never sent first, then the longest silent, the most recent last', () => {
    const members = [
      { member_id: '0751', last_event_at: minutesAgo(1) },
      { member_id: '0461', last_event_at: minutesAgo(30) },
      { member_id: '0101', last_event_at: null },
      { member_id: '0147', last_event_at: minutesAgo(10) },
      { member_id: '0099', last_event_at: null },
    ];
    expect([...members].sort(bySilenceFirst).map((m) => m.member_id)).toEqual(['0099', '0101', '0461', '0147', '0751']);
  });

  it('rates parse errors over what reached a parser, and lists refusals largest first', () => {
    expect(parseErrorRate({ accepted: 0, parse_errors: 0 })).toBeNull();
    expect(parseErrorRate({ accepted: 90, parse_errors: 10 })).toBeCloseTo(0.1);
    expect(refusalsOf({ refused: { invalid: 2, rate_limited: 5, backlog: 0 } })).toEqual([
      ['rate_limited', 5],
      ['invalid', 2],
    ]);
  });
});
