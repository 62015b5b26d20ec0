import ipaddr from 'ipaddr.js';
import type { Member } from '@soc/members';

interface ForwarderRange {
  memberId: string;
  network: ipaddr.IPv4 | ipaddr.IPv6;
  prefix: number;
}

/** What a TLS client presented, as node's `getPeerCertificate()` reports it. */
export interface PresentedCertificate {
  commonName?: string;
  fingerprint256?: string;
}

/**
 * Who a syslog sender is: by its allow-listed forwarder address (`forwarder_addresses`), or by
 * its TLS client certificate (`forwarder_certificates`: subject CN or SHA-256 fingerprint).
 * Never by anything in the payload. A member's own `network_ranges` are deliberately not used:
 * they say where attacks come from, not where its log forwarders sit.
 */
export class ForwarderIdentities {
  private readonly ranges: ForwarderRange[] = [];
  private readonly certificates = new Map<string, string>();
  private readonly certificateRequired = new Set<string>();

  constructor(members: Member[]) {
    for (const member of members) {
      for (const range of member.forwarder_addresses ?? []) {
        const [network, prefix] = ipaddr.parseCIDR(range);
        this.ranges.push({ memberId: member.id, network: unmapped(network), prefix: unmappedPrefix(network, prefix) });
      }
      for (const certificate of member.forwarder_certificates ?? []) {
        const key = certificateKey(certificate);
        const owner = this.certificates.get(key);
        if (owner !== undefined && owner !== member.id) {
          throw new Error(`forwarder certificate ${certificate} is listed for both ${owner} and ${member.id}`);
        }
        this.certificates.set(key, member.id);
      }
      if (member.forwarder_certificate_required) this.certificateRequired.add(member.id);
    }
  }

  /** The member whose forwarder sends from this address (most specific range wins). */
  byAddress(address: string | undefined): string | undefined {
    if (address === undefined || !ipaddr.isValid(address)) return undefined;
    const parsed = unmapped(ipaddr.parse(address));
    let best: ForwarderRange | undefined;
    for (const range of this.ranges) {
      if (range.network.kind() !== parsed.kind()) continue;
      if (parsed.match(range.network, range.prefix) && (!best || range.prefix > best.prefix)) best = range;
    }
    return best?.memberId;
  }

  /** The member a verified client certificate belongs to: fingerprint first, then subject CN. */
  byCertificate(certificate: PresentedCertificate): string | undefined {
    if (certificate.fingerprint256) {
      const member = this.certificates.get(certificateKey(certificate.fingerprint256));
      if (member !== undefined) return member;
    }
    return certificate.commonName ? this.certificates.get(certificateKey(certificate.commonName)) : undefined;
  }

  /** Whether this member's syslog is accepted only with a client certificate. */
  requiresCertificate(memberId: string): boolean {
    return this.certificateRequired.has(memberId);
  }
}

/** Node reports IPv4 peers of a dual-stack socket as `::ffff:a.b.c.d`: compare them as IPv4. */
function unmapped(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}

function unmappedPrefix(address: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): number {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? Math.max(0, prefix - 96) : prefix;
}

/** Fingerprints compare without colons and case; a CN compares exactly as written. */
function certificateKey(value: string): string {
  return /^([0-9a-f]{2}:){31}[0-9a-f]{2}$/i.test(value) ? `sha256:${value.replace(/:/g, '').toLowerCase()}` : `cn:${value}`;
}
