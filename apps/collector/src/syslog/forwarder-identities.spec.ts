import { memberSchema } from '@soc/members';
import { ForwarderIdentities } from './forwarder-identities';

const member = (id: string, extra: Record<string, unknown>) => memberSchema.parse({ id, kind: 'municipality', name: id, ...extra });

describe(ForwarderIdentities.name, () => {
  const identities = new ForwarderIdentities([
    member('0751', { forwarder_addresses: ['127.0.0.1/32', '10.75.0.0/16', '2001:db8:75::/48'], network_ranges: ['198.51.100.0/24'] }),
    member('0101', {
      forwarder_addresses: ['10.75.9.0/24', '::ffff:192.0.2.0/120'],
      forwarder_certificates: ['log01.koebenhavn.dk', 'AB:'.repeat(31) + 'CD'],
      forwarder_certificate_required: true,
    }),
  ]);

  it('maps an IPv4 sender inside a forwarder range to its member', () => {
    expect(identities.byAddress('127.0.0.1')).toBe('0751');
    expect(identities.byAddress('10.75.1.2')).toBe('0751');
  });

  it('prefers the most specific range', () => {
    expect(identities.byAddress('10.75.9.7')).toBe('0101');
  });

  it('maps an IPv6 sender', () => {
    expect(identities.byAddress('2001:db8:75::1')).toBe('0751');
    expect(identities.byAddress('2001:db8:76::1')).toBeUndefined();
  });

  it('maps an IPv4-mapped IPv6 address of a dual-stack socket as IPv4', () => {
    expect(identities.byAddress('::ffff:127.0.0.1')).toBe('0751');
  });

  it('accepts a range written as IPv4-mapped IPv6', () => {
    expect(identities.byAddress('192.0.2.10')).toBe('0101');
    expect(identities.byAddress('::ffff:192.0.2.10')).toBe('0101');
  });

  it('does not identify a sender by the member network ranges', () => {
    expect(identities.byAddress('198.51.100.7')).toBeUndefined();
  });

  it('does not identify an unknown, missing or invalid address', () => {
    expect(identities.byAddress('127.0.0.2')).toBeUndefined();
    expect(identities.byAddress(undefined)).toBeUndefined();
    expect(identities.byAddress('not-an-address')).toBeUndefined();
  });

  it('maps a client certificate by subject CN or by fingerprint, whatever its case', () => {
    expect(identities.byCertificate({ commonName: 'log01.koebenhavn.dk' })).toBe('0101');
    expect(identities.byCertificate({ commonName: 'other', fingerprint256: 'ab:'.repeat(31) + 'cd' })).toBe('0101');
    expect(identities.byCertificate({ commonName: 'log02.koebenhavn.dk' })).toBeUndefined();
  });

  it('knows which members must send with a certificate', () => {
    expect(identities.requiresCertificate('0101')).toBe(true);
    expect(identities.requiresCertificate('0751')).toBe(false);
  });

  it('rejects one certificate listed for two members', () => {
    expect(
      () => new ForwarderIdentities([member('a', { forwarder_certificates: ['x'] }), member('b', { forwarder_certificates: ['x'] })]),
    ).toThrow('forwarder certificate x is listed for both a and b');
  });
});
