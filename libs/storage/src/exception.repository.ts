import { randomUUID } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import type { AccessScope } from '@soc/contracts';
import type { AlertException, ExceptionInput } from '@soc/scoring';
import { IndexNames } from './index-names';

/** Exceptions (`<prefix>-exceptions`): data analysts write, the detections worker applies. */
export class ExceptionRepository {
  constructor(
    private readonly client: Client,
    private readonly names: IndexNames,
  ) {}

  async create(input: ExceptionInput, createdBy: string, sourceAlertId?: string): Promise<AlertException> {
    const exception: AlertException = {
      ...input, id: randomUUID(), created_at: new Date().toISOString(), created_by: createdBy,
      ...(sourceAlertId ? { source_alert_id: sourceAlertId } : {}),
    };
    await this.client.index({ index: this.names.exceptions, id: exception.id, document: exception, refresh: 'wait_for' });
    return exception;
  }

  async get(id: string): Promise<AlertException | undefined> {
    const result = await this.client.get<AlertException>({ index: this.names.exceptions, id }, { ignore: [404] });
    return result.found ? result._source : undefined;
  }

  /** Ends an exception now; it stays listed for the record. */
  async expire(id: string, now = new Date().toISOString()): Promise<{ before: AlertException; after: AlertException } | undefined> {
    const before = await this.get(id);
    if (!before) return undefined;
    const after = { ...before, expired_at: now };
    await this.client.index({ index: this.names.exceptions, id, document: after, refresh: 'wait_for' });
    return { before, after };
  }

  /** A member sees global exceptions and its own; SOC roles see all. */
  async list(scope: AccessScope, activeOnly = false): Promise<AlertException[]> {
    const filter: object[] = [];
    if (scope.kind === 'member') {
      filter.push({ bool: { should: [{ term: { 'scope.kind': 'global' } }, { term: { 'scope.member_id': scope.memberId } }], minimum_should_match: 1 } });
    }
    const mustNot = activeOnly ? [{ exists: { field: 'expired_at' } }] : [];
    if (activeOnly) filter.push({ range: { expires_at: { gt: 'now' } } });
    const result = await this.client.search<AlertException>({
      index: this.names.exceptions,
      size: 10_000,
      sort: [{ created_at: 'desc' }],
      query: { bool: { filter, must_not: mustNot } },
    });
    return result.hits.hits.map((hit) => hit._source!);
  }
}
