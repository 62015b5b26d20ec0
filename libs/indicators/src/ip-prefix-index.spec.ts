import ipaddr from 'ipaddr.js';
import { IpPrefixIndex, MAX_PREFIX_MATCHES } from './ip-prefix-index';

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state;
  };
}

function collected(index: IpPrefixIndex, ip: string): number[] {
  const out = new Int32Array(MAX_PREFIX_MATCHES);
  return [...out.slice(0, index.collect(ip, out))];
}

describe(IpPrefixIndex.name, () => {
  it('finds an exact address and every prefix containing it, longest first', () => {
    const index = new IpPrefixIndex();
    index.set('0.0.0.0/0', 0);
    index.set('10.0.0.0/8', 8);
    index.set('10.1.0.0/16', 16);
    index.set('10.1.2.3', 32);
    index.set('10.1.2.0/24', 24);
    expect(collected(index, '10.1.2.3')).toEqual([32, 24, 16, 8, 0]);
    expect(collected(index, '10.1.2.4')).toEqual([24, 16, 8, 0]);
    expect(collected(index, '10.2.0.1')).toEqual([8, 0]);
    expect(collected(index, '11.0.0.0')).toEqual([0]);
  });

  it('matches a prefix at its first and last address and not one beyond', () => {
    const index = new IpPrefixIndex();
    index.set('192.0.2.0/25', 1);
    expect(collected(index, '192.0.2.0')).toEqual([1]);
    expect(collected(index, '192.0.2.127')).toEqual([1]);
    expect(collected(index, '192.0.2.128')).toEqual([]);
    expect(collected(index, '192.0.1.255')).toEqual([]);
  });

  it('matches IPv6 prefixes of /0, /64 and /128', () => {
    const index = new IpPrefixIndex();
    index.set('::/0', 0);
    index.set('2001:db8:1:2::/64', 64);
    index.set('2001:db8:1:2::99', 128);
    expect(collected(index, '2001:db8:1:2::99')).toEqual([128, 64, 0]);
    expect(collected(index, '2001:db8:1:2:ffff:ffff:ffff:ffff')).toEqual([64, 0]);
    expect(collected(index, '2001:db8:1:3::')).toEqual([0]);
  });

  it('keeps IPv4 and IPv6 apart, but looks up IPv4-mapped IPv6 as IPv4', () => {
    const index = new IpPrefixIndex();
    index.set('0.0.0.0/0', 4);
    index.set('::/0', 6);
    expect(collected(index, '192.0.2.1')).toEqual([4]);
    expect(collected(index, '::ffff:192.0.2.1')).toEqual([4]);
    expect(collected(index, '2001:db8::1')).toEqual([6]);
  });

  it('finds nothing for text that is no address', () => {
    const index = new IpPrefixIndex();
    index.set('0.0.0.0/0', 1);
    expect(collected(index, 'evil.com')).toEqual([]);
    expect(index.containsAddress('evil.com')).toBe(false);
  });

  it('forgets a removed prefix and can store it again', () => {
    const index = new IpPrefixIndex();
    index.set('10.0.0.0/8', 1);
    index.set('10.0.0.0/8', -1);
    expect(collected(index, '10.1.1.1')).toEqual([]);
    expect(index.size).toBe(0);
    index.set('10.0.0.0/8', 2);
    expect(collected(index, '10.1.1.1')).toEqual([2]);
  });

  it('rejects a key that is not a canonical prefix', () => {
    expect(() => new IpPrefixIndex().set('10.0.0/8', 1)).toThrow("not an IP address or CIDR prefix: '10.0.0/8'");
  });

  // The structure against the definition: a prefix matches when the address lies inside it.
  it('agrees with a linear scan over random prefixes, including after removals and resizes', () => {
    const next = random(7);
    const index = new IpPrefixIndex();
    const prefixes: { text: string; range: [ipaddr.IPv4 | ipaddr.IPv6, number]; value: number }[] = [];
    for (let value = 0; value < 3000; value++) {
      const v6 = value % 3 === 0;
      // Few distinct high bits, so prefixes overlap and nest.
      const bytes = v6 ? [0x20, 0x01, 0x0d, 0xb8, next() & 3, ...Array.from({ length: 11 }, () => next() & 255)] : [10, next() & 3, next() & 255, next() & 255];
      const length = next() % (v6 ? 129 : 33);
      const network = ipaddr.fromByteArray(bytes);
      const text = `${network.toString()}/${length}`;
      const canonical = v6
        ? `${ipaddr.IPv6.networkAddressFromCIDR(text).toString()}/${length}`
        : `${ipaddr.IPv4.networkAddressFromCIDR(text).toString()}/${length}`;
      if (prefixes.some((p) => p.text === canonical)) continue;
      prefixes.push({ text: canonical, range: ipaddr.parseCIDR(canonical), value });
      index.set(canonical, value);
    }
    // Remove every fourth prefix, leaving tombstones.
    const removed = new Set<number>();
    prefixes.forEach((p, i) => {
      if (i % 4 === 0) {
        index.set(p.text, -1);
        removed.add(p.value);
      }
    });
    const live = prefixes.filter((p) => !removed.has(p.value));
    expect(index.size).toBe(live.length);

    const mismatches: string[] = [];
    for (let n = 0; n < 3000; n++) {
      const probe = prefixes[n % prefixes.length]!;
      // An address inside a known prefix, or a random one near them.
      const bytes = probe.range[0].toByteArray().map((b, i) => (i >= probe.range[1] / 8 ? next() & 255 : b));
      const address = ipaddr.fromByteArray(bytes);
      const expected = live
        .filter((p) => p.range[0].kind() === address.kind() && address.match(p.range))
        .sort((a, b) => b.range[1] - a.range[1])
        .map((p) => p.value);
      const actual = collected(index, address.toString());
      if (actual.join() !== expected.join()) mismatches.push(`${address.toString()}: ${actual} vs ${expected}`);
    }
    expect(mismatches).toEqual([]);
  });
});
