import ipaddr from 'ipaddr.js';

/**
 * Address ranges that are not globally reachable (IANA IPv4 and IPv6 Special-Purpose Address
 * Registries, RFC 6890, plus multicast and broadcast). An address in one of them means something
 * different at every member (127.0.0.1 is each member's own reverse proxy, 10.0.0.5 a different
 * host in each network), so it is never a cross-member actor, an early-warning indicator, or a
 * feed entry for the shared set. Ranges IANA marks globally reachable (6to4, Teredo, NAT64's
 * 64:ff9b::/96, AMT, AS112) are left out on purpose: real attackers use them.
 */
export type SpecialPurposeKind =
  | 'unspecified'
  | 'this-network'
  | 'loopback'
  | 'private'
  | 'unique-local'
  | 'link-local'
  | 'site-local'
  | 'carrier-grade-nat'
  | 'protocol-assignments'
  | 'documentation'
  | 'benchmarking'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'discard-only'
  | 'local-translation'
  | 'segment-routing';

export interface SpecialPurposeRange {
  readonly kind: SpecialPurposeKind;
  readonly cidr: string;
  /** Where the range is defined. */
  readonly rfc: string;
}

export interface AddressScopePolicy {
  /**
   * Treat the documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32,
   * 3fff::/20) as public. They never route on the internet, so production keeps them reserved;
   * a test deployment that uses them as made-up attackers sets this.
   */
  readonly documentationIsPublic: boolean;
}

export const productionAddressScope: AddressScopePolicy = { documentationIsPublic: false };

const ranges: readonly SpecialPurposeRange[] = [
  { kind: 'this-network', cidr: '0.0.0.0/8', rfc: 'RFC 791' },
  { kind: 'private', cidr: '10.0.0.0/8', rfc: 'RFC 1918' },
  { kind: 'carrier-grade-nat', cidr: '100.64.0.0/10', rfc: 'RFC 6598' },
  { kind: 'loopback', cidr: '127.0.0.0/8', rfc: 'RFC 1122' },
  { kind: 'link-local', cidr: '169.254.0.0/16', rfc: 'RFC 3927' },
  { kind: 'private', cidr: '172.16.0.0/12', rfc: 'RFC 1918' },
  { kind: 'protocol-assignments', cidr: '192.0.0.0/24', rfc: 'RFC 6890' },
  { kind: 'documentation', cidr: '192.0.2.0/24', rfc: 'RFC 5737' },
  { kind: 'private', cidr: '192.168.0.0/16', rfc: 'RFC 1918' },
  { kind: 'benchmarking', cidr: '198.18.0.0/15', rfc: 'RFC 2544' },
  { kind: 'documentation', cidr: '198.51.100.0/24', rfc: 'RFC 5737' },
  { kind: 'documentation', cidr: '203.0.113.0/24', rfc: 'RFC 5737' },
  { kind: 'multicast', cidr: '224.0.0.0/4', rfc: 'RFC 5771' },
  { kind: 'broadcast', cidr: '255.255.255.255/32', rfc: 'RFC 919' },
  { kind: 'reserved', cidr: '240.0.0.0/4', rfc: 'RFC 1112' },
  { kind: 'unspecified', cidr: '::/128', rfc: 'RFC 4291' },
  { kind: 'loopback', cidr: '::1/128', rfc: 'RFC 4291' },
  { kind: 'local-translation', cidr: '64:ff9b:1::/48', rfc: 'RFC 8215' },
  { kind: 'discard-only', cidr: '100::/64', rfc: 'RFC 6666' },
  { kind: 'benchmarking', cidr: '2001:2::/48', rfc: 'RFC 5180' },
  { kind: 'documentation', cidr: '2001:db8::/32', rfc: 'RFC 3849' },
  { kind: 'documentation', cidr: '3fff::/20', rfc: 'RFC 9637' },
  { kind: 'segment-routing', cidr: '5f00::/16', rfc: 'RFC 9602' },
  { kind: 'unique-local', cidr: 'fc00::/7', rfc: 'RFC 4193' },
  { kind: 'link-local', cidr: 'fe80::/10', rfc: 'RFC 4291' },
  { kind: 'site-local', cidr: 'fec0::/10', rfc: 'RFC 3879' },
  { kind: 'multicast', cidr: 'ff00::/8', rfc: 'RFC 4291' },
];

type Parsed = ipaddr.IPv4 | ipaddr.IPv6;
const parsedRanges = ranges.map((range) => ({ range, cidr: ipaddr.parseCIDR(range.cidr) as [Parsed, number] }));

/** All the ranges, most specific first where they nest (broadcast before 240.0.0.0/4). */
export const specialPurposeRanges: readonly SpecialPurposeRange[] = ranges;

/** An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it carries. */
function parseAddress(text: string): Parsed | undefined {
  if (!ipaddr.isValid(text)) return undefined;
  const address = ipaddr.parse(text);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) return (address as ipaddr.IPv6).toIPv4Address();
  return address;
}

function applies(range: SpecialPurposeRange, policy: AddressScopePolicy): boolean {
  return !(range.kind === 'documentation' && policy.documentationIsPublic);
}

/**
 * The non-global range an address lies in, or undefined for a globally reachable address and for
 * text that is no address at all (a host name, `-`).
 */
export function specialPurposeRangeOf(address: string, policy: AddressScopePolicy = productionAddressScope): SpecialPurposeRange | undefined {
  const parsed = parseAddress(address.trim());
  if (parsed === undefined) return undefined;
  for (const { range, cidr } of parsedRanges) {
    if (cidr[0].kind() === parsed.kind() && applies(range, policy) && parsed.match(cidr)) return range;
  }
  return undefined;
}

/** True for an address that means the same host at every member: one that can be a shared actor. */
export function isGloballyRoutable(address: string, policy: AddressScopePolicy = productionAddressScope): boolean {
  return parseAddress(address.trim()) !== undefined && specialPurposeRangeOf(address, policy) === undefined;
}

/**
 * The non-global range a network prefix overlaps (lies in, or contains), or undefined. A CIDR that
 * overlaps one would match member-internal addresses (0.0.0.0/0 matches every member's proxy).
 */
export function specialPurposeRangeOverlapping(prefix: string, policy: AddressScopePolicy = productionAddressScope): SpecialPurposeRange | undefined {
  if (!prefix.includes('/')) return specialPurposeRangeOf(prefix, policy);
  if (!ipaddr.isValidCIDR(prefix)) return undefined;
  let [network, length] = ipaddr.parseCIDR(prefix) as [Parsed, number];
  if (network.kind() === 'ipv6' && (network as ipaddr.IPv6).isIPv4MappedAddress() && length >= 96) {
    network = (network as ipaddr.IPv6).toIPv4Address();
    length -= 96;
  }
  for (const { range, cidr } of parsedRanges) {
    if (cidr[0].kind() !== network.kind() || !applies(range, policy)) continue;
    // Two prefixes overlap when the shorter one contains the other's network address.
    if (length <= cidr[1] ? cidr[0].match(network, length) : network.match(cidr)) return range;
  }
  if (network.kind() === 'ipv6' && length < 96) {
    // An IPv6 prefix wider than ::ffff:0:0/96 that contains it also covers every IPv4 address.
    const mapped = ipaddr.parse('::ffff:0:0') as ipaddr.IPv6;
    if (mapped.match(network, length)) return { kind: 'private', cidr: '::ffff:0:0/96', rfc: 'RFC 4291 (every IPv4 address, private ones included)' };
  }
  return undefined;
}

/** `127.0.0.1 is a loopback address (127.0.0.0/8, RFC 1122)`. */
export function describeSpecialPurpose(value: string, range: SpecialPurposeRange): string {
  const what = value.includes('/') ? `${value} overlaps the` : `${value} is in the`;
  return `${what} ${range.kind} range ${range.cidr} (${range.rfc}), which is not globally reachable`;
}
