import ipaddr from 'ipaddr.js';
import { memberSchema, type Member, type MembersFile } from './member.schema';
import { municipalities, regions } from './municipalities';

interface ParsedRange {
  memberId: string;
  network: ipaddr.IPv4 | ipaddr.IPv6;
  prefix: number;
}

/**
 * Who the members are. Municipalities are known by their kommunekode (`0751` is Aarhus) and
 * regions by their region code; the members file adds other bodies and each member's ranges.
 */
export class MemberDirectory {
  private readonly byId = new Map<string, Member>();
  private readonly ranges: ParsedRange[] = [];

  constructor(members: Member[]) {
    for (const member of members) {
      if (this.byId.has(member.id)) throw new Error(`member ${member.id} is defined twice`);
      this.byId.set(member.id, member);
      for (const range of member.network_ranges) {
        const [network, prefix] = ipaddr.parseCIDR(range);
        this.ranges.push({ memberId: member.id, network, prefix });
      }
    }
  }

  /** The 98 municipalities and 5 regions, with the members file's additions and settings. */
  static withDefaults(file: MembersFile = { members: [] }): MemberDirectory {
    const builtIn: Member[] = [
      ...municipalities.map((m) =>
        memberSchema.parse({ id: m.code, kind: 'municipality', name: `${m.name} Kommune`, code: m.code, region_code: m.region_code }),
      ),
      ...Object.entries(regions).map(([code, name]) => memberSchema.parse({ id: code, kind: 'region', name, code, region_code: code })),
    ];
    const merged = new Map(builtIn.map((m) => [m.id, m]));
    file.members.forEach((entry, index) => {
      const base = merged.get(entry.id);
      if (!base && (!entry.kind || !entry.name)) {
        throw new Error(`members[${index}] (${entry.id}): a new member needs kind and name`);
      }
      merged.set(entry.id, memberSchema.parse({ ...base, ...entry }));
    });
    return new MemberDirectory([...merged.values()]);
  }

  get(id: string): Member | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  all(): Member[] {
    return [...this.byId.values()];
  }

  /** The members with their own correlation lateness (`allowed_lateness_seconds`), in milliseconds. */
  allowedLateness(): Map<string, number> {
    const byMember = new Map<string, number>();
    for (const member of this.byId.values()) if (member.allowed_lateness_seconds !== undefined) byMember.set(member.id, member.allowed_lateness_seconds * 1000);
    return byMember;
  }

  /** The municipality with this kommunekode, in either the 3- or 4-digit form. */
  byMunicipalityCode(code: string | number): Member | undefined {
    const member = this.byId.get(String(code).padStart(4, '0'));
    return member?.kind === 'municipality' ? member : undefined;
  }

  /** The member whose own network contains this address (most specific range wins). */
  ownerOfAddress(address: string): string | undefined {
    if (!ipaddr.isValid(address)) return undefined;
    let parsed = ipaddr.parse(address);
    if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
      parsed = (parsed as ipaddr.IPv6).toIPv4Address();
    }
    let best: ParsedRange | undefined;
    for (const range of this.ranges) {
      if (range.network.kind() !== parsed.kind()) continue;
      if (parsed.match(range.network, range.prefix) && (!best || range.prefix > best.prefix)) best = range;
    }
    return best?.memberId;
  }
}
