import jwt from 'jsonwebtoken';
import { PrivateRedis } from './support/private-redis';
import { AppProcess, isolatedEnv } from './support/stack';

/** ioredis's own texts for a missing connection: none may reach a client. */
const redisText = /Stream isn't writeable|Connection is closed|enableOfflineQueue|ECONNREFUSED|MaxRetries|\bERR\b/;

describe('error shapes while Redis is down: 503 unavailable with Retry-After on every API, no Redis text', () => {
  let redis: PrivateRedis;
  let collector: AppProcess;
  let correlator: AppProcess;
  let socAdmin: Record<string, string>;

  beforeAll(async () => {
    redis = await PrivateRedis.create();
    await redis.start();
    const env = await isolatedEnv({ REDIS_URL: redis.url });
    collector = new AppProcess('collector', env).start();
    correlator = new AppProcess('correlator', env).start();
    await Promise.all([collector.waitReady(), correlator.waitReady()]);
    const token = jwt.sign({ sub: 'e2e-unavailable', role: 'soc_admin', iss: 'soc-cli', aud: 'soc-api' }, env.JWT_SECRET, {
      algorithm: 'HS256',
      expiresIn: 3600,
    });
    socAdmin = { authorization: `Bearer ${token}` };
    await redis.stop();
  });

  afterAll(async () => {
    // Without Redis a graceful shutdown waits for it (queue workers drain): the private Redis and
    // everything in it are thrown away, so the processes are simply ended.
    await Promise.all([collector?.kill('SIGKILL'), correlator?.kill('SIGKILL')]);
    await redis?.stop();
  });

  it.each([
    ['collector GET /v1/admin/forwarder-keys', () => `${collector.url}/v1/admin/forwarder-keys`],
    ['collector GET /v1/ingestion/health', () => `${collector.url}/v1/ingestion/health`],
    ['correlator GET /v1/indicators', () => `${correlator.url}/v1/indicators`],
    ['correlator GET /v1/indicators/:id', () => `${correlator.url}/v1/indicators/ip-203.0.113.5`],
  ])('%s answers 503 unavailable at once', async (_name, url) => {
    const response = await fetch(url(), { headers: socAdmin, signal: AbortSignal.timeout(5_000) });
    const text = await response.text();
    expect({ status: response.status, retryAfter: response.headers.get('retry-after') }).toEqual({ status: 503, retryAfter: '5' });
    expect(JSON.parse(text)).toEqual({ error: 'unavailable', message: expect.any(String) });
    expect(text).not.toMatch(redisText);
  });

  it('answers readiness with 503 in the same shape, naming what is down', async () => {
    const response = await fetch(`${collector.url}/health/ready`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: 'unavailable', message: 'not ready: redis down', status: 'unavailable', checks: { redis: 'down' } });
  });
});
