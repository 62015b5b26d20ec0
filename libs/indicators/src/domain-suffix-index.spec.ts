import { DomainSuffixIndex } from './domain-suffix-index';
import { MAX_PREFIX_MATCHES } from './ip-prefix-index';

function collected(index: DomainSuffixIndex, name: string): number[] {
  const out = new Int32Array(MAX_PREFIX_MATCHES);
  return [...out.slice(0, index.collect(name, out))];
}

describe(DomainSuffixIndex.name, () => {
  const index = new DomainSuffixIndex();
  index.set('evil.com', 1);
  index.set('b.evil.com', 2);
  index.set('kommune.dk', 3);

  it('finds the domain itself', () => {
    expect(collected(index, 'evil.com')).toEqual([1]);
  });

  it('finds every stored parent of a subdomain, deepest first', () => {
    expect(collected(index, 'a.b.evil.com')).toEqual([2, 1]);
  });

  it('does not match a lookalike that merely ends with the same characters', () => {
    expect(collected(index, 'notevil.com')).toEqual([]);
    expect(collected(index, 'a.notevil.com')).toEqual([]);
    expect(collected(index, 'evil.com.attacker.net')).toEqual([]);
  });

  it('does not match a parent of a stored domain', () => {
    expect(collected(index, 'com')).toEqual([]);
  });

  it('ignores case and a trailing dot in the observed name', () => {
    expect(collected(index, 'WWW.Evil.COM.')).toEqual([1]);
  });

  it('forgets a removed domain and keeps the others', () => {
    const own = new DomainSuffixIndex();
    own.set('evil.com', 1);
    own.set('b.evil.com', 2);
    own.set('b.evil.com', -1);
    expect(collected(own, 'a.b.evil.com')).toEqual([1]);
    expect(own.size).toBe(1);
    expect(own.containsDomainOf('x.evil.com')).toBe(true);
    expect(own.containsDomainOf('evil.org')).toBe(false);
  });

  it('still finds every domain after growing through many resizes', () => {
    const big = new DomainSuffixIndex();
    for (let i = 0; i < 20_000; i++) big.set(`host${i}.example${i % 97}.dk`, i);
    const missing: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      if (collected(big, `www.host${i}.example${i % 97}.dk`).join() !== String(i)) missing.push(i);
    }
    expect(missing).toEqual([]);
    expect(collected(big, 'www.host1.example2.dk')).toEqual([]);
  });
});
