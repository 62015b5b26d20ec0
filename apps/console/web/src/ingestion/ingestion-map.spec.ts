import { contrastRatio } from '../map/colour-scales';
import type { MemberHealth } from './collector-api';
import { highParseErrorRate, ingestionCells, ingestionCounts, ingestionFills, ingestionLegend, ingestionStateOf, memberLabel } from './ingestion-map';

const now = Date.parse('2026-12-03T09:00:00Z');
const minutesAgo = (m: number) => new Date(now - m * 60_000).toISOString();
const health = (member_id: string, last: number | null, accepted = 100, parse_errors = 0) =>
  ({ member_id, last_event_at: last === null ? null : minutesAgo(last), accepted, parse_errors, events_per_second: 0, refused: {} }) as unknown as MemberHealth;
const texts = {
  recency: (r: string) => r,
  errors: (rate: number | null) => (rate === null ? 'none parsed' : `${Math.round(rate * 100)}%`),
  cell: (recency: string, errors: string) => `${recency}; ${errors}`,
};

describe('ingestionStateOf', () => {
  it('says silent and never whatever the parse errors, and errors for a sending member at 5 % or more', () => {
    expect(ingestionStateOf(health('0751', 1), now)).toBe('active');
    expect(ingestionStateOf(health('0751', 10), now)).toBe('quiet');
    expect(ingestionStateOf(health('0751', 20, 10, 90), now)).toBe('silent');
    expect(ingestionStateOf(health('0751', null, 0, 0), now)).toBe('never');
    expect(ingestionStateOf(undefined, now)).toBe('never');
    expect(ingestionStateOf(health('0751', 1, 95, 5), now)).toBe('errors');
    expect(ingestionStateOf(health('0751', 10, 96, 4), now)).toBe('quiet');
    expect(highParseErrorRate).toBe(0.05);
  });
});

describe('ingestionCells', () => {
  const cells = ingestionCells([health('0751', 1), health('0101', 30), health('0461', 2, 50, 50), health('1084', 1)], now, texts);

  it('gives every one of the 98 municipalities a cell, one without figures as never sent', () => {
    expect(Object.keys(cells)).toHaveLength(98);
    expect(cells['0851']).toEqual({ fill: ingestionFills.never, label: 'never; none parsed', state: 'never' });
    expect(cells['1084']).toBeUndefined();
  });

  it('says the state and the parse-error share in words as well as in colour', () => {
    expect(cells['0751']).toEqual({ fill: ingestionFills.active, label: 'active; 0%', state: 'active' });
    expect(cells['0101']).toEqual({ fill: ingestionFills.silent, label: 'silent; 0%', state: 'silent' });
    expect(cells['0461']).toEqual({ fill: ingestionFills.errors, label: 'active; 50%', state: 'errors' });
  });

  it('counts the municipalities per state', () => {
    expect(ingestionCounts(cells)).toEqual({ active: 1, errors: 1, quiet: 0, silent: 1, never: 95 });
  });
});

describe('ingestion map colours', () => {
  it('are five different fills, each 3:1 against white, in the legend with the states to act on first', () => {
    const fills = Object.values(ingestionFills);
    expect(new Set(fills).size).toBe(5);
    for (const fill of fills) expect(contrastRatio(fill, '#ffffff')).toBeGreaterThanOrEqual(3);
    expect(ingestionLegend((s) => s).map((e) => e.label)).toEqual(['silent', 'never', 'errors', 'quiet', 'active']);
  });
});

describe('memberLabel', () => {
  it('names a municipality with its kommunekode, and leaves an id that is no municipality as it is', () => {
    expect(memberLabel('0751')).toBe('Aarhus (0751)');
    expect(memberLabel('0169')).toBe('Høje-Taastrup (0169)');
    expect(memberLabel('0101')).toBe('København (0101)');
    expect(memberLabel('region-nord')).toBe('region-nord');
    expect(memberLabel('9999')).toBe('9999');
  });
});
