import type { Indicator, IndicatorListQuery } from './correlator-api';
import { lastSighting, listQueryOf, noFilters, searchPage, stateOf } from './indicator-search';

const now = Date.parse('2026-12-03T12:00:00Z');
const indicator = (id: string, fields: Partial<Indicator> = {}): Indicator => ({
  id,
  type: 'ipv4',
  value: '45.137.21.66',
  source: 'e2e',
  confidence: 50,
  tlp: 'clear',
  valid_from: '2026-01-01T00:00:00.000Z',
  revoked: false,
  labels: [],
  ...fields,
});

describe('stateOf', () => {
  it('is revoked, expired, not yet valid or active as the correlator matches', () => {
    expect(stateOf(indicator('a', { revoked: true, valid_until: '2020-01-01T00:00:00Z' }), now)).toBe('revoked');
    expect(stateOf(indicator('a', { valid_until: '2026-12-03T12:00:00Z' }), now)).toBe('expired');
    expect(stateOf(indicator('a', { valid_from: '2027-01-01T00:00:00Z' }), now)).toBe('pending');
    expect(stateOf(indicator('a', { valid_until: '2027-01-01T00:00:00Z' }), now)).toBe('active');
  });
});

describe('listQueryOf', () => {
  it('sends only the filters given, the state as revoked true or false', () => {
    expect(listQueryOf(noFilters, '0', 50)).toEqual({ cursor: '0', limit: 50 });
    expect(listQueryOf({ text: ' 185.220 ', type: 'ipv4', source: 'abuse.ch URLhaus', state: 'revoked' }, '12', 50)).toEqual({
      cursor: '12',
      limit: 50,
      q: '185.220',
      type: 'ipv4',
      source: 'abuse.ch URLhaus',
      revoked: 'true',
    });
    expect(listQueryOf({ ...noFilters, state: 'expired' }, '0', 50).revoked).toBe('false');
  });
});

describe('searchPage', () => {
  it('reads API pages by next_cursor until the page is full of the chosen state', async () => {
    const pages: Record<string, { indicators: Indicator[]; next_cursor: string }> = {
      '0': { indicators: [indicator('a'), indicator('b', { valid_until: '2026-02-01T00:00:00Z' })], next_cursor: '7' },
      '7': { indicators: [indicator('c', { valid_until: '2026-03-01T00:00:00Z' })], next_cursor: '9' },
      '9': { indicators: [indicator('d', { valid_until: '2026-04-01T00:00:00Z' })], next_cursor: '0' },
    };
    const asked: IndicatorListQuery[] = [];
    const fetchPage = async (query: IndicatorListQuery) => {
      asked.push(query);
      return pages[query.cursor!]!;
    };
    const page = await searchPage({ ...noFilters, state: 'expired' }, '0', 2, fetchPage, now);
    expect(page.indicators.map((i) => i.id)).toEqual(['b', 'c']);
    expect(page.nextCursor).toBe('9');
    expect(asked.map((q) => [q.cursor, q.revoked])).toEqual([
      ['0', 'false'],
      ['7', 'false'],
    ]);
    const rest = await searchPage({ ...noFilters, state: 'expired' }, page.nextCursor, 2, fetchPage, now);
    expect(rest).toEqual({ indicators: [pages['9']!.indicators[0]], nextCursor: '0' });
  });
});

describe('lastSighting', () => {
  it('is the latest over the members', () => {
    expect(lastSighting([])).toBeUndefined();
    expect(
      lastSighting([
        { memberId: '0751', count: 3, lastSeen: '2026-12-01T00:00:00.000Z' },
        { memberId: '0851', count: 1, lastSeen: '2026-12-02T00:00:00.000Z' },
      ]),
    ).toBe('2026-12-02T00:00:00.000Z');
  });
});
