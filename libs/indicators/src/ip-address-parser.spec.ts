import ipaddr from 'ipaddr.js';
import { parseIpAddress, parseIpPrefix } from './ip-address-parser';

function wordsOf(address: ipaddr.IPv4 | ipaddr.IPv6): number[] {
  const bytes = address.toByteArray();
  const words: number[] = [];
  for (let i = 0; i < bytes.length; i += 4) {
    words.push(((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0);
  }
  return words;
}

// Deterministic pseudo-random numbers, so a failure reproduces.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state;
  };
}

describe('parseIpAddress', () => {
  const words = new Uint32Array(4);

  it.each([
    ['0.0.0.0', 4, [0]],
    ['255.255.255.255', 4, [0xffffffff]],
    ['192.0.2.1', 4, [0xc0000201]],
    ['::', 6, [0, 0, 0, 0]],
    ['::1', 6, [0, 0, 0, 1]],
    ['1::', 6, [0x00010000, 0, 0, 0]],
    ['2001:db8::1', 6, [0x20010db8, 0, 0, 1]],
    ['2001:DB8:0:0:0:0:0:1', 6, [0x20010db8, 0, 0, 1]],
    ['1:2:3:4:5:6:7::', 6, [0x00010002, 0x00030004, 0x00050006, 0x00070000]],
    ['::2:3:4:5:6:7:8', 6, [0x00000002, 0x00030004, 0x00050006, 0x00070008]],
    ['fe80::1%eth0', 6, [0xfe800000, 0, 0, 1]],
    ['64:ff9b::192.0.2.1', 6, [0x0064ff9b, 0, 0, 0xc0000201]],
    ['::ffff:192.0.2.1', 4, [0xc0000201]],
    ['::ffff:c000:201', 4, [0xc0000201]],
  ])('parses %s', (text, family, expected) => {
    expect(parseIpAddress(text, words)).toBe(family);
    expect([...words.slice(0, expected.length)]).toEqual(expected);
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '1.2.3.256',
    '01.2.3.4',
    '1..2.3',
    '1.2.3.4 ',
    ':',
    ':::',
    '1:2',
    '1::2::3',
    ':1::',
    '1:',
    '12345::',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:8::',
    '::1.2.3',
    '1:2:3:4:5:6:7:1.2.3.4',
    'fe80::1%',
    'g::1',
    'evil.com',
  ])('refuses %j', (text) => {
    expect(parseIpAddress(text, words)).toBe(0);
  });

  it('agrees with ipaddr.js on 20,000 random addresses in several spellings', () => {
    const next = random(42);
    const mismatches: string[] = [];
    for (let n = 0; n < 20_000; n++) {
      const v4 = ipaddr.fromByteArray([next() & 255, next() & 255, next() & 255, next() & 255]);
      const bytes = Array.from({ length: 16 }, () => (next() % 4 === 0 ? 0 : next() & 255));
      const v6 = ipaddr.fromByteArray(bytes) as ipaddr.IPv6;
      const spellings: [string, ipaddr.IPv4 | ipaddr.IPv6][] = [
        [v4.toString(), v4],
        [v6.toString(), v6],
        [v6.toNormalizedString(), v6],
        [
          v6
            .toNormalizedString()
            .split(':')
            .map((group) => group.padStart(4, '0'))
            .join(':')
            .toUpperCase(),
          v6,
        ],
      ];
      for (const [text, address] of spellings) {
        const expected = address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
        const family = parseIpAddress(text, words);
        const got = [...words.slice(0, family === 4 ? 1 : 4)];
        if (family !== (expected.kind() === 'ipv4' ? 4 : 6) || got.join() !== wordsOf(expected).join()) {
          mismatches.push(text);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('parseIpPrefix', () => {
  const words = new Uint32Array(4);

  it('reads a bare address as a full-length prefix', () => {
    expect(parseIpPrefix('192.0.2.1', words)).toBe(4 * 256 + 32);
    expect(parseIpPrefix('2001:db8::1', words)).toBe(6 * 256 + 128);
  });

  it('reads the prefix length', () => {
    expect(parseIpPrefix('10.0.0.0/8', words)).toBe(4 * 256 + 8);
    expect(parseIpPrefix('::/0', words)).toBe(6 * 256 + 0);
  });

  it('refuses lengths out of range and garbage', () => {
    expect(parseIpPrefix('10.0.0.0/33', words)).toBe(0);
    expect(parseIpPrefix('10.0.0.0/', words)).toBe(0);
    expect(parseIpPrefix('nope/8', words)).toBe(0);
  });
});
