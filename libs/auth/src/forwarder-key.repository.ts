import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { LRUCache } from 'lru-cache';
import { allMembers, type AccessScope } from '@soc/contracts';
import type { ForwarderKeyDeclaration } from './forwarder-key-declaration';

export interface ForwarderKeyRecord {
  id: string;
  member_id: string;
  label: string;
  created_at: string;
  /** What the forwarder sends (`X-Log-Format` values, docs/FORWARDERS.md); absent: recognised per record. */
  format?: string;
  /** Dataset of its lines from programs the parsers do not know (`X-Log-Dataset` overrides it). */
  dataset?: string;
  /** IANA zone of its offset-less timestamps (`X-Log-Time-Zone` overrides it); absent: its member's. */
  time_zone?: string;
}

/**
 * The member of a key and what its forwarder declared. Keys stored before a field existed
 * simply lack it: every declaration is optional.
 */
export interface ResolvedForwarderKey {
  memberId: string;
  format?: string;
  dataset?: string;
  timeZone?: string;
}

/** A forwarder API key as shown to its owner, once, when it is created. */
export interface IssuedForwarderKey extends ForwarderKeyRecord {
  key: string;
}

export function hashForwarderKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** How the collector caches key look-ups (FORWARDER_KEY_CACHE_*, docs/INGEST.md). */
export interface ForwarderKeyCacheSettings {
  /** Most look-ups kept; the least recently used is dropped beyond it. */
  maxEntries: number;
  /** How long a known key is trusted without asking Redis again: the revocation delay. */
  ttlMs: number;
  /** How long an unknown key is remembered as unknown: the delay before a new key works where it was tried. */
  negativeTtlMs: number;
}

const defaultCacheSettings: ForwarderKeyCacheSettings = { maxEntries: 10_000, ttlMs: 5_000, negativeTtlMs: 1_000 };

/** The cached answer: the member, or `null` for a key Redis does not know (the cache cannot hold undefined). */
type CachedLookup = { memberId: null } | ResolvedForwarderKey;

/**
 * Forwarder API keys, stored hashed (SHA-256 of a 256-bit random secret: a slow hash adds
 * nothing for a secret that cannot be guessed). The plain key exists only in the create reply.
 */
export class ForwarderKeyRepository {
  /**
   * Bounded in entries and time, unknown keys included: a stream of random keys can neither grow
   * the heap (the least recently used entry goes) nor keep a revoked key alive past the TTL.
   */
  private readonly cache: LRUCache<string, CachedLookup>;
  private readonly settings: ForwarderKeyCacheSettings;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    settings: Partial<ForwarderKeyCacheSettings> = {},
    /** The cache's clock in ms (tests move it instead of sleeping). */
    now: () => number = () => performance.now(),
  ) {
    this.settings = { ...defaultCacheSettings, ...settings };
    this.cache = new LRUCache<string, CachedLookup>({
      max: this.settings.maxEntries,
      ttl: this.settings.ttlMs,
      // Check the clock on every read, so an entry never outlives its TTL by a cached timestamp.
      ttlResolution: 0,
      perf: { now },
    });
  }

  /** Entries the cache holds now (never more than `maxEntries`). */
  get cachedEntries(): number {
    return this.cache.size;
  }

  private get hashKey(): string {
    return `${this.keyPrefix}:forwarder-keys`;
  }

  /** `declared` is taken as given: callers validate it (`forwarderKeyDeclarationSchema`). */
  async create(memberId: string, label = '', declared: ForwarderKeyDeclaration = {}): Promise<IssuedForwarderKey> {
    const { issued, hash, stored } = this.mint(memberId, label, declared);
    await this.redis.hset(this.hashKey, hash, stored);
    return issued;
  }

  /** Every key's record (never its hash or secret), oldest first; optionally of one member. */
  async list(memberId?: string): Promise<ForwarderKeyRecord[]> {
    const records = [...(await this.entries()).values()].map((entry) => entry.record);
    return records.filter((record) => memberId === undefined || record.member_id === memberId).sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  /** The keys a scope may see (a member: its own, whatever `memberId` asks for), oldest first. */
  async listIn(scope: AccessScope, memberId?: string): Promise<ForwarderKeyRecord[]> {
    if (scope.kind === 'all-members') return this.list(memberId);
    return memberId === undefined || memberId === scope.memberId ? this.list(scope.memberId) : [];
  }

  /** One key's record, if it exists in the scope: another member's key is as absent as a missing one. */
  async get(id: string, scope: AccessScope): Promise<ForwarderKeyRecord | undefined> {
    return (await this.find(id, scope))?.record;
  }

  /**
   * Replaces a key by a new one for the same member, label and declarations, atomically: the old key stops
   * working (after at most the cache time of each collector), the new one is shown once. A key outside
   * `scope` is not found.
   */
  async rotate(id: string, scope: AccessScope = allMembers): Promise<IssuedForwarderKey | undefined> {
    const found = await this.find(id, scope);
    if (!found) return undefined;
    const { issued, hash, stored } = this.mint(found.record.member_id, found.record.label, declarationOf(found.record));
    const results = await this.redis.multi().hdel(this.hashKey, found.hash).hset(this.hashKey, hash, stored).exec();
    if (!results || results.some(([error]) => error)) throw new Error('Redis discarded the key rotation');
    return issued;
  }

  /** Removes a key; false if there is none with this id in `scope`. Takes effect within the cache time. */
  async revoke(id: string, scope: AccessScope = allMembers): Promise<boolean> {
    const found = await this.find(id, scope);
    if (!found) return false;
    return (await this.redis.hdel(this.hashKey, found.hash)) === 1;
  }

  /**
   * The member a key belongs to, or undefined for an unknown key. Throws if Redis is down (an
   * error is not cached). Answers from the cache for up to the TTL (unknown keys: the negative TTL).
   */
  async resolve(key: string): Promise<string | undefined> {
    return (await this.resolveKey(key))?.memberId;
  }

  /** `resolve` with what the key's forwarder declared (cached alike). */
  async resolveKey(key: string): Promise<ResolvedForwarderKey | undefined> {
    const hash = hashForwarderKey(key);
    let lookup = this.cache.get(hash);
    if (!lookup) {
      const stored = await this.redis.hget(this.hashKey, hash);
      const record = stored ? (JSON.parse(stored) as ForwarderKeyRecord) : undefined;
      lookup = record ? resolvedOf(record) : { memberId: null };
      this.cache.set(hash, lookup, { ttl: record ? this.settings.ttlMs : this.settings.negativeTtlMs });
    }
    return lookup.memberId === null ? undefined : (lookup as ResolvedForwarderKey);
  }

  private mint(memberId: string, label: string, declared: ForwarderKeyDeclaration): { issued: IssuedForwarderKey; hash: string; stored: string } {
    const key = `sockey_${randomBytes(32).toString('base64url')}`;
    const record: ForwarderKeyRecord = { id: randomUUID(), member_id: memberId, label, created_at: new Date().toISOString() };
    // Only what was declared is stored, so a record reads the same as one from before a field existed.
    if (declared.format !== undefined) record.format = declared.format;
    if (declared.dataset !== undefined) record.dataset = declared.dataset;
    if (declared.time_zone !== undefined) record.time_zone = declared.time_zone;
    return { issued: { ...record, key }, hash: hashForwarderKey(key), stored: JSON.stringify(record) };
  }

  // Keys number in the hundreds (a few per member): reading them all is cheaper than keeping
  // a second id index consistent with the hash.
  private async entries(): Promise<Map<string, { hash: string; record: ForwarderKeyRecord }>> {
    const all = await this.redis.hgetall(this.hashKey);
    const byId = new Map<string, { hash: string; record: ForwarderKeyRecord }>();
    for (const [hash, stored] of Object.entries(all)) {
      const record = JSON.parse(stored) as ForwarderKeyRecord;
      byId.set(record.id, { hash, record });
    }
    return byId;
  }

  private async find(id: string, scope: AccessScope): Promise<{ hash: string; record: ForwarderKeyRecord } | undefined> {
    const found = (await this.entries()).get(id);
    if (!found || (scope.kind === 'member' && found.record.member_id !== scope.memberId)) return undefined;
    return found;
  }
}

function declarationOf(record: ForwarderKeyRecord): ForwarderKeyDeclaration {
  return { format: record.format as ForwarderKeyDeclaration['format'], dataset: record.dataset, time_zone: record.time_zone };
}

/** The look-up answer: absent declarations are absent keys, not `undefined` values. */
function resolvedOf(record: ForwarderKeyRecord): ResolvedForwarderKey {
  const resolved: ResolvedForwarderKey = { memberId: record.member_id };
  if (record.format !== undefined) resolved.format = record.format;
  if (record.dataset !== undefined) resolved.dataset = record.dataset;
  if (record.time_zone !== undefined) resolved.timeZone = record.time_zone;
  return resolved;
}
