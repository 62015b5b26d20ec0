import { familyKey, groupBySlot, slotKeyOf, spreadTag } from './key-tags';

describe('slotKeyOf', () => {
  it('hashes the first non-empty {…} of a key, as Redis Cluster does', () => {
    expect(slotKeyOf('soc:{indicators}:changes')).toBe('indicators');
    expect(slotKeyOf('a{b}{c}')).toBe('b');
  });

  it('hashes the whole key without a tag, with an empty {} or an unclosed {', () => {
    expect(slotKeyOf('soc:indicators')).toBe('soc:indicators');
    expect(slotKeyOf('soc:{}:x{y}')).toBe('soc:{}:x{y}');
    expect(slotKeyOf('soc:{open')).toBe('soc:{open');
  });
});

describe('groupBySlot', () => {
  const keys = ['p:{a}:1', 'p:{b}:1', 'p:{a}:2', 'p:plain'];

  it('groups the positions of keys sharing a tag on a cluster', () => {
    expect(groupBySlot(keys, true)).toEqual([[0, 2], [1], [3]]);
  });

  it('keeps every key in one group on a single Redis', () => {
    expect(groupBySlot(keys, false)).toEqual([[0, 1, 2, 3]]);
    expect(groupBySlot([], false)).toEqual([]);
  });
});

describe('familyKey', () => {
  it('keeps the names of a single Redis and tags the family on a cluster', () => {
    expect(familyKey('soc', 'ingest-health', false)).toBe('soc:ingest-health');
    expect(familyKey('soc', 'ingest-health', true)).toBe('soc:{ingest-health}');
  });
});

describe('spreadTag', () => {
  it('is a stable eight-digit hex tag whatever the value holds', () => {
    expect(spreadTag('rule\u0000-')).toBe(spreadTag('rule\u0000-'));
    expect(spreadTag('}{')).toMatch(/^\{[0-9a-f]{8}\}$/);
    expect(slotKeyOf(`soc:window:${spreadTag('x}y')}:x}y`)).toMatch(/^[0-9a-f]{8}$/);
  });

  it('spreads many group keys over many tags (never one tag for everything)', () => {
    const tags = new Set(Array.from({ length: 1_000 }, (_, i) => spreadTag(`family\u0000member\u0000=10.0.${i >> 8}.${i & 255}`)));
    expect(tags.size).toBeGreaterThan(990);
  });
});
