import ipaddr from 'ipaddr.js';
import { hashHexLength, type HashType, type IndicatorType } from './indicator-type';
import { parseIpv4 } from './ip-address-parser';
import { canonicalUrl } from './normalise-url';
import { PortRejection, splitHostPort } from './host-port';
import { refang } from './refang';

/**
 * A value in the canonical form the index stores and looks up, or why it has none. `port` is
 * the port an `ip:port` or `host:port` indicator was written with: matching is on the address
 * or name alone, and the port is kept on the indicator as context.
 */
export type NormaliseResult =
  { readonly ok: true; readonly type: IndicatorType; readonly value: string; readonly port?: number } | { readonly ok: false; readonly reason: string };

const rejected = (reason: string): NormaliseResult => ({ ok: false, reason });

/**
 * An IPv4 or IPv6 address in canonical form: dotted decimal, or RFC 5952 for IPv6. An
 * IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) becomes the IPv4 address, as logs write the same
 * peer both ways. Octal, hex and short IPv4 forms (`010.1.1.1`, `0x7f.1`) are refused: loggers
 * never write them and readers disagree on their meaning. An IPv6 zone id is dropped.
 */
export function normaliseIp(text: string): NormaliseResult {
  const candidate = text.trim();
  if (candidate.includes('/')) return rejected(`'${text}' is a CIDR prefix, not an IP address`);
  // Strict dotted decimal without leading zeros is already canonical; skipping ipaddr.js here
  // makes loading a large feed several times faster (most indicators are IPv4).
  if (parseIpv4(candidate, 0, candidate.length) >= 0) return { ok: true, type: 'ipv4', value: candidate };
  if (ipaddr.IPv4.isValidFourPartDecimal(candidate)) {
    return { ok: true, type: 'ipv4', value: ipaddr.IPv4.parse(candidate).toString() };
  }
  if (ipaddr.IPv6.isValid(candidate)) {
    const address = ipaddr.IPv6.parse(candidate);
    if (address.isIPv4MappedAddress()) {
      return { ok: true, type: 'ipv4', value: address.toIPv4Address().toString() };
    }
    address.zoneId = undefined;
    return { ok: true, type: 'ipv6', value: address.toRFC5952String() };
  }
  return rejected(`invalid IP address '${text}'`);
}

/**
 * A CIDR prefix as `<network address>/<length>`: host bits are cleared, so `10.1.2.3/8` is
 * stored as `10.0.0.0/8`. A prefix inside the IPv4-mapped range (`::ffff:10.0.0.0/104`) becomes
 * the IPv4 prefix (`10.0.0.0/8`).
 */
export function normaliseCidr(text: string): NormaliseResult {
  const candidate = text.trim();
  const slash = candidate.indexOf('/');
  if (slash < 0) return rejected(`CIDR prefix '${text}' has no '/<length>'`);
  const lengthText = candidate.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lengthText)) return rejected(`CIDR prefix '${text}' has an invalid length '${lengthText}'`);
  const length = Number(lengthText);
  const addressText = candidate.slice(0, slash);

  if (ipaddr.IPv4.isValidFourPartDecimal(addressText)) {
    if (length > 32) return rejected(`IPv4 prefix length ${length} in '${text}' exceeds 32`);
    return ipv4Prefix(ipaddr.IPv4.parse(addressText), length);
  }
  if (ipaddr.IPv6.isValid(addressText)) {
    if (length > 128) return rejected(`IPv6 prefix length ${length} in '${text}' exceeds 128`);
    const address = ipaddr.IPv6.parse(addressText);
    if (address.isIPv4MappedAddress() && length >= 96) return ipv4Prefix(address.toIPv4Address(), length - 96);
    address.zoneId = undefined;
    const network = ipaddr.IPv6.networkAddressFromCIDR(`${address.toNormalizedString()}/${length}`);
    return { ok: true, type: 'cidr', value: `${network.toRFC5952String()}/${length}` };
  }
  return rejected(`invalid IP address '${addressText}' in CIDR prefix '${text}'`);
}

function ipv4Prefix(address: ipaddr.IPv4, length: number): NormaliseResult {
  const network = ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${length}`);
  return { ok: true, type: 'cidr', value: `${network.toString()}/${length}` };
}

// Letters and digits of any script (IDN labels are kept as written, lowercased), hyphen, and
// underscore, which real DNS names (`_dmarc`, `_sip._tcp`) and malware domains do use.
const domainLabelPattern = /^[\p{L}\p{N}\p{M}_-]+$/u;
const numericLabelPattern = /^\d+$/;

/**
 * A domain name lowercased without its trailing dot. Internationalised names stay in the script
 * they were given in (no punycode conversion). An indicator domain also matches its subdomains,
 * so a wildcard label (`*.evil.com`) is refused rather than silently widened.
 */
export function normaliseDomain(text: string): NormaliseResult {
  let name = text.trim().toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name.length === 0) return rejected('empty domain name');
  if (name.length > 253) return rejected(`domain name '${text}' is longer than 253 characters`);
  const labels = name.split('.');
  for (const label of labels) {
    if (label.length === 0) return rejected(`domain name '${text}' has an empty label`);
    if (label === '*') return rejected(`domain name '${text}' has a wildcard label; subdomains match without one`);
    if (label.length > 63) return rejected(`domain name '${text}' has a label longer than 63 characters`);
    if (!domainLabelPattern.test(label)) {
      return rejected(`domain name '${text}' contains a character not allowed in a host name`);
    }
  }
  // No top-level domain is all digits (RFC 3696), so this is an IP address typed as a domain.
  if (numericLabelPattern.test(labels[labels.length - 1]!)) {
    return rejected(`domain name '${text}' ends in a numeric label; an IP address needs type ipv4`);
  }
  return { ok: true, type: 'domain', value: name };
}

/** A URL in the canonical form described in normalise-url.ts. */
export function normaliseUrl(text: string): NormaliseResult {
  const canonical = canonicalUrl(text.trim());
  if (typeof canonical !== 'string') return rejected(`invalid URL '${text}': ${canonical.reason}`);
  return { ok: true, type: 'url', value: canonical };
}

/** A hash as lowercase hex, checked against the length its type requires. */
export function normaliseHash(type: HashType, text: string): NormaliseResult {
  const hex = text.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex)) return rejected(`${type} hash '${text}' is not hexadecimal`);
  const expected = hashHexLength[type];
  if (hex.length !== expected) {
    return rejected(`${type} hash '${text}' has ${hex.length} hex digits, expected ${expected}`);
  }
  return { ok: true, type, value: hex };
}

/**
 * An e-mail address lowercased whole. RFC 5321 lets the local part be case-sensitive, but no
 * mail system in practice treats it so, and matching must not miss `Ceo@` against `ceo@`.
 */
export function normaliseEmail(text: string): NormaliseResult {
  const address = text.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) {
    return rejected(`e-mail address '${text}' needs a local part and a domain around '@'`);
  }
  const local = address.slice(0, at);
  if (/[\s@]/.test(local)) return rejected(`e-mail address '${text}' has whitespace or '@' in its local part`);
  const domain = normaliseDomain(address.slice(at + 1));
  if (!domain.ok) return rejected(`e-mail address '${text}': ${domain.reason}`);
  return { ok: true, type: 'email', value: `${local}@${domain.value}` };
}

/**
 * The canonical value for a declared type, from an indicator as feeds write it. Before the
 * type's own normalisation (above):
 * - every type but hashes is refanged (refang.ts): `hxxp://evil[.]example` is `http://evil.example`;
 * - `ipv4`, `ipv6` and `domain` values may carry a port (`1.2.3.4:8080`, `[2001:db8::1]:443`,
 *   `evil.example:8443`): the value becomes the address or name, the port comes back as `port`;
 * - a `url` without a scheme (`evil.example/gate.php`, as MISP commonly stores URLs) becomes the
 *   scheme-relative `//evil.example/gate.php`, which matches that host and path under any scheme.
 * The returned type differs from the declared one only for an IPv4-mapped IPv6 address, which
 * becomes `ipv4`.
 */
export function normaliseIndicatorValue(type: IndicatorType, value: string): NormaliseResult {
  if (type === 'md5' || type === 'sha1' || type === 'sha256') return normaliseHash(type, value);
  const trimmed = value.trim();
  const text = refang(trimmed);
  const result = normaliseRefanged(type, text);
  if (!result.ok && text !== trimmed) return rejected(`${result.reason} (refanged from '${value}')`);
  return result;
}

function normaliseRefanged(type: Exclude<IndicatorType, HashType>, text: string): NormaliseResult {
  switch (type) {
    case 'ipv4':
    case 'ipv6': {
      const split = splitHostPort(text);
      if (split instanceof PortRejection) return rejected(split.reason);
      const result = normaliseIp(split.host);
      if (!result.ok) return result;
      if (type === 'ipv4' && result.type !== 'ipv4') {
        return rejected(`'${split.host}' is an IPv6 address, not IPv4`);
      }
      if (type === 'ipv6' && result.type !== 'ipv6' && !split.host.includes(':')) {
        return rejected(`'${split.host}' is an IPv4 address, not IPv6`);
      }
      return split.port === undefined ? result : { ...result, port: split.port };
    }
    case 'domain': {
      const split = splitHostPort(text);
      if (split instanceof PortRejection) return rejected(split.reason);
      const result = normaliseDomain(split.host);
      return !result.ok || split.port === undefined ? result : { ...result, port: split.port };
    }
    case 'cidr':
      return normaliseCidr(text);
    case 'url':
      if (text.startsWith('/') && !text.startsWith('//')) {
        return rejected(`invalid URL '${text}': it is a path without a host`);
      }
      return normaliseUrl(schemeRelativeIfBare(text));
    case 'email':
      return normaliseEmail(text);
  }
}

const absoluteUrlPattern = /^[a-z][a-z0-9+.-]*:\/\//i;
// `mailto:`, `javascript:`: a scheme that is not followed by a port number.
const opaqueSchemePattern = /^[a-z][a-z0-9+.-]*:(?!\d)/i;

/** `evil.example/x` → `//evil.example/x`; absolute, scheme-relative and opaque URLs unchanged. */
function schemeRelativeIfBare(text: string): string {
  if (absoluteUrlPattern.test(text) || text.startsWith('//') || text.startsWith('/')) return text;
  if (opaqueSchemePattern.test(text)) return text;
  return `//${text}`;
}

/**
 * The indicator type of an address as a feed writes it, for feeds that do not say the family:
 * `cidr` with a `/`, `ipv6` when bracketed or with two colons or more, else `ipv4` (one colon is
 * `v4:port`). Defanged text is read refanged.
 */
export function ipIndicatorType(text: string): 'ipv4' | 'ipv6' | 'cidr' {
  const address = refang(text.trim());
  if (address.includes('/')) return 'cidr';
  const colons = address.split(':').length - 1;
  return address.startsWith('[') || colons >= 2 ? 'ipv6' : 'ipv4';
}
