import { canonicaliseEvent, defaultEventLimits, type EventLimits } from './canonical-event';

const canonical = (value: unknown, limits: EventLimits = defaultEventLimits) => canonicaliseEvent(value, limits);
const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { x: value };
  return value;
};

describe(canonicaliseEvent.name, () => {
  it('expands a dotted key into nested objects, as Elasticsearch reads it', () => {
    expect(canonical({ 'organization.id': 'B', message: 'm' })).toEqual({ ok: true, event: { organization: { id: 'B' }, message: 'm' } });
  });

  it('merges dotted and nested spellings of one object', () => {
    const result = canonical({ source: { port: 22 }, 'source.ip': '192.0.2.1', 'event.kind': 'event', event: { id: 'x' } });
    expect(result).toEqual({ ok: true, event: { source: { port: 22, ip: '192.0.2.1' }, event: { kind: 'event', id: 'x' } } });
  });

  it('expands dotted keys at every level, inside arrays too', () => {
    const result = canonical({ a: { 'b.c': 1 }, list: [{ 'organization.id': 'B' }, [{ 'x.y': 2 }]] });
    expect(result).toEqual({ ok: true, event: { a: { b: { c: 1 } }, list: [{ organization: { id: 'B' } }, [{ x: { y: 2 } }]] } });
  });

  it('accepts one path given twice with the same value', () => {
    expect(canonical({ 'a.b': [1, 2], a: { b: [1, 2] } })).toEqual({ ok: true, event: { a: { b: [1, 2] } } });
  });

  it('refuses a path given twice with different values, naming it', () => {
    expect(canonical({ organization: { id: 'A' }, 'organization.id': 'B' })).toEqual({
      ok: false,
      problems: [{ path: 'organization.id', message: 'given twice with different values' }],
    });
  });

  it('refuses a value and an object at one path, in either order', () => {
    for (const value of [
      { 'event.id': 'x', 'event.id.more': 'y' },
      { 'a.b.c': 1, 'a.b': 2 },
      { a: 1, 'a.b': 2 },
    ]) {
      const result = canonical(value);
      expect(result).toMatchObject({ ok: false, problems: [{ message: 'given both as a value and as an object' }] });
    }
  });

  it.each(['', ' ', '.', '..', '.a', 'a.', 'a..b', 'a. .b'])('refuses the key %j that Elasticsearch cannot take', (key) => {
    const result = canonical({ custom: { [key]: 'x' } });
    expect(result).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining('is not a field name Elasticsearch accepts') }] });
  });

  it('leaves the keys inside a flattened field as they are, and expands a dotted key only down to it', () => {
    const result = canonical({
      labels: { 'a.b': 'x', '': 'y' },
      'labels.c.d': 'z',
      'winlog.event_data.Sub.Key': 1,
      winlog: { event_data: { 'Other.Key': 2 } },
    });
    expect(result).toEqual({
      ok: true,
      event: { labels: { 'a.b': 'x', '': 'y', 'c.d': 'z' }, winlog: { event_data: { 'Sub.Key': 1, 'Other.Key': 2 } } },
    });
  });

  it('still bounds what is inside a flattened field', () => {
    const wide = { labels: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`l${i}`, 'v'])) };
    expect(canonical(wide)).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining('EVENT_MAX_FIELDS') }] });
    expect(canonical({ labels: nested(20) as Record<string, unknown> })).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringContaining('EVENT_MAX_DEPTH') }],
    });
  });

  it('keeps __proto__ as an own field and never touches the prototype', () => {
    const result = canonical(JSON.parse('{"__proto__.polluted": 1, "a": {"__proto__": {"x": 1}}}'));
    expect(result.ok).toBe(true);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(result.ok && result.event, '__proto__')).toBe(true);
  });

  it('bounds the depth, counting arrays and objects, before walking further', () => {
    expect(canonical(nested(20))).toMatchObject({ ok: true });
    expect(canonical(nested(21))).toMatchObject({ ok: false, problems: [{ message: 'nested deeper than 20 levels (limit EVENT_MAX_DEPTH)' }] });
    expect(canonical({ a: [[[1]]] }, { ...defaultEventLimits, maxDepth: 4 })).toMatchObject({ ok: true });
    expect(canonical({ a: [[[[1]]]] }, { ...defaultEventLimits, maxDepth: 4 })).toMatchObject({ ok: false });
  });

  it('bounds the depth a dotted key would create', () => {
    const key = Array.from({ length: 30 }, () => 'x').join('.');
    expect(canonical({ [key]: 1 })).toMatchObject({ ok: false, problems: [{ path: key, message: expect.stringContaining('EVENT_MAX_DEPTH') }] });
  });

  it('refuses 10,000 levels without overflowing the stack', () => {
    const text = `${'{"x":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    expect(canonical(JSON.parse(text))).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining('EVENT_MAX_DEPTH') }] });
  });

  it('bounds the number of fields', () => {
    const wide = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`f${i}`, i]));
    expect(canonical(wide)).toMatchObject({ ok: false, problems: [{ message: 'the event has more than 1000 fields (limit EVENT_MAX_FIELDS)' }] });
  });

  it('bounds the size in UTF-8 bytes', () => {
    const limits = { ...defaultEventLimits, maxBytes: 1000 };
    expect(canonical({ message: 'a'.repeat(900) }, limits)).toMatchObject({ ok: true });
    expect(canonical({ message: 'æ'.repeat(900) }, limits)).toMatchObject({
      ok: false,
      problems: [{ message: 'the event is larger than 1000 bytes (limit EVENT_MAX_BYTES)' }],
    });
  });

  it('refuses what is not an object', () => {
    for (const value of [42, 'x', null, [{}]]) expect(canonical(value)).toMatchObject({ ok: false, problems: [{ path: '(root)' }] });
  });

  it('leaves an event without dotted keys as it is (no copy)', () => {
    const event = { message: 'm', source: { ip: '192.0.2.1' } };
    const result = canonical(event);
    expect(result.ok && result.event).toBe(event);
  });
});
