import { DomainSuffixIndex } from './domain-suffix-index';
import type { IndicatorType } from './indicator-type';
import { IpPrefixIndex } from './ip-prefix-index';
import { lowercaseIfNeeded } from './lowercase';
import { normaliseIndicatorValue } from './normalise';
import { canonicalUrl } from './normalise-url';

export interface WarninglistEntry {
  readonly type: IndicatorType;
  readonly value: string;
}

const PRESENT = 0;

/**
 * A named set of known-benign values (in the spirit of MISP warninglists: public DNS resolvers,
 * CDN ranges, top sites). An observed value on a warninglist does not raise an indicator match,
 * which stops noisy feed entries from becoming detections.
 *
 * Entries are typed like indicators and match the same way: an address entry matches that
 * address, a `cidr` entry every address inside it, a `domain` entry the domain and all its
 * subdomains; URLs, hashes and e-mail addresses match exactly after normalisation. Each lookup
 * consults entries of its own kind only: a benign domain does not excuse a malicious URL on it
 * (malware is routinely hosted on benign domains).
 */
export class Warninglist {
  private readonly ips = new IpPrefixIndex();
  private readonly domains = new DomainSuffixIndex();
  private readonly urls = new Set<string>();
  private readonly hashes = new Set<string>();
  private readonly emails = new Set<string>();

  /** @throws Error naming the entry when one does not normalise for its type. */
  constructor(
    readonly name: string,
    entries: Iterable<WarninglistEntry> = [],
  ) {
    for (const entry of entries) this.add(entry);
  }

  get size(): number {
    return this.ips.size + this.domains.size + this.urls.size + this.hashes.size + this.emails.size;
  }

  /** @throws Error with the normalisation reason when the value is invalid for its type. */
  add(entry: WarninglistEntry): void {
    const normalised = normaliseIndicatorValue(entry.type, entry.value);
    if (!normalised.ok) throw new Error(`warninglist '${this.name}': ${normalised.reason}`);
    const { type, value } = normalised;
    switch (type) {
      case 'ipv4':
      case 'ipv6':
      case 'cidr':
        this.ips.set(value, PRESENT);
        return;
      case 'domain':
        this.domains.set(value, PRESENT);
        return;
      case 'url':
        this.urls.add(value);
        return;
      case 'md5':
      case 'sha1':
      case 'sha256':
        this.hashes.add(value);
        return;
      case 'email':
        this.emails.add(value);
        return;
    }
  }

  containsIp(ip: string): boolean {
    return this.ips.containsAddress(ip);
  }

  containsDomain(name: string): boolean {
    return this.domains.containsDomainOf(name);
  }

  /**
   * As IndicatorIndex.matchUrl: `url` must be absolute, and a scheme-relative entry
   * (`//host/path`) lists that URL under every scheme.
   */
  containsUrl(url: string): boolean {
    const canonical = canonicalUrl(url);
    if (typeof canonical !== 'string' || canonical.startsWith('//')) return false;
    return this.urls.has(canonical) || this.urls.has(canonical.slice(canonical.indexOf(':') + 1));
  }

  containsHash(hash: string): boolean {
    return this.hashes.has(lowercaseIfNeeded(hash));
  }

  containsEmail(address: string): boolean {
    return this.emails.has(lowercaseIfNeeded(address));
  }
}
