import { isIP } from 'node:net';

/** ECS `source`/`destination` fields describing one peer as it appeared in a log line. */
export interface EndpointFields {
  /** The peer exactly as logged (ECS `*.address`). */
  address: string;
  ip?: string;
  domain?: string;
  port?: number;
}

const ipv4MappedPrefix = '::ffff:';

/**
 * Returns the canonical form of an IP address, or undefined when `text` is not one. Zone ids
 * (`fe80::1%eth0`) and leading-zero IPv4 octets (`192.030.0.6`, which some stacks read as octal)
 * are refused: indicator matching must never see an ambiguous address. IPv4-mapped IPv6
 * (`::ffff:1.2.3.4`) becomes the IPv4 address so that it matches IPv4 indicators.
 */
export function normaliseIp(text: string): string | undefined {
  let candidate = text;
  if (candidate.length > 2 && candidate.charCodeAt(0) === 0x5b /* [ */ && candidate.endsWith(']')) {
    candidate = candidate.slice(1, -1);
  }
  if (candidate.length === 0 || candidate.length > 45 || candidate.includes('%')) return undefined;
  const family = isIP(candidate);
  if (family === 4) return candidate;
  if (family !== 6) return undefined;
  const lower = candidate.toLowerCase();
  if (lower.startsWith(ipv4MappedPrefix)) {
    const embedded = lower.slice(ipv4MappedPrefix.length);
    if (isIP(embedded) === 4) return embedded;
  }
  return lower;
}

// Labels separated by dots; each label starts with an alphanumeric or underscore. Linear: every
// repetition of the group begins with a literal dot.
const hostnamePattern = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}(?:\.[A-Za-z0-9_-]{1,63})*\.?$/;
const letterPattern = /[A-Za-z]/;

/** True for DNS-like names (at least one letter, so that `192.030.0.6` is not taken for a name). */
export function isHostname(text: string): boolean {
  return text.length <= 253 && hostnamePattern.test(text) && letterPattern.test(text);
}

/** Describes a logged peer: always its raw `address`, plus `ip` or `domain` when it is one. */
export function describeEndpoint(text: string, port?: number): EndpointFields {
  const endpoint: EndpointFields = { address: text };
  const ip = normaliseIp(text);
  if (ip !== undefined) endpoint.ip = ip;
  else if (isHostname(text)) endpoint.domain = text;
  if (port !== undefined) endpoint.port = port;
  return endpoint;
}

/** A TCP/UDP port as logged: 1 to 5 decimal digits, at most 65535. */
export function parsePort(text: string | undefined): number | undefined {
  if (text === undefined || text.length === 0 || text.length > 5) return undefined;
  let value = 0;
  for (let index = 0; index < text.length; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return value <= 65535 ? value : undefined;
}
