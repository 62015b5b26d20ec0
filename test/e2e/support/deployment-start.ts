import { ForwarderKeyRepository } from '@soc/auth';
import { createRedis } from '@soc/redis';
import { AppProcess } from './stack';

/** The three services of one deployment, started from `dist/` and ready (each answers /health/ready). */
export async function startServices(
  env: Record<string, string>,
  readyTimeoutMs?: number,
): Promise<{ collector: AppProcess; correlator: AppProcess; alerting: AppProcess; apps: AppProcess[] }> {
  const collector = new AppProcess('collector', env);
  const correlator = new AppProcess('correlator', env);
  const alerting = new AppProcess('alerting', env);
  const apps = [collector, correlator, alerting];
  apps.forEach((app) => app.start());
  await Promise.all(apps.map((app) => app.waitReady(readyTimeoutMs)));
  return { collector, correlator, alerting, apps };
}

/** A forwarder key for a member, made through the repository the CLI and the admin API use. */
export async function createForwarderKey(env: Record<string, string>, memberId: string): Promise<string> {
  const redis = createRedis(env.REDIS_URL, 'worker', 'e2e-setup');
  try {
    return (await new ForwarderKeyRepository(redis, env.KEY_PREFIX).create(memberId, 'e2e')).key;
  } finally {
    redis.disconnect();
  }
}
