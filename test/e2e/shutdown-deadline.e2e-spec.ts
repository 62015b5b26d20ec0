import { AppProcess, isolatedEnv } from './support/stack';
import { PrivateRedis } from './support/private-redis';

/**
 * A graceful shutdown waits for the app's clients; one waiting on a server that no longer answers
 * must not keep the process alive past SHUTDOWN_TIMEOUT_MS (libs/platform, http-app.ts).
 */
describe('graceful shutdown with a deadline (SHUTDOWN_TIMEOUT_MS)', () => {
  let redis: PrivateRedis;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    redis = await PrivateRedis.create();
    await redis.start();
  });

  afterAll(async () => {
    redis.signal('SIGCONT');
    await Promise.all(apps.map((app) => app.kill('SIGKILL')));
    await redis.stop();
  });

  it('ends at once when nothing holds the shutdown up', async () => {
    const app = new AppProcess('correlator', await isolatedEnv({ REDIS_URL: redis.url, SHUTDOWN_TIMEOUT_MS: '60000' })).start();
    apps.push(app);
    await app.waitReady();
    const started = Date.now();
    // After its hooks Nest raises the signal again with no listener left: the process ends by SIGTERM (no exit code).
    expect(await app.kill('SIGTERM')).toBeNull();
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(app.log).not.toContain('graceful shutdown not done');
  });

  it('exits with 1 after the deadline, saying why, when Redis stops answering during the shutdown', async () => {
    const app = new AppProcess('correlator', await isolatedEnv({ REDIS_URL: redis.url, SHUTDOWN_TIMEOUT_MS: '3000' })).start();
    apps.push(app);
    await app.waitReady();
    redis.signal('SIGSTOP');
    try {
      const started = Date.now();
      const code = await app.kill('SIGTERM');
      const tookMs = Date.now() - started;
      expect(code).toBe(1);
      expect(app.log).toContain('correlator: graceful shutdown not done 3000 ms after SIGTERM (SHUTDOWN_TIMEOUT_MS); exiting');
      expect(tookMs).toBeGreaterThanOrEqual(2_900);
      expect(tookMs).toBeLessThan(20_000);
    } finally {
      redis.signal('SIGCONT');
    }
  });
});
