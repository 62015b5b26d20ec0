import type { Alert } from '../api';
import { byPriorityAndSla, listQueryOf, matchesFilters, mergedQueue, openFilters, pageStartOf, rowsPerPage } from './queue-order';

const alert = (id: string, fields: Partial<Alert> = {}): Alert =>
  ({
    id,
    kind: 'rule',
    rule: { id: 'r', title: 'SSH brute force', level: 'high', tags: [], references: [] },
    organization: { id: '0751' },
    group_key: '198.51.100.7',
    status: 'new',
    severity: 'high',
    risk_score: 50,
    count: 1,
    first_seen: '2026-12-03T08:00:00.000Z',
    last_seen: '2026-12-03T08:00:00.000Z',
    event_ids: [],
    observables: [{ field: 'source.ip', value: '198.51.100.7' }],
    created_at: '2026-12-03T08:00:00.000Z',
    updated_at: '2026-12-03T08:00:00.000Z',
    ...fields,
  }) as Alert;

describe('byPriorityAndSla', () => {
  it('puts critical before high, higher risk first, then the further escalated, then the older (nearer its SLA)', () => {
    const queue = [
      alert('high-low-risk', { risk_score: 10 }),
      alert('high-young', { risk_score: 80, created_at: '2026-12-03T09:00:00.000Z' }),
      alert('critical', { severity: 'critical', risk_score: 5 }),
      alert('high-old', { risk_score: 80, created_at: '2026-12-03T07:00:00.000Z' }),
      alert('high-escalated', { risk_score: 80, created_at: '2026-12-03T09:30:00.000Z', escalation_level: 2 }),
    ].sort(byPriorityAndSla);
    expect(queue.map((a) => a.id)).toEqual(['critical', 'high-escalated', 'high-old', 'high-young', 'high-low-risk']);
  });
});

describe('matchesFilters', () => {
  it('keeps open alerts under "open", and matches severity, member and free text', () => {
    expect(matchesFilters(alert('a'), openFilters)).toBe(true);
    expect(matchesFilters(alert('a', { status: 'resolved' }), openFilters)).toBe(false);
    expect(matchesFilters(alert('a', { status: 'resolved' }), { ...openFilters, status: 'resolved' })).toBe(true);
    expect(matchesFilters(alert('a'), { ...openFilters, severity: 'critical' })).toBe(false);
    expect(matchesFilters(alert('a'), { ...openFilters, member: '0461' })).toBe(false);
    expect(matchesFilters(alert('a'), { ...openFilters, q: 'ssh' })).toBe(true);
    expect(matchesFilters(alert('a'), { ...openFilters, q: '198.51.100.7' })).toBe(true);
    expect(matchesFilters(alert('a'), { ...openFilters, q: 'phishing' })).toBe(false);
  });
});

describe('mergedQueue', () => {
  it('adds a live alert in its place, replaces a changed one, and drops one that no longer matches', () => {
    const queue = [alert('a', { risk_score: 90 }), alert('b', { risk_score: 10 })];
    const merged = mergedQueue(queue, [alert('c', { risk_score: 50 }), alert('a', { risk_score: 90, status: 'resolved' })], openFilters);
    expect(merged.map((a) => a.id)).toEqual(['c', 'b']);
  });
});

describe('listQueryOf', () => {
  it('asks the API for one status, or for all and filters "open" itself', () => {
    expect(listQueryOf(openFilters)).toEqual({ size: 500 });
    expect(listQueryOf({ status: 'new', severity: 'high', member: ' 0751 ', q: 'ssh' })).toEqual({
      size: 500,
      status: 'new',
      severity: 'high',
      member: '0751',
      q: 'ssh',
    });
  });
});

describe('pageStartOf', () => {
  it('puts a row on the table page that holds it, so j/k past the last row shows the next page', () => {
    expect(pageStartOf(0)).toBe(0);
    expect(pageStartOf(rowsPerPage - 1)).toBe(0);
    expect(pageStartOf(rowsPerPage)).toBe(rowsPerPage);
    expect(pageStartOf(9_999)).toBe(Math.floor(9_999 / rowsPerPage) * rowsPerPage);
    expect(pageStartOf(-1)).toBe(0);
  });
});
