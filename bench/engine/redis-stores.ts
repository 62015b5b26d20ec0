import type { CorrelationStores } from '@soc/correlation';
import { createRedis, type Redis } from '@soc/redis';
import { CampaignStateRepository, WindowStateRepository } from '@soc/correlation-state';
import { redisCpuSeconds } from '../pipeline/cpu-accounting';
import { BenchRedis } from '../redis-durability/redis-server';

/**
 * The correlator's own state stores (windows and campaigns in Redis, as `correlator.providers.ts`
 * wires them) for one configuration of a side-by-side run, on a redis-server of the configuration's
 * own: Redis's CPU (INFO cpu) is then that configuration's alone, and is added to the engine's.
 * The in-memory stores the other figures use keep windows in the engine's heap, which the
 * correlator never does; these say what the engine costs where it runs.
 */
export class RedisStores {
  private passes = 0;

  private constructor(
    private readonly server: BenchRedis,
    private readonly redis: Redis,
  ) {}

  static async start(): Promise<RedisStores> {
    const server = await BenchRedis.start('none');
    return new RedisStores(server, createRedis(server.url, 'consumer', 'bench-engine'));
  }

  /** Fresh stores under a prefix of their own (the warm-up's keys are not the measured pass's). */
  stores(): Partial<CorrelationStores> {
    const prefix = `bench:${this.passes++}`;
    return { windows: new WindowStateRepository(this.redis, prefix), campaigns: new CampaignStateRepository(this.redis, prefix) };
  }

  /** Redis's user + system CPU seconds so far. */
  async cpuSeconds(): Promise<number> {
    return (await redisCpuSeconds(this.redis)) ?? Number.NaN; // null only on a Redis Cluster, which this is not
  }

  async stop(): Promise<void> {
    this.redis.disconnect();
    await this.server.stop();
  }
}
