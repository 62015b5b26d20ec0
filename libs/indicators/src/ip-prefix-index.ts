import { parseIpAddress, parseIpPrefix } from './ip-address-parser';
import { Ipv4PrefixTable } from './ipv4-prefix-table';
import { Ipv6PrefixTable } from './ipv6-prefix-table';

/** Room for one value per possible IPv6 prefix length. */
export const MAX_PREFIX_MATCHES = 129;

/**
 * IPv4 and IPv6 prefixes (exact addresses included) mapped to int32 values, looked up by
 * address text. Keys are canonical prefix strings as normaliseIp / normaliseCidr produce them.
 */
export class IpPrefixIndex {
  private readonly ipv4 = new Ipv4PrefixTable();
  private readonly ipv6 = new Ipv6PrefixTable();
  private readonly words = new Uint32Array(4);

  get size(): number {
    return this.ipv4.size + this.ipv6.size;
  }

  /** The value stored for exactly this prefix or address, or -1. */
  get(prefix: string): number {
    const length = this.parseKey(prefix);
    return length >= 256 ? this.ipv6.get(this.words, length - 256) : this.ipv4.get(this.words[0]!, length);
  }

  /** Stores `value` for the prefix or address; -1 removes it. */
  set(prefix: string, value: number): void {
    const length = this.parseKey(prefix);
    if (length >= 256) this.ipv6.set(this.words, length - 256, value);
    else this.ipv4.set(this.words[0]!, length, value);
  }

  /**
   * Writes the values of all prefixes containing the address `ip` into `out` (room for
   * MAX_PREFIX_MATCHES), most specific first; returns how many. 0 for text that is no address.
   */
  collect(ip: string, out: Int32Array): number {
    const family = parseIpAddress(ip, this.words);
    if (family === 4) return this.ipv4.collect(this.words[0]!, out);
    if (family === 6) return this.ipv6.collect(this.words, out);
    return 0;
  }

  /** True when some stored prefix contains the address `ip`. */
  containsAddress(ip: string): boolean {
    const family = parseIpAddress(ip, this.words);
    if (family === 4) return this.ipv4.containsAny(this.words[0]!);
    if (family === 6) return this.ipv6.containsAny(this.words);
    return false;
  }

  // Parses into this.words; returns the prefix length, plus 256 for IPv6.
  private parseKey(prefix: string): number {
    const parsed = parseIpPrefix(prefix, this.words);
    if (parsed === 0) throw new TypeError(`not an IP address or CIDR prefix: '${prefix}'`);
    return (parsed >> 8 === 6 ? 256 : 0) + (parsed & 0xff);
  }
}
