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
    expect(identities.byAddress('127.0.0.1')?.memberId).toBe('0751');
    expect(identities.byAddress('10.75.1.2')?.memberId).toBe('0751');
  });

  it('prefers the most specific range', () => {
    expect(identities.byAddress('10.75.9.7')?.memberId).toBe('0101');
  });

  it('maps an IPv6 sender', () => {
    expect(identities.byAddress('2001:db8:75::1')?.memberId).toBe('0751');
    expect(identities.byAddress('2001:db8:76::1')?.memberId).toBeUndefined();
  });

  it('maps an IPv4-mapped IPv6 address of a dual-stack socket as IPv4', () => {
    expect(identities.byAddress('::ffff:127.0.0.1')?.memberId).toBe('0751');
  });

  it('accepts a range written as IPv4-mapped IPv6', () => {
    expect(identities.byAddress('192.0.2.10')?.memberId).toBe('0101');
    expect(identities.byAddress('::ffff:192.0.2.10')?.memberId).toBe('0101');
  });

  it('does not identify a sender by the member network ranges', () => {
    expect(identities.byAddress('198.51.100.7')?.memberId).toBeUndefined();
  });

  it('does not identify an unknown, missing or invalid address', () => {
    expect(identities.byAddress('127.0.0.2')?.memberId).toBeUndefined();
    expect(identities.byAddress(undefined)?.memberId).toBeUndefined();
    expect(identities.byAddress('not-an-address')?.memberId).toBeUndefined();
  });

  it('maps a client certificate by subject CN or by fingerprint, whatever its case', () => {
    expect(identities.byCertificate({ commonName: 'log01.koebenhavn.dk' })?.memberId).toBe('0101');
    expect(identities.byCertificate({ commonName: 'other', fingerprint256: 'ab:'.repeat(31) + 'cd' })?.memberId).toBe('0101');
    expect(identities.byCertificate({ commonName: 'log02.koebenhavn.dk' })?.memberId).toBeUndefined();
  });

  it('knows which members must send with a certificate', () => {
    expect(identities.requiresCertificate('0101')).toBe(true);
    expect(identities.requiresCertificate('0751')).toBe(false);
  });

  it('rejects one certificate listed for two members', () => {
    expect(() => new ForwarderIdentities([member('a', { forwarder_certificates: ['x'] }), member('b', { forwarder_certificates: ['x'] })])).toThrow(
      'forwarder certificate x is listed for both a and b',
    );
  });

  describe('senders declared under forwarders', () => {
    const declared = new ForwarderIdentities([
      member('0751', {
        time_zone: 'America/New_York',
        forwarder_addresses: ['10.75.0.0/16', '10.75.7.0/24'],
        forwarders: [
          { address: '10.75.7.0/24', format: 'apache-access', dataset: 'apache.access' },
          { address: '10.75.8.0/24', format: 'sshd', time_zone: 'UTC' },
          { certificate: 'web01.aarhus.dk', format: 'nginx-access' },
        ],
      }),
      member('0101', { forwarder_addresses: ['10.1.0.0/16'] }),
    ]);

    it("answers the sender with its format, dataset and zone, the member's zone where it names none", () => {
      expect(declared.byAddress('10.75.7.9')).toEqual({ memberId: '0751', format: 'apache-access', dataset: 'apache.access', timeZone: 'America/New_York' });
      expect(declared.byAddress('10.75.8.9')).toEqual({ memberId: '0751', format: 'sshd', dataset: undefined, timeZone: 'UTC' });
      expect(declared.byCertificate({ commonName: 'web01.aarhus.dk' })).toEqual({
        memberId: '0751',
        format: 'nginx-access',
        dataset: undefined,
        timeZone: 'America/New_York',
      });
    });

    it("reads a plain forwarder address in auto, in its member's zone or the collector's", () => {
      expect(declared.byAddress('10.75.1.1')).toEqual({ memberId: '0751', format: 'auto', timeZone: 'America/New_York' });
      expect(declared.byAddress('10.1.1.1')).toEqual({ memberId: '0101', format: 'auto', timeZone: undefined });
    });

    it('rejects one range listed for two members, or twice under forwarders', () => {
      expect(
        () => new ForwarderIdentities([member('a', { forwarder_addresses: ['10.0.0.0/8'] }), member('b', { forwarders: [{ address: '10.0.0.0/8' }] })]),
      ).toThrow('forwarder address 10.0.0.0/8 is listed for both a and b');
      expect(() => new ForwarderIdentities([member('a', { forwarders: [{ address: '10.0.0.0/8' }, { address: '10.0.0.0/8', format: 'sshd' }] })])).toThrow(
        'forwarder address 10.0.0.0/8 of a is listed twice under forwarders',
      );
      expect(() => new ForwarderIdentities([member('a', { forwarder_certificates: ['x'] }), member('b', { forwarders: [{ certificate: 'x' }] })])).toThrow(
        'forwarder certificate x is listed for both a and b',
      );
    });
  });
});
