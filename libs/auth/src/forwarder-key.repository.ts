import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

export interface ForwarderKeyRecord {
  id: string;
  member_id: string;
  label: string;
  created_at: string;
}

/** A forwarder API key as shown to its owner, once, when it is created. */
export interface IssuedForwarderKey extends ForwarderKeyRecord {
  key: string;
}

export function hashForwarderKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/**
 * Forwarder API keys, stored hashed (SHA-256 of a 256-bit random secret: a slow hash adds
 * nothing for a secret that cannot be guessed). The plain key exists only in the create reply.
 */
export class ForwarderKeyRepository {
  private readonly cache = new Map<string, { memberId: string | undefined; until: number }>();

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    /** How long a resolved key is trusted without asking Redis again (revocation delay). */
    private readonly cacheMs = 5_000,
  ) {}

  private get hashKey(): string {
    return `${this.keyPrefix}:forwarder-keys`;
  }

  async create(memberId: string, label = ''): Promise<IssuedForwarderKey> {
    const id = randomUUID();
    const key = `sockey_${randomBytes(32).toString('base64url')}`;
    const record: ForwarderKeyRecord = { id, member_id: memberId, label, created_at: new Date().toISOString() };
    await this.redis.hset(this.hashKey, hashForwarderKey(key), JSON.stringify(record));
    return { ...record, key };
  }

  /** The member a key belongs to, or undefined for an unknown key. Throws if Redis is down. */
  async resolve(key: string, now = Date.now()): Promise<string | undefined> {
    const hash = hashForwarderKey(key);
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.memberId;
    const stored = await this.redis.hget(this.hashKey, hash);
    const memberId = stored ? (JSON.parse(stored) as ForwarderKeyRecord).member_id : undefined;
    this.cache.set(hash, { memberId, until: now + this.cacheMs });
    return memberId;
  }
}
