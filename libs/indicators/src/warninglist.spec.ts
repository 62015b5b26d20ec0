import { Warninglist } from './warninglist';

describe(Warninglist.name, () => {
  const list = new Warninglist('benign', [
    { type: 'ipv4', value: '8.8.8.8' },
    { type: 'cidr', value: '2606:4700::/32' },
    { type: 'domain', value: 'windowsupdate.com' },
    { type: 'url', value: 'HTTPS://Example.com:443/' },
    { type: 'md5', value: 'D41D8CD98F00B204E9800998ECF8427E' },
    { type: 'email', value: 'noreply@kommune.dk' },
  ]);

  it('holds each entry once', () => {
    expect(list.size).toBe(6);
  });

  it('contains listed addresses, addresses in listed ranges, and nothing else', () => {
    expect(list.containsIp('8.8.8.8')).toBe(true);
    expect(list.containsIp('::ffff:8.8.8.8')).toBe(true);
    expect(list.containsIp('8.8.4.4')).toBe(false);
    expect(list.containsIp('2606:4700:10::6816:1')).toBe(true);
    expect(list.containsIp('2606:4701::1')).toBe(false);
  });

  it('contains a listed domain and its subdomains, not lookalikes', () => {
    expect(list.containsDomain('download.windowsupdate.com')).toBe(true);
    expect(list.containsDomain('windowsupdate.com.evil.net')).toBe(false);
    expect(list.containsDomain('evilwindowsupdate.com')).toBe(false);
  });

  it('compares URLs, hashes and e-mail addresses after normalisation', () => {
    expect(list.containsUrl('https://example.com')).toBe(true);
    expect(list.containsUrl('https://example.com/x')).toBe(false);
    expect(list.containsHash('d41d8cd98f00b204e9800998ecf8427e')).toBe(true);
    expect(list.containsEmail('NoReply@Kommune.dk')).toBe(true);
  });

  it('lists a URL entry written without a scheme under every scheme, as indicators match', () => {
    const cdn = new Warninglist('cdn', [{ type: 'url', value: 'cdn.example/lib.js' }]);
    expect(cdn.containsUrl('https://cdn.example/lib.js')).toBe(true);
    expect(cdn.containsUrl('http://CDN.example/lib.js')).toBe(true);
    expect(cdn.containsUrl('https://cdn.example/other.js')).toBe(false);
    expect(cdn.containsUrl('//cdn.example/lib.js')).toBe(false);
  });

  it('rejects an entry that does not normalise, naming the list', () => {
    expect(() => new Warninglist('broken', [{ type: 'cidr', value: '10.0.0.0/40' }])).toThrow(
      "warninglist 'broken': IPv4 prefix length 40 in '10.0.0.0/40' exceeds 32",
    );
  });
});
