import { IndicatorIndex } from '@soc/indicators';
import type { MemberOwnership } from './member-origin-detector';

/** What the member directory holds per member, as far as ownership goes. */
export interface MemberRanges {
  id: string;
  network_ranges: readonly string[];
}

const always = new Date(0);

/**
 * Who owns an address, answered with a few hash probes: the members' ranges in the indicator
 * index's prefix tables (most specific range first). `MemberDirectory.ownerOfAddress` parses the
 * address and scans every range, which cost several microseconds per failed login from a new
 * address, about a third of the engine's time.
 */
export class MemberNetworks implements MemberOwnership {
  private readonly index = new IndicatorIndex();

  constructor(members: Iterable<MemberRanges>) {
    for (const member of members) {
      member.network_ranges.forEach((range, i) => {
        this.index.add({
          id: `${member.id}\u0000${i}`,
          type: 'cidr',
          value: range,
          source: 'members',
          confidence: 100,
          tlp: 'red',
          valid_from: always,
          revoked: false,
          labels: [],
        });
      });
    }
  }

  ownerOfAddress(ip: string): string | undefined {
    const [best] = this.index.matchIp(ip, 0).indicators;
    return best === undefined ? undefined : best.id.slice(0, best.id.indexOf('\u0000'));
  }
}

/** A directory that can list its members gets the fast lookup; anything else is used as it is. */
export function fastOwnership(members: MemberOwnership | (MemberOwnership & { all(): Iterable<MemberRanges> })): MemberOwnership {
  return 'all' in members && typeof members.all === 'function' ? new MemberNetworks(members.all()) : members;
}
