import jwt from 'jsonwebtoken';
import { createElasticsearchClient } from '@soc/storage';
import { createRedis } from '@soc/redis';
import { removeIndices, removeRedisKeys } from './support/cleanup';
import { AppProcess, isolatedEnv } from './support/stack';
import { elasticsearchUrl } from '../support';

/**
 * The token policy (docs/API.md, Authentication) holds on all three apps alike: each answers a
 * bad token with the same 401 and message, because their guards share one `TokenVerifier`.
 */
describe('bearer tokens at the collector, correlator and alerting', () => {
  let env: Record<string, string>;
  const apps: AppProcess[] = [];
  const es = createElasticsearchClient(elasticsearchUrl);
  // One bearer route per app that a SOC analyst may use.
  const routes: Record<string, string> = { collector: '/v1/ingestion/health', correlator: '/v1/indicators', alerting: '/alerts' };
  const now = () => Math.floor(Date.now() / 1000);
  const sign = (claims: Record<string, unknown>) => {
    const present = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
    // noTimestamp drops a given iat too: only for a token meant to have none.
    return jwt.sign(present, env.JWT_SECRET, { algorithm: 'HS256', noTimestamp: !('iat' in present) });
  };
  const claims = (extra: Record<string, unknown> = {}) => ({
    sub: 'e2e',
    role: 'soc_analyst',
    iss: 'soc-cli',
    aud: 'soc-api',
    iat: now(),
    exp: now() + 600,
    ...extra,
  });

  beforeAll(async () => {
    env = await isolatedEnv();
    for (const name of ['collector', 'correlator', 'alerting'] as const) apps.push(new AppProcess(name, env).start());
    await Promise.all(apps.map((app) => app.waitReady()));
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.kill()));
    const redis = createRedis(env.REDIS_URL, 'worker', 'e2e-cleanup');
    await removeRedisKeys(redis, env);
    redis.disconnect();
    await removeIndices(es, env);
    await es.close();
  });

  const answers = async (token: string) =>
    Promise.all(
      apps.map(async (app) => {
        const response = await fetch(`${app.url}${routes[app.app]}`, { headers: { authorization: `Bearer ${token}` } });
        return { app: app.app, status: response.status, body: (await response.json()) as unknown };
      }),
    );

  it('accepts a token with issuer, audience and a bounded lifetime at every app', async () => {
    const replies = await answers(sign(claims()));
    expect(replies.map((a) => [a.app, a.status])).toEqual([
      ['collector', 200],
      ['correlator', 200],
      ['alerting', 200],
    ]);
  });

  const refusals: Array<[string, Record<string, unknown>, string]> = [
    ['no exp', { exp: undefined }, 'invalid token: exp is required (every token must expire)'],
    ['a lifetime over 12 h', { iat: now(), exp: now() + 12 * 3600 + 60 }, 'invalid token: lifetime exp - iat of 43260 s is longer than the maximum of 43200 s'],
    ['another issuer', { iss: 'evil' }, 'invalid token: iss must be "soc-cli"'],
    ['another audience', { aud: 'other-api' }, 'invalid token: aud must be "soc-api"'],
    ['a member id that is no member', { role: 'member', member_id: '9999' }, 'invalid token: member_id "9999" is not a member'],
    ['shared-soc as member', { role: 'member', member_id: 'shared-soc' }, 'invalid token: member_id "shared-soc" is not a member'],
  ];

  it.each(refusals)('refuses a token with %s at every app, with the same 401', async (_name, change, message) => {
    const token = sign({ ...claims(), ...change });
    const body = { error: 'unauthenticated', message };
    expect(await answers(token)).toEqual(['collector', 'correlator', 'alerting'].map((app) => ({ app, status: 401, body })));
  });

  it('refuses to start outside development without JWT_SECRET', async () => {
    const { JWT_SECRET: _secret, ...withoutSecret } = env;
    const app = new AppProcess('alerting', withoutSecret).start();
    expect(await app.exited).not.toBe(0);
    expect(app.log).toContain('JWT_SECRET: required when NODE_ENV is test (the development secret is public)');
  });
});
