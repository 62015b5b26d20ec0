import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { AccessScope } from '@soc/contracts';
import type { ForwarderKeyDeclaration } from './forwarder-key-declaration';
import type { ForwarderKeyRecord, ForwarderKeyRepository, IssuedForwarderKey } from './forwarder-key.repository';
import type { Actor } from './principal';

/** One change to a forwarder key: who (and in which role), what, to which key of which member, when. Never a secret or a hash. */
export interface ForwarderKeyAuditEntry {
  id: string;
  at: string;
  actor: Actor;
  action: 'forwarder_key_created' | 'forwarder_key_rotated' | 'forwarder_key_revoked';
  target: { type: 'forwarder_key'; id: string };
  /** The member the key belongs to. */
  organization: { id: string };
  /** The key's label; on rotation also the id of the key that replaced it. */
  after: { label: string; replaced_by?: string };
}

/** Entries kept: the oldest are dropped beyond it (a few per key and member over years). */
export const forwarderKeyAuditCapacity = 10_000;

/**
 * The trail of key changes, newest first, in one capped Redis list (`<prefix>:forwarder-keys:audit`):
 * the collector has no Elasticsearch, and one key keeps it legal on a Redis Cluster.
 */
export class ForwarderKeyAuditTrail {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly capacity = forwarderKeyAuditCapacity,
  ) {}

  get key(): string {
    return `${this.keyPrefix}:forwarder-keys:audit`;
  }

  async record(entry: Omit<ForwarderKeyAuditEntry, 'id' | 'at'>): Promise<ForwarderKeyAuditEntry> {
    const stored: ForwarderKeyAuditEntry = { id: randomUUID(), at: new Date().toISOString(), ...entry };
    const results = await this.redis
      .multi()
      .lpush(this.key, JSON.stringify(stored))
      .ltrim(this.key, 0, this.capacity - 1)
      .exec();
    if (!results || results.some(([error]) => error)) throw new Error('Redis discarded the forwarder key audit entry');
    return stored;
  }

  /** The newest `limit` entries a scope may see (a member: its own keys' only), optionally of one member. */
  async list(scope: AccessScope, limit: number, memberId?: string): Promise<ForwarderKeyAuditEntry[]> {
    const wanted = scope.kind === 'member' ? scope.memberId : memberId;
    if (scope.kind === 'member' && memberId !== undefined && memberId !== scope.memberId) return [];
    const all = (await this.redis.lrange(this.key, 0, -1)).map((stored) => JSON.parse(stored) as ForwarderKeyAuditEntry);
    return all.filter((entry) => wanted === undefined || entry.organization.id === wanted).slice(0, limit);
  }
}

/**
 * What the API does with forwarder keys, for a SOC administrator (every member) and a member (its own):
 * the scope goes to the repository, which treats another member's key as absent, and every change is
 * written to the audit trail before the answer.
 */
export class ForwarderKeyAdministration {
  constructor(
    private readonly keys: ForwarderKeyRepository,
    private readonly trail: ForwarderKeyAuditTrail,
  ) {}

  list(scope: AccessScope, memberId?: string): Promise<ForwarderKeyRecord[]> {
    return this.keys.listIn(scope, memberId);
  }

  audit(scope: AccessScope, limit: number, memberId?: string): Promise<ForwarderKeyAuditEntry[]> {
    return this.trail.list(scope, limit, memberId);
  }

  /** `memberId` is the caller's own for a member (the controller takes it from the token), any member's for a SOC administrator. */
  async create(actor: Actor, memberId: string, label: string, declared: ForwarderKeyDeclaration): Promise<IssuedForwarderKey> {
    const issued = await this.keys.create(memberId, label, declared);
    await this.trail.record({
      actor,
      action: 'forwarder_key_created',
      target: { type: 'forwarder_key', id: issued.id },
      organization: { id: memberId },
      after: { label },
    });
    return issued;
  }

  async rotate(actor: Actor, scope: AccessScope, id: string): Promise<IssuedForwarderKey | undefined> {
    const issued = await this.keys.rotate(id, scope);
    if (!issued) return undefined;
    await this.trail.record({
      actor,
      action: 'forwarder_key_rotated',
      target: { type: 'forwarder_key', id },
      organization: { id: issued.member_id },
      after: { label: issued.label, replaced_by: issued.id },
    });
    return issued;
  }

  async revoke(actor: Actor, scope: AccessScope, id: string): Promise<boolean> {
    const record = await this.keys.get(id, scope);
    if (!record || !(await this.keys.revoke(id, scope))) return false;
    await this.trail.record({
      actor,
      action: 'forwarder_key_revoked',
      target: { type: 'forwarder_key', id },
      organization: { id: record.member_id },
      after: { label: record.label },
    });
    return true;
  }
}
