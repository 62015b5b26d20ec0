import { IndicatorIndex, NO_MATCH, type IndicatorMatch } from './indicator-index';
import { indicatorSchema, type Indicator, type IndicatorInput } from './indicator.schema';
import { Warninglist } from './warninglist';

const JAN_1 = Date.parse('2025-01-01T00:00:00Z');
const LATER = Date.parse('2025-06-01T00:00:00Z');

type Fields = Partial<IndicatorInput> & Pick<IndicatorInput, 'type' | 'value'>;

function indicator(fields: Fields): Indicator {
  return indicatorSchema.parse({
    id: `${fields.type}:${fields.value}`,
    source: 'test-feed',
    confidence: 80,
    tlp: 'amber',
    valid_from: '2025-01-01T00:00:00Z',
    ...fields,
  });
}

function indexOf(...fields: Fields[]): IndicatorIndex {
  const index = new IndicatorIndex();
  for (const f of fields) index.add(indicator(f));
  return index;
}

const ids = (match: IndicatorMatch): string[] => match.indicators.map((i) => i.id);

describe(IndicatorIndex.name, () => {
  describe('IP lookups', () => {
    const index = indexOf(
      { type: 'ipv4', value: '192.0.2.1' },
      { type: 'cidr', value: '198.51.100.0/24' },
      { type: 'cidr', value: '198.51.100.7/32', id: 'host-route' },
      { type: 'cidr', value: '::ffff:203.0.113.0/120', id: 'mapped-range' },
      { type: 'ipv6', value: '2001:db8::1' },
      { type: 'cidr', value: '2001:db8:aa::/48' },
      { type: 'cidr', value: '2001:db8:bb::5/128', id: 'v6-host-route' },
    );

    it('matches an exact IPv4 address and nothing next to it', () => {
      expect(ids(index.matchIp('192.0.2.1', LATER))).toEqual(['ipv4:192.0.2.1']);
      expect(index.matchIp('192.0.2.2', LATER)).toBe(NO_MATCH);
    });

    it('matches a CIDR from its first to its last address, most specific first', () => {
      expect(ids(index.matchIp('198.51.100.0', LATER))).toEqual(['cidr:198.51.100.0/24']);
      expect(ids(index.matchIp('198.51.100.7', LATER))).toEqual(['host-route', 'cidr:198.51.100.0/24']);
      expect(ids(index.matchIp('198.51.100.255', LATER))).toEqual(['cidr:198.51.100.0/24']);
      expect(index.matchIp('198.51.101.0', LATER)).toBe(NO_MATCH);
      expect(index.matchIp('198.51.99.255', LATER)).toBe(NO_MATCH);
    });

    it('matches an IPv4 range given inside the IPv4-mapped IPv6 space, by either spelling', () => {
      expect(index.get('mapped-range')?.value).toBe('203.0.113.0/24');
      expect(ids(index.matchIp('203.0.113.9', LATER))).toEqual(['mapped-range']);
      expect(ids(index.matchIp('::ffff:203.0.113.9', LATER))).toEqual(['mapped-range']);
      expect(ids(index.matchIp('::ffff:cb00:7109', LATER))).toEqual(['mapped-range']);
    });

    it('matches an IPv4 indicator when the event writes the address as IPv4-mapped IPv6', () => {
      expect(ids(index.matchIp('::ffff:192.0.2.1', LATER))).toEqual(['ipv4:192.0.2.1']);
    });

    it('matches IPv6 exact, /48 and /128, whatever the spelling', () => {
      expect(ids(index.matchIp('2001:0db8:0000::0001', LATER))).toEqual(['ipv6:2001:db8::1']);
      expect(ids(index.matchIp('2001:db8:aa:ffff::1', LATER))).toEqual(['cidr:2001:db8:aa::/48']);
      expect(ids(index.matchIp('2001:db8:bb::5', LATER))).toEqual(['v6-host-route']);
      expect(index.matchIp('2001:db8:bb::6', LATER)).toBe(NO_MATCH);
      expect(index.matchIp('2001:db8:ab::1', LATER)).toBe(NO_MATCH);
    });

    it('returns no match for text that is not an IP address', () => {
      expect(index.matchIp('not-an-ip', LATER)).toBe(NO_MATCH);
      expect(index.matchIp('', LATER)).toBe(NO_MATCH);
    });

    it('lets /0 match every address of its own family only', () => {
      const everything = indexOf({ type: 'cidr', value: '0.0.0.0/0' }, { type: 'cidr', value: '::/0' });
      expect(ids(everything.matchIp('0.0.0.0', LATER))).toEqual(['cidr:0.0.0.0/0']);
      expect(ids(everything.matchIp('255.255.255.255', LATER))).toEqual(['cidr:0.0.0.0/0']);
      expect(ids(everything.matchIp('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', LATER))).toEqual(['cidr:::/0']);
      // A mapped address is IPv4 for matching: the IPv6 /0 does not claim it.
      expect(ids(everything.matchIp('::ffff:10.0.0.1', LATER))).toEqual(['cidr:0.0.0.0/0']);
    });
  });

  describe('domain lookups', () => {
    const index = indexOf({ type: 'domain', value: 'Evil.com', id: 'domain:evil.com' }, { type: 'domain', value: 'login.kommune-sikker.dk' });

    it('matches the domain and any subdomain of it', () => {
      expect(ids(index.matchDomain('evil.com', LATER))).toEqual(['domain:evil.com']);
      expect(ids(index.matchDomain('a.b.evil.com', LATER))).toEqual(['domain:evil.com']);
      expect(ids(index.matchDomain('A.B.EVIL.COM.', LATER))).toEqual(['domain:evil.com']);
    });

    it('does not match lookalikes or parents', () => {
      expect(index.matchDomain('notevil.com', LATER)).toBe(NO_MATCH);
      expect(index.matchDomain('evil.com.dk', LATER)).toBe(NO_MATCH);
      expect(index.matchDomain('kommune-sikker.dk', LATER)).toBe(NO_MATCH);
      expect(index.matchDomain('com', LATER)).toBe(NO_MATCH);
    });
  });

  describe('URL, hash and e-mail lookups', () => {
    const index = indexOf(
      { type: 'url', value: 'http://x4z9arb.cn/4712/' },
      { type: 'url', value: 'https://evil.com/' },
      { type: 'sha256', value: 'EF537F25C895BFA782526529A9B63D97AA631564D5D789C2B765448C8635FB6C' },
      { type: 'md5', value: '001dd76872d80801692ff942308c64e6' },
      { type: 'email', value: 'Phisher@Evil.com' },
    );

    it('matches a URL however the event spells scheme, host, default port and fragment', () => {
      expect(ids(index.matchUrl('HTTP://X4Z9ARB.CN:80/4712/#top', LATER))).toEqual(['url:http://x4z9arb.cn/4712/']);
      expect(ids(index.matchUrl('https://evil.com', LATER))).toHaveLength(1);
      expect(ids(index.matchUrl('https://EVIL.com:443/', LATER))).toHaveLength(1);
    });

    it('matches URLs exactly otherwise: path case, other paths and hosts differ', () => {
      expect(index.matchUrl('http://x4z9arb.cn/4712', LATER)).toBe(NO_MATCH);
      expect(index.matchUrl('http://x4z9arb.cn/4712/?a=1', LATER)).toBe(NO_MATCH);
      expect(index.matchUrl('https://www.evil.com/', LATER)).toBe(NO_MATCH);
      expect(index.matchUrl('not a url', LATER)).toBe(NO_MATCH);
    });

    it('matches a URL indicator written without a scheme under any scheme, and an exact one beside it', () => {
      const urls = indexOf(
        { type: 'url', value: 'evil.example/gate.php', id: 'bare' },
        { type: 'url', value: 'https://evil.example/gate.php', id: 'https-only' },
      );
      expect(urls.get('bare')?.value).toBe('//evil.example/gate.php');
      expect(ids(urls.matchUrl('http://EVIL.example/gate.php', LATER))).toEqual(['bare']);
      expect(ids(urls.matchUrl('https://evil.example:443/gate.php#x', LATER)).sort()).toEqual(['bare', 'https-only']);
      expect(ids(urls.matchUrl('ftp://evil.example/gate.php', LATER))).toEqual(['bare']);
      expect(urls.matchUrl('http://evil.example/other.php', LATER)).toBe(NO_MATCH);
      expect(urls.matchUrl('http://www.evil.example/gate.php', LATER)).toBe(NO_MATCH);
      // A request path in an access log (`url.original`) is no URL with a host.
      expect(urls.matchUrl('//evil.example/gate.php', LATER)).toBe(NO_MATCH);
      urls.remove('bare');
      expect(urls.matchUrl('http://evil.example/gate.php', LATER)).toBe(NO_MATCH);
      expect(ids(urls.matchUrl('https://evil.example/gate.php', LATER))).toEqual(['https-only']);
    });

    it('matches an ip:port indicator on the address and hands back its port', () => {
      const c2 = indexOf({ type: 'ipv4', value: '192.0.2.44:8443', id: 'c2' });
      const match = c2.matchIp('192.0.2.44', LATER);
      expect(match.indicators.map((i) => [i.id, i.value, i.port])).toEqual([['c2', '192.0.2.44', 8443]]);
    });

    it('matches hashes in any case', () => {
      expect(index.matchHash('ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c', LATER).indicators[0]?.type).toBe('sha256');
      expect(ids(index.matchHash('001DD76872D80801692FF942308C64E6', LATER))).toHaveLength(1);
      expect(index.matchHash('001dd76872d80801692ff942308c64e7', LATER)).toBe(NO_MATCH);
    });

    it('matches e-mail addresses in any case', () => {
      expect(ids(index.matchEmail('PHISHER@evil.COM', LATER))).toEqual(['email:Phisher@Evil.com']);
      expect(index.matchEmail('other@evil.com', LATER)).toBe(NO_MATCH);
    });

    it('dispatches match(kind) to the typed lookups', () => {
      expect(ids(index.match('email', 'phisher@evil.com', LATER))).toHaveLength(1);
      expect(ids(index.match('hash', '001dd76872d80801692ff942308c64e6', LATER))).toHaveLength(1);
      expect(index.match('ip', '192.0.2.1', LATER)).toBe(NO_MATCH);
    });
  });

  it('returns the stored indicator with all its fields', () => {
    const stored = indicator({
      type: 'domain',
      value: 'evil.com',
      id: 'indicator--1',
      tlp: 'white',
      labels: ['c2', 'Pikabot'],
      valid_until: '2026-01-01T00:00:00Z',
      description: 'C2 of a campaign',
      reference: 'https://example.org/report',
    });
    const index = new IndicatorIndex();
    index.add(stored);
    const [found] = index.matchDomain('x.evil.com', LATER).indicators;
    expect(found).toEqual(stored);
    expect(found?.tlp).toBe('clear');
    expect(Object.isFrozen(found)).toBe(true);
  });

  describe('validity and revocation', () => {
    const index = indexOf(
      { type: 'ipv4', value: '192.0.2.10', valid_from: '2025-01-01T00:00:00Z', valid_until: '2025-02-01T00:00:00Z' },
      { type: 'ipv4', value: '192.0.2.11' },
    );

    it('matches from valid_from inclusive to valid_until exclusive, by event time', () => {
      expect(index.matchIp('192.0.2.10', JAN_1 - 1)).toBe(NO_MATCH);
      expect(ids(index.matchIp('192.0.2.10', JAN_1))).toHaveLength(1);
      expect(ids(index.matchIp('192.0.2.10', new Date('2025-01-31T23:59:59.999Z')))).toHaveLength(1);
      expect(index.matchIp('192.0.2.10', new Date('2025-02-01T00:00:00Z'))).toBe(NO_MATCH);
    });

    it('never matches a revoked indicator, but still holds it', () => {
      const own = indexOf({ type: 'ipv4', value: '192.0.2.11' });
      expect(own.revoke('ipv4:192.0.2.11')).toBe(true);
      expect(own.matchIp('192.0.2.11', LATER)).toBe(NO_MATCH);
      expect(own.get('ipv4:192.0.2.11')?.revoked).toBe(true);
      expect(own.size).toBe(1);
    });

    it('does not match an indicator imported as revoked', () => {
      const own = indexOf({ type: 'ipv4', value: '192.0.2.12', revoked: true });
      expect(own.matchIp('192.0.2.12', LATER)).toBe(NO_MATCH);
    });

    it('reports revoking an unknown id', () => {
      expect(index.revoke('nope')).toBe(false);
    });

    it('drops expired indicators on request', () => {
      const own = indexOf({ type: 'ipv4', value: '192.0.2.10', valid_until: '2025-02-01T00:00:00Z' }, { type: 'ipv4', value: '192.0.2.11' });
      expect(own.removeExpired(Date.parse('2025-02-01T00:00:00Z'))).toBe(1);
      expect(own.has('ipv4:192.0.2.10')).toBe(false);
      expect(own.size).toBe(1);
    });
  });

  describe('changes', () => {
    it('returns every source that reports the same value, and removes one from the middle', () => {
      const index = indexOf(
        { type: 'domain', value: 'evil.com', id: 'a', source: 'misp' },
        { type: 'domain', value: 'evil.com', id: 'b', source: 'stix' },
        { type: 'domain', value: 'evil.com', id: 'c', source: 'csv' },
      );
      expect(ids(index.matchDomain('evil.com', LATER)).sort()).toEqual(['a', 'b', 'c']);
      expect(index.remove('b')).toBe(true);
      expect(ids(index.matchDomain('evil.com', LATER)).sort()).toEqual(['a', 'c']);
      expect(index.remove('a')).toBe(true);
      expect(index.remove('c')).toBe(true);
      expect(index.matchDomain('evil.com', LATER)).toBe(NO_MATCH);
      expect(index.remove('c')).toBe(false);
      expect(index.size).toBe(0);
    });

    it('refuses to add an id twice', () => {
      const index = indexOf({ type: 'ipv4', value: '192.0.2.1', id: 'dup' });
      expect(() => index.add(indicator({ type: 'ipv4', value: '192.0.2.2', id: 'dup' }))).toThrow("indicator 'dup' is already in the index");
    });

    it('refuses an indicator whose value does not normalise', () => {
      const bad = { ...indicator({ type: 'ipv4', value: '192.0.2.1' }), value: '192.0.2.300' };
      expect(() => new IndicatorIndex().add(bad)).toThrow("indicator 'ipv4:192.0.2.1': invalid IP address '192.0.2.300'");
    });

    it('normalises a hand-built indicator instead of storing a value lookups cannot reach', () => {
      const index = new IndicatorIndex();
      index.add({ ...indicator({ type: 'domain', value: 'evil.com' }), value: 'EVIL.COM.' });
      expect(ids(index.matchDomain('evil.com', LATER))).toHaveLength(1);
    });

    it('upserts: replaces the value so the old one stops matching', () => {
      const index = indexOf({ type: 'ipv4', value: '192.0.2.1', id: 'x' });
      expect(index.upsert(indicator({ type: 'domain', value: 'evil.com', id: 'x' }))).toBe('replaced');
      expect(index.matchIp('192.0.2.1', LATER)).toBe(NO_MATCH);
      expect(ids(index.matchDomain('evil.com', LATER))).toEqual(['x']);
      expect(index.upsert(indicator({ type: 'ipv4', value: '192.0.2.9', id: 'y' }))).toBe('added');
      expect(index.size).toBe(2);
    });

    it('keeps the old indicator when an upsert is invalid', () => {
      const index = indexOf({ type: 'ipv4', value: '192.0.2.1', id: 'x' });
      const bad = { ...indicator({ type: 'ipv4', value: '192.0.2.2', id: 'x' }), value: 'bogus' };
      expect(() => index.upsert(bad)).toThrow();
      expect(ids(index.matchIp('192.0.2.1', LATER))).toEqual(['x']);
    });

    it('serves a fresh copy after revocation rather than a cached live one', () => {
      const index = indexOf({ type: 'ipv4', value: '192.0.2.1', id: 'x' });
      expect(index.get('x')?.revoked).toBe(false);
      index.revoke('x');
      expect(index.get('x')?.revoked).toBe(true);
    });

    it('replaces a source wholesale: upserts what is sent, removes what the feed dropped', () => {
      const index = indexOf(
        { type: 'ipv4', value: '192.0.2.1', id: 'f1', source: 'feodo' },
        { type: 'ipv4', value: '192.0.2.2', id: 'f2', source: 'feodo' },
        { type: 'ipv4', value: '192.0.2.3', id: 'other', source: 'misp' },
      );
      const result = index.replaceSource('feodo', [
        indicator({ type: 'ipv4', value: '192.0.2.2', id: 'f2', source: 'feodo', confidence: 99 }),
        indicator({ type: 'ipv4', value: '192.0.2.4', id: 'f4', source: 'feodo' }),
      ]);
      expect(result).toEqual({ added: 1, replaced: 1, removed: 1 });
      expect(index.has('f1')).toBe(false);
      expect(index.get('f2')?.confidence).toBe(99);
      expect(index.has('other')).toBe(true);
    });

    it('refuses a source replacement carrying another source', () => {
      const index = new IndicatorIndex();
      expect(() => index.replaceSource('feodo', [indicator({ type: 'ipv4', value: '192.0.2.1', source: 'misp' })])).toThrow(
        "indicator 'ipv4:192.0.2.1' has source 'misp', not 'feodo'",
      );
    });

    it('leaves the source untouched when one of its new indicators is invalid', () => {
      const index = indexOf({ type: 'ipv4', value: '192.0.2.1', id: 'f1', source: 'feodo' });
      const bad = { ...indicator({ type: 'ipv4', value: '192.0.2.2', id: 'f2', source: 'feodo' }), value: '192.0.2' };
      expect(() => index.replaceSource('feodo', [bad])).toThrow("indicator 'f2': invalid IP address '192.0.2'");
      expect(index.has('f1')).toBe(true);
    });

    it('stays correct through heavy churn that reuses slots', () => {
      const index = new IndicatorIndex();
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 2000; i++) index.upsert(indicator({ type: 'ipv4', value: `10.${round}.${i >> 8}.${i & 255}`, id: `n${i}` }));
      }
      expect(index.size).toBe(2000);
      expect(ids(index.matchIp('10.2.7.207', LATER))).toEqual(['n1999']);
      expect(index.matchIp('10.1.7.207', LATER)).toBe(NO_MATCH);
    });
  });

  describe('warninglists', () => {
    const resolvers = new Warninglist('public-dns-resolvers', [
      { type: 'ipv4', value: '8.8.8.8' },
      { type: 'cidr', value: '1.1.1.0/24' },
    ]);
    const topSites = new Warninglist('top-sites', [{ type: 'domain', value: 'microsoft.com' }]);
    const index = new IndicatorIndex({ warninglists: [resolvers, topSites] });
    index.add(indicator({ type: 'cidr', value: '8.0.0.0/8', id: 'wide-range' }));
    index.add(indicator({ type: 'cidr', value: '1.0.0.0/8', id: 'other-range' }));
    index.add(indicator({ type: 'domain', value: 'microsoft.com', id: 'noisy-feed-entry' }));
    index.add(indicator({ type: 'url', value: 'https://microsoft.com/evil.exe', id: 'hosted-payload' }));

    it('suppresses a match on a listed address and names the list and the held-back indicators', () => {
      const match = index.matchIp('8.8.8.8', LATER);
      expect(match.indicators).toEqual([]);
      expect(match.suppressed?.warninglist).toBe('public-dns-resolvers');
      expect(match.suppressed?.indicators.map((i) => i.id)).toEqual(['wide-range']);
    });

    it('suppresses addresses inside a listed CIDR, and only those', () => {
      expect(index.matchIp('1.1.1.1', LATER).suppressed?.warninglist).toBe('public-dns-resolvers');
      const outside = index.matchIp('1.1.2.1', LATER);
      expect(ids(outside)).toEqual(['other-range']);
      expect(outside.suppressed).toBeUndefined();
    });

    it('lets an unlisted address in the same indicator range through', () => {
      expect(ids(index.matchIp('8.8.4.4', LATER))).toEqual(['wide-range']);
    });

    it('suppresses subdomains of a listed domain', () => {
      expect(index.matchDomain('login.microsoft.com', LATER).suppressed?.warninglist).toBe('top-sites');
    });

    it('does not let a benign domain excuse a URL on it', () => {
      expect(ids(index.matchUrl('https://microsoft.com/evil.exe', LATER))).toEqual(['hosted-payload']);
    });

    it('reports a plain miss, not a suppression, when no live indicator matched', () => {
      expect(index.matchDomain('microsoft.com', JAN_1 - 1)).toBe(NO_MATCH);
    });

    it('matches again once the warninglist is removed', () => {
      const own = new IndicatorIndex({ warninglists: [resolvers] });
      own.add(indicator({ type: 'ipv4', value: '8.8.8.8' }));
      expect(own.matchIp('8.8.8.8', LATER).indicators).toEqual([]);
      expect(own.removeWarninglist('public-dns-resolvers')).toBe(true);
      expect(ids(own.matchIp('8.8.8.8', LATER))).toEqual(['ipv4:8.8.8.8']);
      expect(own.warninglistNames).toEqual([]);
    });

    it('refuses two warninglists with one name', () => {
      expect(() => index.addWarninglist(new Warninglist('top-sites'))).toThrow("warninglist 'top-sites' is already attached");
    });
  });
});
