import { importCsvBlocklist } from './csv-blocklist-importer';
import { formatImportError } from './import-result';
import { parseIndicator } from './indicator.schema';
import { nonGlobalRangeOfIndicator, refuseNonGlobalAddresses } from './non-global-import-filter';

const csv = (...addresses: string[]) =>
  [
    '"first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"',
    ...addresses.map((a) => `"2026-01-01 00:00:00","${a}","443","online","2026-11-27","Bot"`),
  ].join('\n');

describe('refuseNonGlobalAddresses', () => {
  it('refuses feed entries for loopback, private, CGNAT and documentation addresses, naming the range, and keeps public ones', () => {
    const feed = importCsvBlocklist(csv('127.0.0.1', '10.0.0.5', '100.64.3.3', '203.0.113.66', '91.240.118.172'), { source: 'feed' });
    expect(feed.indicators).toHaveLength(5);
    const result = refuseNonGlobalAddresses(feed);
    expect(result.indicators.map((i) => i.value)).toEqual(['91.240.118.172']);
    expect(result.errors.map(formatImportError)).toEqual([
      expect.stringContaining('127.0.0.1 is in the loopback range 127.0.0.0/8 (RFC 1122), which is not globally reachable: a feed may not add it'),
      expect.stringContaining('10.0.0.5 is in the private range 10.0.0.0/8 (RFC 1918)'),
      expect.stringContaining('100.64.3.3 is in the carrier-grade-nat range 100.64.0.0/10 (RFC 6598)'),
      expect.stringContaining('203.0.113.66 is in the documentation range 203.0.113.0/24 (RFC 5737)'),
    ]);
    expect(result.errors[0]!.objectId).toBe(feed.indicators[0]!.id);
  });

  it('keeps documentation addresses when the deployment treats them as public', () => {
    const result = refuseNonGlobalAddresses(importCsvBlocklist(csv('203.0.113.66', '127.0.0.1')), { documentationIsPublic: true });
    expect(result.indicators.map((i) => i.value)).toEqual(['203.0.113.66']);
    expect(result.errors).toHaveLength(1);
  });

  it("keeps the importer's own errors and leaves other indicator types alone", () => {
    const result = refuseNonGlobalAddresses({ indicators: [], errors: [{ line: 3, reason: 'bad' }] });
    expect(result.errors).toEqual([{ line: 3, reason: 'bad' }]);
    const domain = parseIndicator({
      id: 'd',
      type: 'domain',
      value: 'localhost',
      source: 's',
      confidence: 50,
      tlp: 'green',
      valid_from: '2026-01-01T00:00:00Z',
    });
    if (!domain.ok) throw new Error(domain.reason);
    expect(nonGlobalRangeOfIndicator(domain.indicator)).toBeUndefined();
  });

  it('refuses IPv6, IPv4-mapped and CIDR entries that reach non-global space', () => {
    const make = (type: string, value: string) => {
      const parsed = parseIndicator({ id: value, type, value, source: 's', confidence: 50, tlp: 'green', valid_from: '2026-01-01T00:00:00Z' });
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.indicator;
    };
    const result = refuseNonGlobalAddresses({
      indicators: [make('ipv6', '::1'), make('ipv6', '::ffff:192.168.0.1'), make('cidr', '0.0.0.0/0'), make('cidr', 'fd00::/8'), make('cidr', '8.8.8.0/24')],
      errors: [],
    });
    expect(result.indicators.map((i) => i.value)).toEqual(['8.8.8.0/24']);
    expect(result.errors.map((e) => e.objectId)).toEqual(['::1', '::ffff:192.168.0.1', '0.0.0.0/0', 'fd00::/8']);
  });
});
