import {
  normaliseCidr,
  normaliseDomain,
  normaliseEmail,
  normaliseHash,
  normaliseIndicatorValue,
  normaliseIp,
  normaliseUrl,
  type NormaliseResult,
} from './normalise';

const value = (result: NormaliseResult): string => {
  if (!result.ok) throw new Error(`expected success, got: ${result.reason}`);
  return result.value;
};
const reason = (result: NormaliseResult): string => {
  if (result.ok) throw new Error(`expected rejection, got: ${result.value}`);
  return result.reason;
};

describe('normaliseIp', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    [' 192.0.2.1 ', '192.0.2.1'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:c000:0201', '192.0.2.1'],
  ])('writes %s as %s', (input, expected) => {
    expect(value(normaliseIp(input))).toBe(expected);
  });

  it('types an IPv4-mapped IPv6 address as ipv4', () => {
    expect(normaliseIp('::ffff:10.0.0.1')).toEqual({ ok: true, type: 'ipv4', value: '10.0.0.1' });
  });

  it.each(['010.0.0.1', '0x7f.0.0.1', '127.1', '256.1.1.1', '1.2.3', 'evil.com', '2001:db8::g'])('refuses %s', (input) => {
    expect(reason(normaliseIp(input))).toBe(`invalid IP address '${input}'`);
  });

  it('refuses a CIDR prefix', () => {
    expect(reason(normaliseIp('10.0.0.0/8'))).toBe("'10.0.0.0/8' is a CIDR prefix, not an IP address");
  });
});

describe('normaliseCidr', () => {
  it.each([
    ['10.1.2.3/8', '10.0.0.0/8'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['192.0.2.77/32', '192.0.2.77/32'],
    ['2001:db8:abcd::1/32', '2001:db8::/32'],
    ['2001:DB8::1/128', '2001:db8::1/128'],
    ['::/0', '::/0'],
    ['::ffff:10.9.8.7/104', '10.0.0.0/8'],
    ['::ffff:192.0.2.1/128', '192.0.2.1/32'],
  ])('writes %s as %s', (input, expected) => {
    expect(value(normaliseCidr(input))).toBe(expected);
  });

  it('rejects a prefix without a length', () => {
    expect(reason(normaliseCidr('10.0.0.0'))).toBe("CIDR prefix '10.0.0.0' has no '/<length>'");
  });

  it('rejects a non-numeric length', () => {
    expect(reason(normaliseCidr('10.0.0.0/x'))).toBe("CIDR prefix '10.0.0.0/x' has an invalid length 'x'");
  });

  it('rejects an IPv4 length above 32', () => {
    expect(reason(normaliseCidr('10.0.0.0/33'))).toBe("IPv4 prefix length 33 in '10.0.0.0/33' exceeds 32");
  });

  it('rejects an IPv6 length above 128', () => {
    expect(reason(normaliseCidr('2001:db8::/129'))).toBe("IPv6 prefix length 129 in '2001:db8::/129' exceeds 128");
  });

  it('rejects an invalid network address', () => {
    expect(reason(normaliseCidr('10.0.0/8'))).toBe("invalid IP address '10.0.0' in CIDR prefix '10.0.0/8'");
  });
});

describe('normaliseDomain', () => {
  it.each([
    ['Evil.COM', 'evil.com'],
    ['evil.com.', 'evil.com'],
    ['_dmarc.kommune.dk', '_dmarc.kommune.dk'],
    ['XN--KBENHAVN-54A.DK', 'xn--kbenhavn-54a.dk'],
    ['KØBENHAVN.dk', 'københavn.dk'],
  ])('writes %s as %s', (input, expected) => {
    expect(value(normaliseDomain(input))).toBe(expected);
  });

  it('rejects an empty name', () => {
    expect(reason(normaliseDomain(' . '))).toBe('empty domain name');
  });

  it('rejects an empty label', () => {
    expect(reason(normaliseDomain('a..b'))).toBe("domain name 'a..b' has an empty label");
  });

  it('rejects a wildcard label', () => {
    expect(reason(normaliseDomain('*.evil.com'))).toBe("domain name '*.evil.com' has a wildcard label; subdomains match without one");
  });

  it('rejects a label over 63 characters', () => {
    const name = `${'a'.repeat(64)}.com`;
    expect(reason(normaliseDomain(name))).toBe(`domain name '${name}' has a label longer than 63 characters`);
  });

  it('rejects a name over 253 characters', () => {
    const name = `${'abcdefghi.'.repeat(26)}com`;
    expect(reason(normaliseDomain(name))).toBe(`domain name '${name}' is longer than 253 characters`);
  });

  it('rejects characters that are not in host names', () => {
    expect(reason(normaliseDomain('domain autuo.xicp.net'))).toBe("domain name 'domain autuo.xicp.net' contains a character not allowed in a host name");
  });

  it('rejects an IP address typed as a domain', () => {
    expect(reason(normaliseDomain('192.0.2.1'))).toBe("domain name '192.0.2.1' ends in a numeric label; an IP address needs type ipv4");
  });
});

describe('normaliseUrl', () => {
  it.each([
    ['HTTP://Evil.COM/Path?Q=1', 'http://evil.com/Path?Q=1'],
    ['http://evil.com:80/a', 'http://evil.com/a'],
    ['https://evil.com:443/a', 'https://evil.com/a'],
    ['https://evil.com:0443/a', 'https://evil.com/a'],
    ['http://evil.com:8080/a', 'http://evil.com:8080/a'],
    ['http://evil.com:/a', 'http://evil.com/a'],
    ['https://evil.com:80/a', 'https://evil.com:80/a'],
    ['http://evil.com/a#frag', 'http://evil.com/a'],
    ['http://evil.com/', 'http://evil.com'],
    ['http://evil.com', 'http://evil.com'],
    ['http://evil.com/#top', 'http://evil.com'],
    ['http://evil.com/?id=1', 'http://evil.com?id=1'],
    ['http://x4z9arb.cn/4712/', 'http://x4z9arb.cn/4712/'],
    ['http://evil.com./a', 'http://evil.com/a'],
    ['http://User:Pw@Evil.com/a', 'http://User:Pw@evil.com/a'],
    ['http://[2001:DB8::1]:8080/a', 'http://[2001:db8::1]:8080/a'],
    ['http://117.209.87.242:60905/bin.sh', 'http://117.209.87.242:60905/bin.sh'],
    ['http://evil.com/a%2Fb?x=%41', 'http://evil.com/a%2Fb?x=%41'],
  ])('writes %s as %s', (input, expected) => {
    expect(value(normaliseUrl(input))).toBe(expected);
  });

  it.each([
    ['evil.com/path', "it has no scheme such as 'http:'"],
    ['mailto:ceo@kommune.dk', "the scheme is not followed by '//'"],
    ['http://evil .com/', 'it contains whitespace'],
    ['http://evil.com/a b', 'it contains whitespace'],
    ['http:///path', 'it has no host'],
    ['http://[2001:db8::1/a', "its IPv6 host has no closing ']'"],
    ['http://evil.com:99999/', 'its port is not a number from 0 to 65535'],
    ['http://evil.com:8o/', 'its port is not a number from 0 to 65535'],
  ])('rejects %s because %s', (input, why) => {
    expect(reason(normaliseUrl(input))).toBe(`invalid URL '${input}': ${why}`);
  });
});

describe('normaliseHash', () => {
  it('lowercases', () => {
    expect(value(normaliseHash('md5', 'D41D8CD98F00B204E9800998ECF8427E'))).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });

  it('rejects non-hex digits', () => {
    expect(reason(normaliseHash('sha1', 'xyz'))).toBe("sha1 hash 'xyz' is not hexadecimal");
  });

  it('rejects the wrong length for the type', () => {
    expect(reason(normaliseHash('sha256', 'abcd'))).toBe("sha256 hash 'abcd' has 4 hex digits, expected 64");
  });
});

describe('normaliseEmail', () => {
  it('lowercases the whole address and normalises the domain', () => {
    expect(value(normaliseEmail('CEO@Kommune.DK.'))).toBe('ceo@kommune.dk');
  });

  it('rejects an address without a local part', () => {
    expect(reason(normaliseEmail('@kommune.dk'))).toBe("e-mail address '@kommune.dk' needs a local part and a domain around '@'");
  });

  it('rejects whitespace in the local part', () => {
    expect(reason(normaliseEmail('a b@kommune.dk'))).toBe("e-mail address 'a b@kommune.dk' has whitespace or '@' in its local part");
  });

  it('rejects an invalid domain', () => {
    expect(reason(normaliseEmail('ceo@kommune..dk'))).toBe("e-mail address 'ceo@kommune..dk': domain name 'kommune..dk' has an empty label");
  });
});

describe('normaliseIndicatorValue', () => {
  it('rejects an IPv6 address declared as ipv4', () => {
    expect(reason(normaliseIndicatorValue('ipv4', '2001:db8::1'))).toBe("'2001:db8::1' is an IPv6 address, not IPv4");
  });

  it('rejects an IPv4 address declared as ipv6', () => {
    expect(reason(normaliseIndicatorValue('ipv6', '192.0.2.1'))).toBe("'192.0.2.1' is an IPv4 address, not IPv6");
  });

  it('accepts an IPv4-mapped address declared as ipv6 and retypes it', () => {
    expect(normaliseIndicatorValue('ipv6', '::ffff:192.0.2.1')).toEqual({ ok: true, type: 'ipv4', value: '192.0.2.1' });
  });
});

describe('normaliseIndicatorValue: values as feeds write them', () => {
  it.each([
    ['url', 'hxxp://evil.example/gate.php', 'http://evil.example/gate.php'],
    ['url', 'hxxps://evil[.]example/gate[.]php', 'https://evil.example/gate.php'],
    ['url', 'hXXp[:]//evil(.)example', 'http://evil.example'],
    ['url', 'fxp://files[.]evil.example/a.bin', 'ftp://files.evil.example/a.bin'],
    ['domain', 'example[.]com', 'example.com'],
    ['domain', 'Login[dot]Example(.)COM', 'login.example.com'],
    ['ipv4', '1.2.3[.]4', '1.2.3.4'],
    ['ipv4', '192[.]0[.]2[.]1', '192.0.2.1'],
    ['cidr', '198.51.100[.]0/24', '198.51.100.0/24'],
    ['email', 'phish[@]evil[.]example', 'phish@evil.example'],
    ['email', 'phish[at]evil[dot]example', 'phish@evil.example'],
  ] as const)('refangs %s %s to %s', (type, input, expected) => {
    expect(value(normaliseIndicatorValue(type, input))).toBe(expected);
  });

  it.each([
    ['evil.example/gate.php', '//evil.example/gate.php'],
    ['Evil.Example/Gate.php?id=1#top', '//evil.example/Gate.php?id=1'],
    ['evil.example', '//evil.example'],
    ['evil.example/', '//evil.example'],
    ['192.0.2.1:8080/bins/x86', '//192.0.2.1:8080/bins/x86'],
    ['[2001:db8::1]:8443/a', '//[2001:db8::1]:8443/a'],
    ['evil[.]example/gate.php', '//evil.example/gate.php'],
    ['//evil.example/a', '//evil.example/a'],
  ])('stores the URL %s without a scheme as the scheme-relative %s', (input, expected) => {
    expect(normaliseIndicatorValue('url', input)).toEqual({ ok: true, type: 'url', value: expected });
  });

  it('still refuses a URL that has no host, or an opaque scheme', () => {
    expect(reason(normaliseIndicatorValue('url', '/gate.php'))).toBe("invalid URL '/gate.php': it is a path without a host");
    expect(reason(normaliseIndicatorValue('url', 'mailto:a@evil.example'))).toBe("invalid URL 'mailto:a@evil.example': the scheme is not followed by '//'");
    expect(reason(normaliseIndicatorValue('url', 'evil example/x'))).toBe("invalid URL '//evil example/x': it contains whitespace");
  });

  it.each([
    ['ipv4', '192.0.2.1:8080', 'ipv4', '192.0.2.1', 8080],
    ['ipv4', '192[.]0.2.1[:]443', 'ipv4', '192.0.2.1', 443],
    ['ipv6', '[2001:DB8::1]:443', 'ipv6', '2001:db8::1', 443],
    ['ipv6', '[::ffff:192.0.2.1]:80', 'ipv4', '192.0.2.1', 80],
    ['domain', 'c2.evil.example:8443', 'domain', 'c2.evil.example', 8443],
  ] as const)('reads the port of %s %s', (type, input, expectedType, expectedValue, port) => {
    expect(normaliseIndicatorValue(type, input)).toEqual({ ok: true, type: expectedType, value: expectedValue, port });
  });

  it('keeps a bracketed IPv6 address without a port, and never splits an unbracketed one', () => {
    expect(normaliseIndicatorValue('ipv6', '[2001:db8::1]')).toEqual({ ok: true, type: 'ipv6', value: '2001:db8::1' });
    expect(normaliseIndicatorValue('ipv6', '2001:db8::1:80')).toEqual({ ok: true, type: 'ipv6', value: '2001:db8::1:80' });
  });

  it('refuses a bad port and a family mismatch behind a port', () => {
    expect(reason(normaliseIndicatorValue('ipv4', '192.0.2.1:70000'))).toBe("the port 70000 in '192.0.2.1:70000' is above 65535");
    expect(reason(normaliseIndicatorValue('ipv4', '[2001:db8::1]:443'))).toBe("'2001:db8::1' is an IPv6 address, not IPv4");
    expect(reason(normaliseIndicatorValue('ipv6', '192.0.2.1:443'))).toBe("'192.0.2.1' is an IPv4 address, not IPv6");
  });

  it('names the value as written when a refanged value is still invalid', () => {
    expect(reason(normaliseIndicatorValue('domain', 'evil[.]exa mple'))).toBe(
      "domain name 'evil.exa mple' contains a character not allowed in a host name (refanged from 'evil[.]exa mple')",
    );
  });

  it('does not refang hashes', () => {
    expect(reason(normaliseIndicatorValue('md5', `[${'a'.repeat(32)}]`))).toContain('is not hexadecimal');
  });
});
