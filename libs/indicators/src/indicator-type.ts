/** The kinds of value an indicator can hold; `cidr` covers IPv4 and IPv6 prefixes. */
export const indicatorTypes = ['ipv4', 'ipv6', 'cidr', 'domain', 'url', 'md5', 'sha1', 'sha256', 'email'] as const;
export type IndicatorType = (typeof indicatorTypes)[number];

export type HashType = 'md5' | 'sha1' | 'sha256';

/** Hex digits per hash type: a hash's length alone tells its type. */
export const hashHexLength: Readonly<Record<HashType, number>> = { md5: 32, sha1: 40, sha256: 64 };
