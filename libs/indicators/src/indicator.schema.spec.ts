import { indicatorSchema, parseIndicator } from './indicator.schema';
import { parseTlp, stricterTlp } from './tlp';

const base = {
  id: 'indicator--1',
  type: 'ipv4',
  value: '192.0.2.1',
  source: 'test-feed',
  confidence: 70,
  tlp: 'amber',
  valid_from: '2025-01-01T00:00:00Z',
};

describe('indicatorSchema', () => {
  it('fills defaults and turns timestamps into Dates', () => {
    const indicator = indicatorSchema.parse(base);
    expect(indicator.revoked).toBe(false);
    expect(indicator.labels).toEqual([]);
    expect(indicator.valid_from).toEqual(new Date('2025-01-01T00:00:00Z'));
    expect(indicator.valid_until).toBeUndefined();
  });

  it('moves a port written in the value to port, and keeps it through a JSON round trip', () => {
    const indicator = indicatorSchema.parse({ ...base, value: '192.0.2.1:8080' });
    expect([indicator.value, indicator.port]).toEqual(['192.0.2.1', 8080]);
    expect(indicatorSchema.parse(JSON.parse(JSON.stringify(indicator)))).toEqual(indicator);
    expect(indicatorSchema.parse({ ...base, port: 443 }).port).toBe(443);
    expect(indicatorSchema.parse(base)).not.toHaveProperty('port');
  });

  it('refuses a port field that contradicts the port in the value, and a port out of range', () => {
    expect(parseIndicator({ ...base, value: '192.0.2.1:8080', port: 443 })).toEqual({
      ok: false,
      reason: 'port: port 443 differs from the port 8080 written in the value',
    });
    expect(parseIndicator({ ...base, port: 70000 }).ok).toBe(false);
  });

  it('survives a JSON round trip', () => {
    const indicator = indicatorSchema.parse({ ...base, valid_until: '2025-02-01T00:00:00+01:00' });
    expect(indicatorSchema.parse(JSON.parse(JSON.stringify(indicator)))).toEqual(indicator);
  });

  it('reads TLP white as clear, and TLP: prefixes in any case', () => {
    expect(indicatorSchema.parse({ ...base, tlp: 'white' }).tlp).toBe('clear');
    expect(indicatorSchema.parse({ ...base, tlp: 'TLP:AMBER+STRICT' }).tlp).toBe('amber+strict');
  });

  it('normalises the value and retypes an IPv4-mapped IPv6 address', () => {
    const indicator = indicatorSchema.parse({ ...base, type: 'ipv6', value: '::FFFF:192.0.2.1' });
    expect(indicator).toMatchObject({ type: 'ipv4', value: '192.0.2.1' });
  });

  it('rejects an unknown TLP level', () => {
    expect(parseIndicator({ ...base, tlp: 'purple' })).toEqual({
      ok: false,
      reason: "tlp: unknown TLP level 'purple': expected one of clear, green, amber, amber+strict, red (white is read as clear)",
    });
  });

  it('rejects a value that does not normalise for its type', () => {
    expect(parseIndicator({ ...base, type: 'domain', value: 'a..b' })).toEqual({
      ok: false,
      reason: "value: domain name 'a..b' has an empty label",
    });
  });

  it('rejects a validity that ends before it starts', () => {
    expect(parseIndicator({ ...base, valid_until: '2024-12-31T00:00:00Z' })).toEqual({
      ok: false,
      reason: 'valid_until: valid_until must be later than valid_from',
    });
  });

  it('rejects an invalid Date', () => {
    expect(parseIndicator({ ...base, valid_from: new Date('not a date') })).toEqual({
      ok: false,
      reason: 'valid_from: expected an ISO 8601 timestamp with a UTC offset, or a valid Date',
    });
  });

  it('rejects confidence outside 0–100 and names every bad field at once', () => {
    const result = parseIndicator({ ...base, confidence: 101, source: '' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^source: .+; confidence: .+$/);
  });
});

describe('parseTlp', () => {
  it.each([
    ['clear', 'clear'],
    ['WHITE', 'clear'],
    ['tlp:white', 'clear'],
    [' TLP:Red ', 'red'],
    ['amber+strict', 'amber+strict'],
    ['tlp:ex:chr', undefined],
  ])('reads %j as %j', (text, level) => {
    expect(parseTlp(text)).toBe(level);
  });

  it('prefers the stricter of two levels', () => {
    expect(stricterTlp('green', 'amber+strict')).toBe('amber+strict');
    expect(stricterTlp('red', 'clear')).toBe('red');
  });
});
