import { Queue } from 'bullmq';
import { TokenIssuer } from '@soc/auth';
import { detectionContributionId, detectionFingerprint, type Detection } from '@soc/contracts';
import { createRedis } from '@soc/redis';
import { createElasticsearchClient } from '@soc/storage';
import { AppProcess, freePort, isolatedEnv, waitFor } from './support/stack';
import { removeIndices, removeRedisKeys } from './support/cleanup';
import { clientCredentialsToken, decodeJwt, elasticsearchUrl, issuerOf, signInThroughLoginForm } from '../support';

/**
 * The APIs accept the identity provider's tokens (docs/AUTH.md, Tokens the APIs accept): the
 * service accounts of the Keycloak realm `soc` (scripts/services.sh, deploy/keycloak) get their
 * tokens with the client credentials grant and call the alerting API started with OIDC_ISSUER.
 */
const issuer = issuerOf('soc');
const attacker = '198.51.100.7';
const now = new Date().toISOString();

function detection(member: string): Detection {
  return {
    fingerprint: detectionFingerprint('ssh-brute', member, attacker, now),
    kind: 'correlation',
    rule: { id: 'ssh-brute', title: 'SSH brute force', level: 'high', tags: [], references: [] },
    organization: { id: member },
    group_key: attacker,
    window_start: now,
    first_seen: now,
    last_seen: now,
    event_count: 1,
    event_ids: [`e-${member}`],
    observables: [{ field: 'source.ip', value: attacker }],
    detected_at: now,
  };
}

/** A service account's access token from realm `soc` (development secrets: docs/AUTH.md, The realm). */
const serviceToken = (client: string, realm = 'soc') => clientCredentialsToken(realm, client, `${client}-dev-secret`);

interface Answer {
  status: number;
  body: any;
}

async function call(app: AppProcess, path: string, token: string, init: { method?: string; body?: unknown } = {}): Promise<Answer> {
  const response = await fetch(`${app.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, body: await response.json() };
}

describe('OpenID Connect tokens at the APIs (Keycloak realm soc)', () => {
  let env: Record<string, string>;
  let alerting: AppProcess;
  let production: AppProcess | undefined;
  let detections: Queue;
  let queueRedis: ReturnType<typeof createRedis>;
  const es = createElasticsearchClient(elasticsearchUrl);

  beforeAll(async () => {
    const discovery = await fetch(`${issuer}/.well-known/openid-configuration`).catch((error: Error) => error);
    if (!(discovery instanceof Response) || !discovery.ok) {
      throw new Error(
        `Keycloak is not serving realm soc at ${issuer} (start it with bash scripts/services.sh): ${String(discovery instanceof Response ? discovery.status : discovery.message)}`,
      );
    }
    env = await isolatedEnv({ OIDC_ISSUER: issuer });
    alerting = new AppProcess('alerting', env).start();
    await alerting.waitReady();
    queueRedis = createRedis(env.REDIS_URL, 'worker', 'e2e-detections');
    detections = new Queue(env.DETECTIONS_QUEUE, { connection: queueRedis });
    for (const member of ['0751', '0461']) await detections.add('detection', detection(member), { jobId: detectionContributionId(detection(member)) });
    const analyst = await serviceToken('soc-automation-analyst');
    await waitFor(
      async () => (await call(alerting, '/alerts', analyst)).body.total === 2,
      30_000,
      () => `the two seeded alerts did not appear:\n${alerting.log}`,
    );
  });

  afterAll(async () => {
    await production?.kill();
    await alerting?.kill();
    await detections?.obliterate({ force: true });
    await detections?.close();
    queueRedis?.disconnect();
    if (env) {
      const redis = createRedis(env.REDIS_URL, 'worker', 'e2e-cleanup');
      await removeRedisKeys(redis, env);
      redis.disconnect();
      await removeIndices(es, env);
    }
    await es.close();
  });

  it("lets Aarhus's SOAR service account pull its alerts, and only Aarhus's", async () => {
    const token = await serviceToken('soc-automation-0751');
    expect(decodeJwt(token).payload).toMatchObject({ iss: issuer, azp: 'soc-automation-0751', member_id: '0751' });
    const own = await call(alerting, '/alerts', token);
    expect(own.status).toBe(200);
    expect(own.body.alerts.map((a: { organization: { id: string } }) => a.organization.id)).toEqual(['0751']);
    expect((await call(alerting, '/alerts?member=0461', token)).body).toMatchObject({ total: 0, alerts: [] });
  });

  it("lets the analyst service account see every member's alerts", async () => {
    const all = await call(alerting, '/alerts', await serviceToken('soc-automation-analyst'));
    expect(all.body.alerts.map((a: { organization: { id: string } }) => a.organization.id).sort()).toEqual(['0461', '0751']);
  });

  it("gives KL's reporting account the statistics and refuses it the alerts", async () => {
    const token = await serviceToken('soc-automation-kl');
    expect((await call(alerting, '/v1/statistics/attempts?from=2026-03-01&to=2026-03-31&granularity=month', token)).status).toBe(200);
    expect(await call(alerting, '/alerts', token)).toEqual({
      status: 403,
      body: { error: 'forbidden', message: 'role kl_reporter may not use this endpoint' },
    });
  });

  it('refuses a token once its exp has passed, naming exp', async () => {
    const token = await serviceToken('soc-automation-short');
    const { iat, exp } = decodeJwt(token).payload as { iat: number; exp: number };
    expect(exp - iat).toBe(3);
    // The verifier allows 10 s of clock difference past exp; wait on the clock, then ask.
    await waitFor(
      () => Date.now() > (exp + 11) * 1000,
      30_000,
      () => `the token's exp ${exp} + 10 s has not passed`,
      250,
    );
    expect(await call(alerting, '/alerts', token)).toEqual({
      status: 401,
      body: { error: 'unauthenticated', message: `invalid token: exp ${new Date(exp * 1000).toISOString()} has passed (the token expired)` },
    });
  });

  it('refuses a token of another realm (issuer), naming iss', async () => {
    const foreign = await serviceToken('foreign-automation', 'foreign');
    expect(decodeJwt(foreign).payload).toMatchObject({ aud: 'soc-api', realm_access: { roles: ['soc_analyst'] } });
    expect(await call(alerting, '/alerts', foreign)).toEqual({
      status: 401,
      body: { error: 'unauthenticated', message: `invalid token: iss "${issuerOf('foreign')}" is not the identity provider; iss must be "${issuer}"` },
    });
  });

  it('names the analyst service account in the audit entry of its change and on its comment', async () => {
    const token = await serviceToken('soc-automation-analyst');
    const { sub } = decodeJwt(token).payload as { sub: string };
    const [alert] = (await call(alerting, '/alerts?member=0461', token)).body.alerts as Array<{ id: string }>;
    expect((await call(alerting, `/alerts/${alert.id}/assign`, token, { method: 'POST', body: { assignee: 'soar' } })).status).toBe(200);
    const comment = await call(alerting, `/alerts/${alert.id}/comments`, token, { method: 'POST', body: { text: 'ticket SOAR-17 opened' } });
    expect(comment.body).toMatchObject({ by: sub, by_name: 'service-account-soc-automation-analyst' });
    const trail = (await call(alerting, `/alerts/${alert.id}/audit`, token)).body.entries as Array<{ action: string; actor: unknown }>;
    expect(trail.find((entry) => entry.action === 'assigned')?.actor).toEqual({ sub, role: 'soc_analyst', name: 'service-account-soc-automation-analyst' });
  });

  it("accepts a person's token from the login form: Mads (Aarhus) sees Aarhus's alerts only and is named in the audit trail", async () => {
    const { accessToken } = await signInThroughLoginForm({
      clientId: 'soc-console',
      clientSecret: 'soc-console-dev-secret',
      redirectUri: 'http://127.0.0.1/auth/callback',
      username: 'mads.aarhus',
      password: 'mads.aarhus-pw',
    });
    const { sub } = decodeJwt(accessToken).payload as { sub: string };
    const own = (await call(alerting, '/alerts', accessToken)).body.alerts as Array<{ id: string; organization: { id: string } }>;
    expect(own.map((a) => a.organization.id)).toEqual(['0751']);
    expect((await call(alerting, `/alerts/${own[0].id}/status`, accessToken, { method: 'POST', body: { status: 'acknowledged' } })).status).toBe(200);
    const trail = (await call(alerting, `/alerts/${own[0].id}/audit`, accessToken)).body.entries as Array<{ action: string; actor: unknown }>;
    expect(trail.find((entry) => entry.action === 'status_changed')?.actor).toEqual({ sub, role: 'member', name: 'Mads Madsen' });
  });

  it('in production accepts the provider’s tokens only: an HS256 CLI token is refused', async () => {
    production = new AppProcess('alerting', { ...env, NODE_ENV: 'production', ALERTING_PORT: String(await freePort()) }).start();
    await production.waitReady();
    const cli = new TokenIssuer(env.JWT_SECRET).issue({ sub: 'cli', role: 'soc_admin' });
    expect(await call(production, '/alerts', cli)).toEqual({
      status: 401,
      body: {
        error: 'unauthenticated',
        message: `invalid token: alg "HS256" is not accepted; tokens must be signed by the identity provider ${issuer} with RS256, ES256, PS256`,
      },
    });
    expect((await call(production, '/alerts', await serviceToken('soc-automation-analyst'))).body.total).toBe(2);
  });
});
