import { Queue } from 'bullmq';
import { TokenIssuer } from '@soc/auth';
import { detectionContributionId, detectionFingerprint, type Detection } from '@soc/contracts';
import { createRedis } from '@soc/redis';
import { alertKey } from '@soc/alerts';
import { createElasticsearchClient } from '@soc/storage';
import { removeIndices, removeRedisKeys } from './support/cleanup';
import { AppProcess, isolatedEnv, waitFor } from './support/stack';
import { elasticsearchUrl } from '../support';

const attacker = '198.51.100.77';
const userAtOdense = 'odense-svc-backup';
const aarhus = '0751';
const odense = '0461';
const now = new Date().toISOString();

function detection(member: string, id: string): Detection {
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
    event_ids: [id],
    observables: [
      { field: 'source.ip', value: attacker },
      { field: 'user.name', value: userAtOdense },
    ],
    detected_at: now,
  };
}

/**
 * Finding 5 of issue 13: a global exception made from Odense's alert, listed to Aarhus, showed
 * Odense's alert id and the attacker's address; alert ids hash (rule, member, group key), so
 * Aarhus could recompute that the alert was Odense's. A member now sees a global exception as
 * rule, condition fields and expiry only (docs/ALERTING.md, Exceptions).
 */
describe('exceptions shown to a member reveal nothing of another member', () => {
  let env: Record<string, string>;
  let alerting: AppProcess;
  let detections: Queue;
  let queueRedis: ReturnType<typeof createRedis>;
  const es = createElasticsearchClient(elasticsearchUrl);
  const tokens: Record<string, string> = {};
  let odenseAlertId: string;
  let global: { id: string };
  let own: { id: string };

  const api = async (path: string, token: string, body?: unknown) => {
    const response = await fetch(`${alerting.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const addDetection = (d: Detection) => detections.add('detection', d, { jobId: detectionContributionId(d) });
  const exceptionsOf = async (token: string) => (await api('/exceptions', token)).body.exceptions as Array<Record<string, unknown>>;

  beforeAll(async () => {
    env = await isolatedEnv({ EXCEPTIONS_REFRESH_MS: '300' });
    alerting = new AppProcess('alerting', env).start();
    await alerting.waitReady();
    const issuer = new TokenIssuer(env.JWT_SECRET);
    Object.assign(tokens, {
      aarhus: issuer.issue({ sub: 'aarhus-it', role: 'member', member_id: aarhus }),
      odense: issuer.issue({ sub: 'odense-it', role: 'member', member_id: odense }),
      analyst: issuer.issue({ sub: 'soc-analyst-1', role: 'soc_analyst' }),
      admin: issuer.issue({ sub: 'soc-admin-7', role: 'soc_admin' }),
    });
    queueRedis = createRedis(env.REDIS_URL, 'worker', 'e2e-detections');
    detections = new Queue(env.DETECTIONS_QUEUE, { connection: queueRedis });
    await addDetection(detection(odense, 'odense-event-1'));
    await waitFor(
      async () => (await api('/alerts', tokens.analyst)).body.total === 1,
      30_000,
      () => alerting.log,
    );
    odenseAlertId = (await api('/alerts', tokens.analyst)).body.alerts[0].id;
    const made = await api(`/alerts/${odenseAlertId}/exception`, tokens.admin, {
      scope: 'global',
      reason: `Odense pen test from ${attacker}`,
      expires_at: '2099-01-01T00:00:00Z',
    });
    expect(made.status).toBe(201);
    global = made.body;
    const mine = await api(`/alerts/${odenseAlertId}/exception`, tokens.admin, {
      scope: 'member',
      fields: ['user.name'],
      reason: 'Odense backup job',
      expires_at: '2099-01-01T00:00:00Z',
    });
    expect(mine.status).toBe(201);
    own = mine.body;
  });

  afterAll(async () => {
    await alerting.kill();
    await detections.obliterate({ force: true });
    await detections.close();
    queueRedis.disconnect();
    const redis = createRedis(env.REDIS_URL, 'worker', 'e2e-cleanup');
    await removeRedisKeys(redis, env);
    redis.disconnect();
    await removeIndices(es, env);
    await es.close();
  });

  it("lists to Aarhus the global exception made from Odense's alert as rule, condition fields and expiry only", async () => {
    expect(await exceptionsOf(tokens.aarhus)).toEqual([
      {
        id: global.id,
        scope: { kind: 'global' },
        rule_id: 'ssh-brute',
        conditions: [
          { field: 'source.ip', op: 'equals' },
          { field: 'user.name', op: 'equals' },
        ],
        expires_at: '2099-01-01T00:00:00Z',
        suppressed_count: 0,
      },
    ]);
  });

  it('gives Aarhus nothing from which Odense or its alert can be recovered', async () => {
    const shown = JSON.stringify(await exceptionsOf(tokens.aarhus));
    for (const secret of [odenseAlertId, alertKey(detection(odense, 'x')), odense, attacker, userAtOdense, 'soc-admin-7', 'pen test']) {
      expect(shown).not.toContain(secret);
    }
    // The recomputation of the finding: no value Aarhus is shown, with any member id, gives Odense's alert key.
    const values = shown.match(/"[^"]*"/g)!.map((v) => JSON.parse(v) as string);
    for (const value of values)
      expect(odenseAlertId.startsWith(alertKey({ rule: { id: 'ssh-brute' }, organization: { id: odense }, group_key: value } as Detection))).toBe(false);
  });

  it('lists to Odense its own exception in full and the global one in the member view', async () => {
    const listed = await exceptionsOf(tokens.odense);
    expect(listed).toHaveLength(2);
    expect(listed.find((e) => e.id === own.id)).toMatchObject({
      scope: { kind: 'member', member_id: odense },
      conditions: [{ field: 'user.name', op: 'equals', value: userAtOdense }],
      reason: 'Odense backup job',
      source_alert_id: odenseAlertId,
    });
    expect(Object.keys(listed.find((e) => e.id === global.id)!).sort()).toEqual(['conditions', 'expires_at', 'id', 'rule_id', 'scope', 'suppressed_count']);
  });

  it('lists both in full to SOC roles', async () => {
    const listed = await exceptionsOf(tokens.analyst);
    expect(listed.find((e) => e.id === global.id)).toMatchObject({
      source_alert_id: odenseAlertId,
      conditions: [{ value: attacker }, { value: userAtOdense }],
      reason: `Odense pen test from ${attacker}`,
    });
  });

  it("shows a member how often an exception suppressed its own detections, never others'", async () => {
    await addDetection(detection(aarhus, `aarhus-event-${Date.now()}`));
    await waitFor(
      async () => (await exceptionsOf(tokens.aarhus))[0]?.suppressed_count === 1,
      30_000,
      () => alerting.log,
    );
    expect((await exceptionsOf(tokens.odense)).find((e) => e.id === global.id)?.suppressed_count).toBe(0);
    expect((await exceptionsOf(tokens.analyst)).find((e) => e.id === global.id)?.suppressed_count).toBe(1);
  });

  it("keeps the audit of Odense's alert, which names the exception, from Aarhus", async () => {
    expect((await api(`/alerts/${odenseAlertId}/audit`, tokens.aarhus)).status).toBe(404);
    const trail = (await api(`/alerts/${odenseAlertId}/audit`, tokens.odense)).body.entries;
    expect(trail.map((e: { action: string; after?: { exception_id?: string } }) => [e.action, e.after?.exception_id])).toEqual(
      expect.arrayContaining([
        ['exception_created', global.id],
        ['exception_created', own.id],
      ]),
    );
  });

  it('refuses an exception without conditions with a 400 naming conditions', async () => {
    const base = { scope: { kind: 'global' }, rule_id: 'ssh-brute', owner: 'soc', reason: 'silence it', expires_at: '2099-01-01T00:00:00Z' };
    const message = 'needs at least one condition (an exception without conditions would suppress the whole rule)';
    expect(await api('/exceptions', tokens.admin, { ...base, conditions: [] })).toEqual({
      status: 400,
      body: { error: 'invalid_body', message: `conditions: ${message}`, problems: [{ path: 'conditions', message }] },
    });
    expect((await api('/exceptions', tokens.admin, base)).body).toMatchObject({
      error: 'invalid_body',
      message: 'conditions: must be a list of at least one condition',
    });
  });

  it('refuses an exception from an alert for fields the alert does not have, instead of one without conditions', async () => {
    const reply = await api(`/alerts/${odenseAlertId}/exception`, tokens.admin, {
      fields: ['host.name'],
      reason: 'nothing',
      expires_at: '2099-01-01T00:00:00Z',
    });
    const message = `not observable fields of alert ${odenseAlertId}: host.name (it has: source.ip, user.name)`;
    expect(reply).toEqual({ status: 400, body: { error: 'invalid_body', message: `fields: ${message}`, problems: [{ path: 'fields', message }] } });
    expect(await exceptionsOf(tokens.analyst)).toHaveLength(2);
  });
});
