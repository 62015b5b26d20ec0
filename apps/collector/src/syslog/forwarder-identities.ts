import ipaddr from 'ipaddr.js';
import type { Member } from '@soc/members';
import type { LogLineFormat } from '@soc/parsing';

/** A known syslog sender: its member and what the members file says it sends. */
export interface SyslogSender {
  memberId: string;
  /** How its lines are read (`forwarders[].format`; `auto` for a plain forwarder address or certificate). */
  format: LogLineFormat;
  /** Dataset of its lines from programs the parsers do not know. */
  dataset?: string;
  /** Zone of its offset-less timestamps: its own, else its member's; unset means the collector's. */
  timeZone?: string;
}

interface ForwarderRange {
  sender: SyslogSender;
  network: ipaddr.IPv4 | ipaddr.IPv6;
  prefix: number;
  /** Declared under `forwarders` (with settings) rather than in `forwarder_addresses`. */
  declared: boolean;
}

/** What a TLS client presented, as node's `getPeerCertificate()` reports it. */
export interface PresentedCertificate {
  commonName?: string;
  fingerprint256?: string;
}

/**
 * Who a syslog sender is: by its allow-listed forwarder address (`forwarder_addresses`, or
 * `forwarders[].address`), or by its TLS client certificate (`forwarder_certificates`, or
 * `forwarders[].certificate`: subject CN or SHA-256 fingerprint). Never by anything in the
 * payload. A member's own `network_ranges` are deliberately not used: they say where attacks
 * come from, not where its log forwarders sit.
 */
export class ForwarderIdentities {
  private readonly ranges: ForwarderRange[] = [];
  private readonly certificates = new Map<string, { sender: SyslogSender; declared: boolean }>();
  private readonly certificateRequired = new Set<string>();

  constructor(members: Member[]) {
    for (const member of members) {
      const plain: SyslogSender = { memberId: member.id, format: 'auto', timeZone: member.time_zone };
      for (const range of member.forwarder_addresses ?? []) this.addRange(range, plain, false);
      for (const certificate of member.forwarder_certificates ?? []) this.addCertificate(certificate, plain, false);
      for (const forwarder of member.forwarders ?? []) {
        const sender: SyslogSender = {
          memberId: member.id,
          format: forwarder.format,
          dataset: forwarder.dataset,
          timeZone: forwarder.time_zone ?? member.time_zone,
        };
        if (forwarder.address !== undefined) this.addRange(forwarder.address, sender, true);
        if (forwarder.certificate !== undefined) this.addCertificate(forwarder.certificate, sender, true);
      }
      if (member.forwarder_certificate_required) this.certificateRequired.add(member.id);
    }
  }

  /** The sender at this address (most specific range wins). */
  byAddress(address: string | undefined): SyslogSender | undefined {
    if (address === undefined || !ipaddr.isValid(address)) return undefined;
    const parsed = unmapped(ipaddr.parse(address));
    let best: ForwarderRange | undefined;
    for (const range of this.ranges) {
      if (range.network.kind() !== parsed.kind()) continue;
      if (parsed.match(range.network, range.prefix) && (!best || range.prefix > best.prefix)) best = range;
    }
    return best?.sender;
  }

  /** The sender a verified client certificate belongs to: fingerprint first, then subject CN. */
  byCertificate(certificate: PresentedCertificate): SyslogSender | undefined {
    if (certificate.fingerprint256) {
      const found = this.certificates.get(certificateKey(certificate.fingerprint256));
      if (found !== undefined) return found.sender;
    }
    return certificate.commonName ? this.certificates.get(certificateKey(certificate.commonName))?.sender : undefined;
  }

  /** Whether this member's syslog is accepted only with a client certificate. */
  requiresCertificate(memberId: string): boolean {
    return this.certificateRequired.has(memberId);
  }

  /**
   * One range is one sender: listed for two members it would make either's events the other's,
   * so that stops start-up. A member may repeat a plain forwarder address under `forwarders` to
   * give it settings; the declared entry is the sender then.
   */
  private addRange(cidr: string, sender: SyslogSender, declared: boolean): void {
    const [parsedNetwork, parsedPrefix] = ipaddr.parseCIDR(cidr);
    const network = unmapped(parsedNetwork);
    const prefix = unmappedPrefix(parsedNetwork, parsedPrefix);
    const same = this.ranges.find((range) => range.prefix === prefix && range.network.kind() === network.kind() && range.network.match(network, prefix));
    if (same === undefined) {
      this.ranges.push({ sender, network, prefix, declared });
      return;
    }
    if (same.sender.memberId !== sender.memberId) {
      throw new Error(`forwarder address ${cidr} is listed for both ${same.sender.memberId} and ${sender.memberId}`);
    }
    if (same.declared && declared) throw new Error(`forwarder address ${cidr} of ${sender.memberId} is listed twice under forwarders`);
    if (declared) Object.assign(same, { sender, declared });
  }

  private addCertificate(certificate: string, sender: SyslogSender, declared: boolean): void {
    const key = certificateKey(certificate);
    const owner = this.certificates.get(key);
    if (owner === undefined) {
      this.certificates.set(key, { sender, declared });
      return;
    }
    if (owner.sender.memberId !== sender.memberId) {
      throw new Error(`forwarder certificate ${certificate} is listed for both ${owner.sender.memberId} and ${sender.memberId}`);
    }
    if (owner.declared && declared) throw new Error(`forwarder certificate ${certificate} of ${sender.memberId} is listed twice under forwarders`);
    if (declared) this.certificates.set(key, { sender, declared });
  }
}

/** Node reports IPv4 peers of a dual-stack socket as `::ffff:a.b.c.d`: compare them as IPv4. */
function unmapped(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
}

function unmappedPrefix(address: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): number {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? Math.max(0, prefix - 96) : prefix;
}

/** Fingerprints compare without colons and case; a CN compares exactly as written. */
function certificateKey(value: string): string {
  return /^([0-9a-f]{2}:){31}[0-9a-f]{2}$/i.test(value) ? `sha256:${value.replace(/:/g, '').toLowerCase()}` : `cn:${value}`;
}
