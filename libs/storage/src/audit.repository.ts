import { randomUUID } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import type { AccessScope } from '@soc/contracts';
import { scopeFilter } from './alert.repository';
import { IndexNames } from './index-names';

/** One change: who (and in which role), what, the state before and after, when. */
export interface AuditEntry {
  id: string;
  target: { type: 'alert' | 'exception' | 'rule' | 'rule_folder' | 'rule_tuning' | 'dead_letter' | 'snapshot' | 'events_index'; id: string };
  /** The member the target belongs to (`shared-soc` for campaign alerts, `global` for global exceptions). */
  organization: { id: string };
  /** `name`: the person's or service account's display name, where the token named one (docs/AUTH.md). */
  actor: { sub: string; role: string; name?: string };
  action: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
  at: string;
}

/** The audit trail (`<prefix>-audit`): append-only, read per target, scoped like alerts. */
export class AuditRepository {
  constructor(
    private readonly client: Client,
    private readonly names: IndexNames,
  ) {}

  /** A deterministic `id` makes a repeated record (a retried job) overwrite instead of duplicate. */
  async record(entry: Omit<AuditEntry, 'id' | 'at'> & { id?: string; at?: string }): Promise<AuditEntry> {
    const stored: AuditEntry = { at: new Date().toISOString(), ...entry, id: entry.id ?? randomUUID() };
    await this.client.index({ index: this.names.audit, id: stored.id, document: stored });
    return stored;
  }

  /**
   * Many entries with one bulk request, each with its deterministic `id` (a repeat overwrites).
   * Says per entry, in order, the error of an entry Elasticsearch refused (undefined: written);
   * a failed request throws.
   */
  async recordMany(entries: ReadonlyArray<AuditEntry>): Promise<Array<Error | undefined>> {
    if (entries.length === 0) return [];
    const response = await this.client.bulk({ operations: entries.flatMap((entry) => [{ index: { _index: this.names.audit, _id: entry.id } }, entry]) });
    return response.items.map((item) => {
      const error = item.index?.error;
      return error ? new Error(`audit entry ${item.index!._id}: write refused (${item.index!.status}): ${error.type}: ${error.reason ?? ''}`) : undefined;
    });
  }

  async forTarget(scope: AccessScope, type: AuditEntry['target']['type'], id: string): Promise<AuditEntry[]> {
    // Writes do not wait for a refresh (a bulk action writes many); a trail is read rarely and
    // must show a change made a moment ago, so the read refreshes instead.
    await this.client.indices.refresh({ index: this.names.audit });
    const result = await this.client.search<AuditEntry>({
      index: this.names.audit,
      size: 1_000,
      sort: [{ at: 'asc' }, { id: 'asc' }],
      query: { bool: { filter: [{ term: { 'target.type': type } }, { term: { 'target.id': id } }, ...scopeFilter(scope)] } },
    });
    return result.hits.hits.map((hit) => hit._source!);
  }
}
