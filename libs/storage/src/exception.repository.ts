import { randomUUID } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import type { AccessScope } from '@soc/contracts';
import { exceptionInputSchema, isVisibleTo, presentException, type AlertException, type ExceptionInput, type ExceptionView } from '@soc/alerts';
import { IndexNames } from './index-names';

/**
 * Exceptions (`<prefix>-exceptions`): data analysts write, the detections worker applies. Every
 * read for a caller takes its `AccessScope` and returns what that caller may see
 * (`presentException`): a member never gets another member's details through a global exception.
 */
export class ExceptionRepository {
  constructor(
    private readonly client: Client,
    private readonly names: IndexNames,
  ) {}

  /** Validated here too, so no caller can store an exception the API would refuse (no conditions, say). */
  async create(input: ExceptionInput, createdBy: string, sourceAlertId?: string): Promise<AlertException> {
    const valid = exceptionInputSchema.parse(input);
    const exception: AlertException = {
      ...valid,
      id: randomUUID(),
      created_at: new Date().toISOString(),
      created_by: createdBy,
      ...(sourceAlertId ? { source_alert_id: sourceAlertId } : {}),
    };
    await this.client.index({ index: this.names.exceptions, id: exception.id, document: exception, refresh: 'wait_for' });
    return exception;
  }

  /** One exception as the caller may see it; undefined when missing or not visible (the same answer). */
  async get(scope: AccessScope, id: string): Promise<ExceptionView | undefined> {
    const found = await this.stored(id);
    return found && isVisibleTo(found, scope) ? presentException(found, scope) : undefined;
  }

  /** Ends an exception now; it stays listed for the record. A SOC action: the full before and after. */
  async expire(id: string, now = new Date().toISOString()): Promise<{ before: AlertException; after: AlertException } | undefined> {
    const before = await this.stored(id);
    if (!before) return undefined;
    const after = { ...before, expired_at: now };
    await this.client.index({ index: this.names.exceptions, id, document: after, refresh: 'wait_for' });
    return { before, after };
  }

  /** The exceptions the caller may see, newest first, as it may see them: a member global ones (member view) and its own. */
  async list(scope: AccessScope): Promise<ExceptionView[]> {
    const filter: object[] = [];
    if (scope.kind === 'member') {
      filter.push({ bool: { should: [{ term: { 'scope.kind': 'global' } }, { term: { 'scope.member_id': scope.memberId } }], minimum_should_match: 1 } });
    }
    return (await this.search(filter, [])).map((exception) => presentException(exception, scope));
  }

  /** Every active exception in full, for the detections worker (never shown to a caller). */
  async active(): Promise<AlertException[]> {
    return this.search([{ range: { expires_at: { gt: 'now' } } }], [{ exists: { field: 'expired_at' } }]);
  }

  private async stored(id: string): Promise<AlertException | undefined> {
    const result = await this.client.get<AlertException>({ index: this.names.exceptions, id }, { ignore: [404] });
    return result.found ? result._source : undefined;
  }

  private async search(filter: object[], mustNot: object[]): Promise<AlertException[]> {
    const result = await this.client.search<AlertException>({
      index: this.names.exceptions,
      size: 10_000,
      sort: [{ created_at: 'desc' }],
      query: { bool: { filter, must_not: mustNot } },
    });
    return result.hits.hits.map((hit) => hit._source!);
  }
}
