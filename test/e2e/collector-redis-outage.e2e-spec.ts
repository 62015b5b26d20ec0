import { createRedis } from '@soc/redis';
import { ForwarderKeyRepository } from '@soc/auth';
import { PrivateRedis } from './support/private-redis';
import { AppProcess, isolatedEnv, waitFor } from './support/stack';

const line = JSON.stringify({ message: 'sshd[1]: Failed password for root from 203.0.113.5 port 2222 ssh2' });

describe('collector when Redis goes away', () => {
  let redis: PrivateRedis;
  let collector: AppProcess;
  let key: string;

  beforeAll(async () => {
    redis = await PrivateRedis.create();
    await redis.start();
    const env = await isolatedEnv({ REDIS_URL: redis.url });
    const client = createRedis(redis.url, 'worker', 'e2e-setup');
    key = (await new ForwarderKeyRepository(client, env.KEY_PREFIX).create('0751')).key;
    client.disconnect();
    collector = new AppProcess('collector', env).start();
    await collector.waitReady();
  });

  afterAll(async () => {
    await collector?.kill();
    await redis?.stop();
  });

  const post = () =>
    fetch(`${collector.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson' },
      body: line,
      signal: AbortSignal.timeout(5_000),
    });

  it('answers 503 at once while Redis is down, stays up, and accepts again when Redis is back', async () => {
    expect((await post()).status).toBe(202);

    await redis.stop();
    // The forwarder key is cached for a few seconds; after that, authentication needs Redis too.
    // Either way the answer must be an immediate 503 (the 5 s abort would fail the test), never a hang.
    for (let i = 0; i < 3; i++) {
      const response = await post();
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after') ?? '5').toBe('5');
      expect(await response.json()).toMatchObject({ error: 'unavailable' });
    }
    expect((await fetch(`${collector.url}/health/ready`)).status).toBe(503);
    expect((await fetch(`${collector.url}/health/live`)).status).toBe(200);

    await redis.start();
    await waitFor(
      async () => (await post()).status === 202,
      30_000,
      () => collector.log,
    );
    expect((await fetch(`${collector.url}/health/ready`)).status).toBe(200);
  });
});
