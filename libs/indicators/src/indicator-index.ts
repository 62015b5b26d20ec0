import { DomainSuffixIndex } from './domain-suffix-index';
import { ExactValueIndex } from './exact-value-index';
import type { Indicator } from './indicator.schema';
import { IndicatorTable } from './indicator-table';
import { IpPrefixIndex, MAX_PREFIX_MATCHES } from './ip-prefix-index';
import { lowercaseIfNeeded } from './lowercase';
import { normaliseIndicatorValue } from './normalise';
import { canonicalUrl } from './normalise-url';
import type { Warninglist } from './warninglist';

/** What an observed value is looked up as. */
export type LookupKind = 'ip' | 'domain' | 'url' | 'hash' | 'email';

/**
 * The outcome of one lookup. `indicators` holds the live indicators that matched, most specific
 * first (longest CIDR prefix, deepest domain), and is empty when nothing matched or when the
 * observed value is on a warninglist. In the latter case `suppressed` names the list and carries
 * the indicators it held back, so analysts can see why a known indicator did not fire.
 *
 * Callers that only test `indicators.length` are therefore safe by default.
 */
export interface IndicatorMatch {
  readonly indicators: readonly Indicator[];
  readonly suppressed?: { readonly warninglist: string; readonly indicators: readonly Indicator[] };
}

const NONE: readonly Indicator[] = Object.freeze([]);

/** The shared result for "no live indicator matched"; lookups that miss return this instance. */
export const NO_MATCH: IndicatorMatch = Object.freeze({ indicators: NONE });

export type UpsertOutcome = 'added' | 'replaced';

export interface SourceReplacement {
  readonly added: number;
  readonly replaced: number;
  readonly removed: number;
}

export interface IndicatorIndexOptions {
  readonly warninglists?: Iterable<Warninglist>;
}

/** Shared shape of the value indexes: value → head slot of a chain, -1 for none. */
interface ChainHeads {
  get(key: string): number;
  set(key: string, head: number): void;
}

// Rebuilt Indicator objects are cached for slots that match (a campaign hits the same few
// indicators over and over); the cache is dropped whole if it grows past this.
const MATERIALISED_CACHE_LIMIT = 65_536;

/**
 * Indicators of compromise indexed for per-event lookup, by event time.
 *
 * Exact IPs and CIDR prefixes of any length (IPv4 and IPv6) sit in per-family prefix hash
 * tables, domains in a suffix-hash table (subdomain match), URLs, hashes and e-mail addresses in
 * maps. Every indexed value heads a chain of slots (several sources may report the same value),
 * and indicator metadata is stored column-wise by slot. A lookup costs a few hash probes and
 * allocates nothing unless a live indicator matches.
 *
 * An indicator is live at time `at` (epoch ms or Date; pass the event's `@timestamp`, not the
 * arrival time) when it is not revoked and valid_from <= at < valid_until.
 */
export class IndicatorIndex {
  private readonly table = new IndicatorTable();
  private readonly slotById = new Map<string, number>();
  private readonly ips = new IpPrefixIndex();
  private readonly domains = new DomainSuffixIndex();
  private readonly urls = new ExactValueIndex();
  /** URL indicators stored scheme-relative (`//host/path`); none → matchUrl skips that probe. */
  private schemeRelativeUrls = 0;
  private readonly hashes = new ExactValueIndex();
  private readonly emails = new ExactValueIndex();
  private readonly warninglistsByName = new Map<string, Warninglist>();
  private readonly materialised = new Map<number, Indicator>();
  private readonly heads = new Int32Array(MAX_PREFIX_MATCHES);

  constructor(options: IndicatorIndexOptions = {}) {
    for (const list of options.warninglists ?? []) this.addWarninglist(list);
  }

  /** Number of indicators held, live or not. */
  get size(): number {
    return this.table.size;
  }

  has(id: string): boolean {
    return this.slotById.has(id);
  }

  get(id: string): Indicator | undefined {
    const slot = this.slotById.get(id);
    return slot === undefined ? undefined : this.indicatorAt(slot);
  }

  /**
   * Adds a new indicator. Its value is normalised again here, so an index never holds a value
   * that lookups could not reach.
   * @throws Error if the id is already present or the value is invalid for its type.
   */
  add(indicator: Indicator): void {
    if (this.slotById.has(indicator.id)) throw new Error(`indicator '${indicator.id}' is already in the index`);
    this.insert(this.canonical(indicator));
  }

  /** Adds the indicator or replaces the one with the same id (value and type may change). */
  upsert(indicator: Indicator): UpsertOutcome {
    const existing = this.slotById.get(indicator.id);
    // Validate before removing, so a bad update leaves the old indicator in place.
    const canonical = this.canonical(indicator);
    if (existing === undefined) {
      this.insert(canonical);
      return 'added';
    }
    this.removeSlot(existing);
    this.insert(canonical);
    return 'replaced';
  }

  /** Removes the indicator; false if the id is unknown. */
  remove(id: string): boolean {
    const slot = this.slotById.get(id);
    if (slot === undefined) return false;
    this.removeSlot(slot);
    return true;
  }

  /**
   * Marks the indicator revoked: it stays (so a later re-import of the same revoked id is a
   * no-op) but never matches again. False if the id is unknown.
   */
  revoke(id: string): boolean {
    const slot = this.slotById.get(id);
    if (slot === undefined) return false;
    this.table.revoke(slot);
    this.materialised.delete(slot);
    return true;
  }

  /**
   * Makes `indicators` the complete set from `source`: upserts each and removes the source's
   * indicators whose id is no longer present (a feed dropped them). Scans the index once, so it
   * is for feed refreshes, not per-event use.
   * @throws Error if an indicator carries a different source or an invalid value, before
   *   changing anything.
   */
  replaceSource(source: string, indicators: Iterable<Indicator>): SourceReplacement {
    const incoming = [...indicators].map((indicator) => {
      if (indicator.source !== source) {
        throw new Error(`indicator '${indicator.id}' has source '${indicator.source}', not '${source}'`);
      }
      return this.canonical(indicator);
    });
    const keep = new Set(incoming.map((indicator) => indicator.id));
    const stale: number[] = [];
    for (const slot of this.table.slots()) {
      if (this.table.source(slot) === source && !keep.has(this.table.ids[slot]!)) stale.push(slot);
    }
    for (const slot of stale) this.removeSlot(slot);
    let added = 0;
    let replaced = 0;
    for (const indicator of incoming) {
      if (this.upsert(indicator) === 'added') added++;
      else replaced++;
    }
    return { added, replaced, removed: stale.length };
  }

  /** Drops indicators whose valid_until is at or before `at`, returning how many; frees memory. */
  removeExpired(at: Date | number): number {
    const time = toMillis(at);
    const expired: number[] = [];
    for (const slot of this.table.slots()) if (this.table.hasExpired(slot, time)) expired.push(slot);
    for (const slot of expired) this.removeSlot(slot);
    return expired.length;
  }

  /** @throws Error if a warninglist with the same name is already attached. */
  addWarninglist(list: Warninglist): void {
    if (this.warninglistsByName.has(list.name)) throw new Error(`warninglist '${list.name}' is already attached`);
    this.warninglistsByName.set(list.name, list);
  }

  removeWarninglist(name: string): boolean {
    return this.warninglistsByName.delete(name);
  }

  get warninglistNames(): readonly string[] {
    return [...this.warninglistsByName.keys()];
  }

  /** IPv4 or IPv6 address (IPv4-mapped IPv6 is looked up as IPv4): exact and CIDR indicators. */
  matchIp(ip: string, at: Date | number): IndicatorMatch {
    const found = this.ips.collect(ip, this.heads);
    return found === 0 ? NO_MATCH : this.resolve(found, toMillis(at), 'ip', ip);
  }

  /** Host or domain name: indicators for the name itself and for each parent domain. */
  matchDomain(name: string, at: Date | number): IndicatorMatch {
    const found = this.domains.collect(name, this.heads);
    return found === 0 ? NO_MATCH : this.resolve(found, toMillis(at), 'domain', name);
  }

  /**
   * Absolute URL, normalised as URL indicators are (case, default port, fragment, root slash).
   * A scheme-relative indicator (`//host/path`, from a feed URL written without a scheme)
   * matches the same URL under any scheme. An observed value must be absolute: a request path
   * such as `//evil.example/x` in an access log names no host, so it matches nothing.
   */
  matchUrl(url: string, at: Date | number): IndicatorMatch {
    const canonical = canonicalUrl(url);
    if (typeof canonical !== 'string' || canonical.startsWith('//')) return NO_MATCH;
    let count = 0;
    const exact = this.urls.get(canonical);
    if (exact >= 0) this.heads[count++] = exact;
    if (this.schemeRelativeUrls > 0) {
      const relative = this.urls.get(canonical.slice(canonical.indexOf(':') + 1));
      if (relative >= 0) this.heads[count++] = relative;
    }
    return count === 0 ? NO_MATCH : this.resolve(count, toMillis(at), 'url', url);
  }

  /** MD5, SHA-1 or SHA-256 in hex, any case. */
  matchHash(hash: string, at: Date | number): IndicatorMatch {
    return this.resolveHead(this.hashes.get(lowercaseIfNeeded(hash)), at, 'hash', hash);
  }

  /** E-mail address, any case. */
  matchEmail(address: string, at: Date | number): IndicatorMatch {
    return this.resolveHead(this.emails.get(lowercaseIfNeeded(address)), at, 'email', address);
  }

  /** The typed lookups behind one entry point, for callers driven by configuration. */
  match(kind: LookupKind, value: string, at: Date | number): IndicatorMatch {
    switch (kind) {
      case 'ip':
        return this.matchIp(value, at);
      case 'domain':
        return this.matchDomain(value, at);
      case 'url':
        return this.matchUrl(value, at);
      case 'hash':
        return this.matchHash(value, at);
      case 'email':
        return this.matchEmail(value, at);
    }
  }

  private resolveHead(head: number, at: Date | number, kind: LookupKind, observed: string): IndicatorMatch {
    if (head < 0) return NO_MATCH;
    this.heads[0] = head;
    return this.resolve(1, toMillis(at), kind, observed);
  }

  // Walks the chains in this.heads[0, count) and keeps live indicators.
  private resolve(count: number, at: number, kind: LookupKind, observed: string): IndicatorMatch {
    const next = this.table.next;
    let live: Indicator[] | undefined;
    for (let h = 0; h < count; h++) {
      for (let slot = this.heads[h]!; slot >= 0; slot = next[slot]!) {
        if (this.table.isLive(slot, at)) (live ??= []).push(this.indicatorAt(slot));
      }
    }
    if (live === undefined) return NO_MATCH;
    const list = this.suppressingWarninglist(kind, observed);
    if (list !== undefined) return { indicators: NONE, suppressed: { warninglist: list.name, indicators: live } };
    return { indicators: live };
  }

  private suppressingWarninglist(kind: LookupKind, observed: string): Warninglist | undefined {
    for (const list of this.warninglistsByName.values()) {
      const listed =
        kind === 'ip'
          ? list.containsIp(observed)
          : kind === 'domain'
            ? list.containsDomain(observed)
            : kind === 'url'
              ? list.containsUrl(observed)
              : kind === 'hash'
                ? list.containsHash(observed)
                : list.containsEmail(observed);
      if (listed) return list;
    }
    return undefined;
  }

  private indicatorAt(slot: number): Indicator {
    let indicator = this.materialised.get(slot);
    if (indicator === undefined) {
      indicator = this.table.materialise(slot);
      if (this.materialised.size >= MATERIALISED_CACHE_LIMIT) this.materialised.clear();
      this.materialised.set(slot, indicator);
    }
    return indicator;
  }

  private canonical(indicator: Indicator): Indicator {
    const normalised = normaliseIndicatorValue(indicator.type, indicator.value);
    if (!normalised.ok) throw new Error(`indicator '${indicator.id}': ${normalised.reason}`);
    if (normalised.value === indicator.value && normalised.type === indicator.type) return indicator;
    return { ...indicator, type: normalised.type, value: normalised.value };
  }

  private insert(canonical: Indicator): void {
    const slot = this.table.allocate(canonical);
    this.slotById.set(canonical.id, slot);
    const heads = this.headsFor(slot);
    const value = this.table.values[slot]!;
    this.table.next[slot] = heads.get(value);
    heads.set(value, slot);
    if (canonical.type === 'url' && value.startsWith('//')) this.schemeRelativeUrls++;
  }

  private removeSlot(slot: number): void {
    const heads = this.headsFor(slot);
    const value = this.table.values[slot]!;
    const next = this.table.next;
    const head = heads.get(value);
    if (head === slot) {
      heads.set(value, next[slot]!);
    } else {
      let previous = head;
      while (next[previous] !== slot) previous = next[previous]!;
      next[previous] = next[slot]!;
    }
    if (this.table.type(slot) === 'url' && value.startsWith('//')) this.schemeRelativeUrls--;
    this.slotById.delete(this.table.ids[slot]!);
    this.materialised.delete(slot);
    this.table.release(slot);
  }

  private headsFor(slot: number): ChainHeads {
    switch (this.table.type(slot)) {
      case 'ipv4':
      case 'ipv6':
      case 'cidr':
        return this.ips;
      case 'domain':
        return this.domains;
      case 'url':
        return this.urls;
      case 'md5':
      case 'sha1':
      case 'sha256':
        return this.hashes;
      case 'email':
        return this.emails;
    }
  }
}

function toMillis(at: Date | number): number {
  return typeof at === 'number' ? at : at.getTime();
}
