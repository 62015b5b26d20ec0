import { MemberDirectory } from '@soc/members';
import { MemberNetworks } from './member-networks';

describe(MemberNetworks.name, () => {
  const file = {
    members: [
      { id: '0751', network_ranges: ['10.75.0.0/16'] },
      { id: 'kombit', kind: 'other', name: 'KOMBIT', network_ranges: ['10.75.9.0/24', '2001:db8:75::/48'] },
    ],
  };
  const directory = MemberDirectory.withDefaults(file as never);
  const networks = new MemberNetworks(directory.all());

  it('answers as the member directory does, most specific range first', () => {
    for (const ip of ['10.75.1.2', '10.75.9.2', '::ffff:10.75.1.2', '2001:db8:75::1', '192.0.2.1', 'not-an-ip', '-']) {
      expect(networks.ownerOfAddress(ip)).toBe(directory.ownerOfAddress(ip));
    }
    expect(networks.ownerOfAddress('10.75.9.2')).toBe('kombit');
  });
});
