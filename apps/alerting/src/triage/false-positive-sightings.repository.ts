import type { Redis } from '@soc/redis';

/**
 * The feedback contract with the correlator (docs/ALERTING.md): each observable value of an alert
 * closed as false positive gets `HINCRBY {KEY_PREFIX}:indicator-sightings:false-positive <value> 1`.
 */
export class FalsePositiveSightingsRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  get key(): string {
    return `${this.keyPrefix}:indicator-sightings:false-positive`;
  }

  async record(values: string[]): Promise<void> {
    const unique = [...new Set(values)];
    if (unique.length === 0) return;
    const pipeline = this.redis.multi();
    for (const value of unique) pipeline.hincrby(this.key, value, 1);
    await pipeline.exec();
  }
}
