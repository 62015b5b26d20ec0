import type { AccessScope } from '@soc/contracts';
import type { Redis } from '@soc/redis';
import type { AlertException } from '@soc/alerts';

/**
 * How many detections each exception suppressed: a Redis hash `{KEY_PREFIX}:exceptions:suppressed`
 * with a field per exception (all members) and one per exception and member (`<id>|<member>`),
 * so a member is shown its own count of a global exception, never how often others matched it.
 */
export class ExceptionSuppressionsRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private get key(): string {
    return `${this.keyPrefix}:exceptions:suppressed`;
  }

  async count(exceptionId: string, memberId: string): Promise<void> {
    await this.redis.multi().hincrby(this.key, exceptionId, 1).hincrby(this.key, `${exceptionId}|${memberId}`, 1).exec();
  }

  /** The suppressed count the caller may see of each exception, by exception id. */
  async countsFor(scope: AccessScope, exceptions: Array<Pick<AlertException, 'id' | 'scope'>>): Promise<Map<string, number>> {
    const stored = await this.redis.hgetall(this.key);
    const counts = new Map<string, number>();
    for (const e of exceptions) {
      // A member's own exception matches only its detections: its total is the member's count
      // (and also covers counts made before they were kept per member).
      const own = e.scope.kind === 'member' && scope.kind === 'member' && e.scope.member_id === scope.memberId;
      const field = scope.kind === 'member' && !own ? `${e.id}|${scope.memberId}` : e.id;
      counts.set(e.id, Number(stored[field] ?? 0));
    }
    return counts;
  }
}
