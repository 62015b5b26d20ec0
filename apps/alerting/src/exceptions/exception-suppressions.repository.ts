import type { Redis } from '@soc/redis';

/** How many detections each exception suppressed: a Redis hash `{KEY_PREFIX}:exceptions:suppressed`. */
export class ExceptionSuppressionsRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private get key(): string {
    return `${this.keyPrefix}:exceptions:suppressed`;
  }

  async count(exceptionId: string): Promise<void> {
    await this.redis.hincrby(this.key, exceptionId, 1);
  }

  async all(): Promise<Record<string, number>> {
    const counts = await this.redis.hgetall(this.key);
    return Object.fromEntries(Object.entries(counts).map(([id, n]) => [id, Number(n)]));
  }
}
