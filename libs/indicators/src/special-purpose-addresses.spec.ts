import { isGloballyRoutable, productionAddressScope, specialPurposeRangeOf, specialPurposeRangeOverlapping } from './special-purpose-addresses';

const testScope = { documentationIsPublic: true };

describe('specialPurposeRangeOf', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.10', 'private'],
    ['fd12:3456::1', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['100.64.0.1', 'carrier-grade-nat'],
    ['100.127.255.255', 'carrier-grade-nat'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.23', 'documentation'],
    ['203.0.113.66', 'documentation'],
    ['2001:db8::5', 'documentation'],
    ['224.0.0.251', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'this-network'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['198.18.0.1', 'benchmarking'],
    ['192.0.0.8', 'protocol-assignments'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.5', 'private'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:c0a8:0101', 'private'],
    [' 127.0.0.1 ', 'loopback'],
  ])('names %s as %s', (address, kind) => {
    expect(specialPurposeRangeOf(address)?.kind).toBe(kind);
    expect(isGloballyRoutable(address)).toBe(false);
  });

  it.each([
    '8.8.8.8',
    '91.240.118.172',
    '100.63.255.255',
    '100.128.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '192.169.0.1',
    '2a00:1450:4001::1',
    '::ffff:8.8.8.8',
    '2002:c000:0204::1',
  ])('treats %s as globally routable', (address) => {
    expect(specialPurposeRangeOf(address)).toBeUndefined();
    expect(isGloballyRoutable(address)).toBe(true);
  });

  it('treats the documentation ranges as public only when the policy says so, and nothing else', () => {
    for (const address of ['192.0.2.1', '198.51.100.23', '203.0.113.66', '2001:db8::5', '::ffff:203.0.113.9']) {
      expect(isGloballyRoutable(address, productionAddressScope)).toBe(false);
      expect(isGloballyRoutable(address, testScope)).toBe(true);
    }
    for (const address of ['127.0.0.1', '10.0.0.5', '100.64.1.1', 'fd00::1']) expect(isGloballyRoutable(address, testScope)).toBe(false);
  });

  it('is no address for text that is not one', () => {
    for (const text of ['-', 'proxy.local', '', '999.1.1.1']) {
      expect(specialPurposeRangeOf(text)).toBeUndefined();
      expect(isGloballyRoutable(text)).toBe(false);
    }
  });
});

describe('specialPurposeRangeOverlapping', () => {
  it.each([
    ['10.20.0.0/16', 'private'],
    ['10.0.0.0/8', 'private'],
    ['8.0.0.0/6', 'private'],
    ['0.0.0.0/0', 'this-network'],
    ['100.0.0.0/8', 'carrier-grade-nat'],
    ['127.0.0.1', 'loopback'],
    ['fd00::/8', 'unique-local'],
    ['::/0', 'unspecified'],
    ['::ffff:10.0.0.0/104', 'private'],
    ['2001:db8:1::/48', 'documentation'],
  ])('names the range %s overlaps as %s', (prefix, kind) => {
    expect(specialPurposeRangeOverlapping(prefix)?.kind).toBe(kind);
  });

  it.each(['8.8.8.0/24', '91.240.0.0/16', '2a00:1450::/32', '::ffff:8.8.8.0/120'])('finds no non-global range in %s', (prefix) => {
    expect(specialPurposeRangeOverlapping(prefix)).toBeUndefined();
  });

  it('follows the documentation policy for prefixes too', () => {
    expect(specialPurposeRangeOverlapping('203.0.113.0/24', testScope)).toBeUndefined();
    expect(specialPurposeRangeOverlapping('203.0.113.0/24')?.kind).toBe('documentation');
  });
});
