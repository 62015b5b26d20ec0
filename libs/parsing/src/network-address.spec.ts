import { describeEndpoint, isHostname, normaliseIp, parsePort } from './network-address';

describe(normaliseIp.name, () => {
  it('accepts IPv4 and IPv6, lower-cases IPv6 and unwraps IPv4-mapped addresses', () => {
    expect(normaliseIp('1.2.3.4')).toBe('1.2.3.4');
    expect(normaliseIp('2001:DB8::1')).toBe('2001:db8::1');
    expect(normaliseIp('::ffff:172.18.39.5')).toBe('172.18.39.5');
    expect(normaliseIp('[::1]')).toBe('::1');
  });

  it('refuses leading-zero octets, zone ids and names', () => {
    expect(normaliseIp('192.030.0.6')).toBeUndefined();
    expect(normaliseIp('fe80::1%eth0')).toBeUndefined();
    expect(normaliseIp('example.com')).toBeUndefined();
    expect(normaliseIp('')).toBeUndefined();
  });
});

describe(describeEndpoint.name, () => {
  it('keeps the raw address and adds ip or domain', () => {
    expect(describeEndpoint('::ffff:1.2.3.4', 22)).toEqual({ address: '::ffff:1.2.3.4', ip: '1.2.3.4', port: 22 });
    expect(describeEndpoint('host.example.com')).toEqual({ address: 'host.example.com', domain: 'host.example.com' });
    expect(describeEndpoint('192.030.0.6')).toEqual({ address: '192.030.0.6' });
    expect(isHostname('<invalid username>')).toBe(false);
  });
});

describe(parsePort.name, () => {
  it('reads 0..65535 and nothing else', () => {
    expect(parsePort('22')).toBe(22);
    expect(parsePort('65535')).toBe(65535);
    expect([parsePort('65536'), parsePort('-1'), parsePort('22a'), parsePort(''), parsePort(undefined), parsePort('000022')]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
