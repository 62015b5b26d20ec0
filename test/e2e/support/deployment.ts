import type { Client } from '@elastic/elasticsearch';
import { createRedis, type Redis } from '@soc/redis';
import { createElasticsearchClient } from '@soc/storage';
import { removeIndices, removeRedisKeys } from './cleanup';
import { rulesDir } from './rules-dir';
import { isolatedEnv, type AppProcess } from './stack';

/**
 * One isolated deployment for an e2e test: its own env (names, ports), its own rules folder,
 * clients on the shared Redis and Elasticsearch, and a `close()` that stops the test's apps and
 * removes everything the deployment left behind.
 */
export class E2eDeployment {
  private constructor(
    readonly env: Record<string, string>,
    readonly redis: Redis,
    readonly es: Client,
    private readonly rules: { path: string; remove: () => void },
  ) {}

  static async create(options: { rules: Record<string, string>; env?: Record<string, string> }): Promise<E2eDeployment> {
    const rules = rulesDir(options.rules);
    const env = await isolatedEnv({ RULES_DIR: rules.path, ...options.env });
    const es = createElasticsearchClient(env.ELASTICSEARCH_URL);
    return new E2eDeployment(env, createRedis(env.REDIS_URL, 'worker', 'e2e'), es, rules);
  }

  async close(apps: AppProcess[]): Promise<void> {
    await Promise.all(apps.map((app) => app.kill()));
    await removeRedisKeys(this.redis, this.env);
    this.redis.disconnect();
    this.rules.remove();
    await removeIndices(this.es, this.env);
    await this.es.close();
  }
}
