import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { TokenIssuer, type Principal } from '@soc/auth';
import { detectionContributionId, detectionFingerprint, type Detection, type SocEvent } from '@soc/contracts';
import { createRedis } from '@soc/redis';
import { createElasticsearchClient, EventRepository, IndexNames } from '@soc/storage';
import { AppProcess, isolatedEnv, waitFor } from './support/stack';
import { removeRedisKeys, removeIndices } from './support/cleanup';
import { elasticsearchUrl } from '../support';

const attacker = '198.51.100.1';
const now = new Date().toISOString();

function detection(member: string, eventIds: string[], extra: Partial<Detection> = {}): Detection {
  return {
    fingerprint: detectionFingerprint('ssh-brute', member, attacker, now),
    kind: 'correlation',
    rule: { id: 'ssh-brute', title: 'SSH brute force', level: 'high', tags: [], references: [] },
    organization: { id: member },
    group_key: attacker,
    window_start: now,
    first_seen: now,
    last_seen: now,
    event_count: eventIds.length,
    event_ids: eventIds,
    observables: [{ field: 'source.ip', value: attacker }],
    detected_at: now,
    ...extra,
  };
}

const event = (id: string, member: string) =>
  ({ '@timestamp': now, event: { id, kind: 'event' }, organization: { id: member }, source: { ip: attacker }, message: `event ${id}` }) as unknown as SocEvent;

describe('alerting isolation: members kept apart on every endpoint, exceptions, feedback, dead letters', () => {
  let env: Record<string, string>;
  let alerting: AppProcess;
  let detections: Queue;
  let queueRedis: ReturnType<typeof createRedis>;
  let dir: string;
  const es = createElasticsearchClient(elasticsearchUrl);
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};

  const api = async (path: string, token: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${alerting.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${token}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  const addDetection = (d: Detection) => detections.add('detection', d, { jobId: detectionContributionId(d) });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'alerting-iso-'));
    const membersFile = join(dir, 'members.json');
    // Odense's endpoint refuses connections: its notifications end as dead letters.
    // København's endpoints are misconfigured: one names a secret nobody set, one names none.
    writeFileSync(
      membersFile,
      JSON.stringify({
        members: [
          { id: '0461', webhooks: [{ url: 'http://127.0.0.1:9/hook', secret_ref: 'ODENSE' }] },
          { id: '0101', webhooks: [{ url: 'http://127.0.0.1:9/a', secret_ref: 'NOT_SET' }, { url: 'http://127.0.0.1:9/b' }] },
        ],
      }),
    );
    env = await isolatedEnv({
      MEMBERS_FILE: membersFile,
      WEBHOOK_SECRET_ODENSE: 'odense-secret',
      WEBHOOK_ATTEMPTS: '2',
      WEBHOOK_BACKOFF_MS: '50',
      EXCEPTIONS_REFRESH_MS: '300',
    });
    alerting = new AppProcess('alerting', env).start();
    await alerting.waitReady();
    const verifier = new TokenIssuer(env.JWT_SECRET);
    const issue = (p: Principal) => verifier.issue(p);
    Object.assign(tokens, {
      aarhus: issue({ sub: 'a', role: 'member', member_id: '0751' }),
      odense: issue({ sub: 'o', role: 'member', member_id: '0461' }),
      analyst: issue({ sub: 'ana', role: 'soc_analyst' }),
      admin: issue({ sub: 'adm', role: 'soc_admin' }),
      kl: issue({ sub: 'kl', role: 'kl_reporter' }),
    });
    await new EventRepository(es, new IndexNames(env.INDEX_PREFIX)).bulkIndex([event('ea1', '0751'), event('ea2', '0751'), event('eo1', '0461')]);
    queueRedis = createRedis(env.REDIS_URL, 'worker', 'e2e-detections');
    detections = new Queue(env.DETECTIONS_QUEUE, { connection: queueRedis });
    await addDetection(detection('0751', ['ea1', 'ea2']));
    // Odense's detection names Aarhus's event id: its alert must still never show Aarhus's event.
    await addDetection(detection('0461', ['eo1', 'ea1']));
    await addDetection(detection('0101', ['ek1']));
    await waitFor(
      async () => (await api('/alerts', tokens.analyst)).body.total === 3,
      30_000,
      () => alerting.log,
    );
    await addDetection({
      ...detection('shared-soc', ['ea1', 'eo1']),
      kind: 'campaign',
      rule: { id: 'campaign', title: 'Campaign across members', level: 'high', tags: [], references: [] },
      campaign: { members: ['0751', '0461', '0101'] },
    });
    await waitFor(
      async () => (await api('/alerts?member=0751', tokens.analyst)).body.alerts?.[0]?.campaign?.id !== undefined,
      30_000,
      () => alerting.log,
    );
    for (const alert of (await api('/alerts', tokens.analyst)).body.alerts) ids[alert.organization.id] = alert.id;
  });

  afterAll(async () => {
    await alerting.kill();
    await detections.obliterate({ force: true });
    await detections.close();
    queueRedis.disconnect();
    rmSync(dir, { recursive: true, force: true });
    const redis = createRedis(env.REDIS_URL, 'worker', 'e2e-cleanup');
    await removeRedisKeys(redis, env);
    redis.disconnect();
    await removeIndices(es, env);
    await es.close();
  });

  it("lists, filters and searches only the member's own alerts", async () => {
    const own = await api('/alerts', tokens.aarhus);
    expect(own.body.alerts.map((a: { id: string }) => a.id)).toEqual([ids['0751']]);
    expect((await api('/alerts?member=0461', tokens.aarhus)).body).toMatchObject({ total: 0, alerts: [] });
    expect((await api(`/alerts?q=${attacker}`, tokens.aarhus)).body.total).toBe(1);
    expect((await api('/alerts?rule=campaign', tokens.aarhus)).body.total).toBe(0);
    expect(JSON.stringify(own.body)).not.toMatch(/"0461"|"0101"/);
  });

  it("answers 404 for another member's alert (and the campaign) on every read and change", async () => {
    const other = ids['0461'];
    for (const path of [`/alerts/${other}`, `/alerts/${other}/audit`, `/alerts/${ids['shared-soc']}`]) {
      expect(await api(path, tokens.aarhus)).toEqual({ status: 404, body: { error: 'not_found', message: `no alert ${path.split('/')[2]}` } });
    }
    expect((await api(`/alerts/${other}/status`, tokens.aarhus, { method: 'POST', body: { status: 'acknowledged' } })).status).toBe(404);
    expect((await api(`/alerts/${other}/assign`, tokens.aarhus, { method: 'POST', body: { assignee: 'me' } })).status).toBe(404);
    expect((await api(`/alerts/${other}/comments`, tokens.aarhus, { method: 'POST', body: { text: 'hi' } })).status).toBe(404);
    expect(
      (await api(`/alerts/${other}/exception`, tokens.aarhus, { method: 'POST', body: { reason: 'xyz', expires_at: '2099-01-01T00:00:00Z' } })).status,
    ).toBe(403);
    const unchanged = (await api(`/alerts/${other}`, tokens.analyst)).body;
    expect(unchanged).toMatchObject({ status: 'new', assignee: null });
    expect(unchanged.comments).toBeUndefined();
  });

  it('applies scoping per id in bulk actions', async () => {
    const reply = await api('/alerts/bulk', tokens.aarhus, {
      method: 'POST',
      body: { action: 'assign', ids: [ids['0461'], ids['0751']], assignee: 'aarhus-it' },
    });
    expect(reply.body.results).toEqual([
      { id: ids['0461'], ok: false, status: 404, error: 'not_found', message: `no alert ${ids['0461']}` },
      { id: ids['0751'], ok: true, status: 200 },
    ]);
    expect((await api(`/alerts/${ids['0461']}`, tokens.analyst)).body.assignee).toBeNull();
  });

  it('shows a member its campaign as a count of other members, never their names, and only its own events', async () => {
    const alert = (await api(`/alerts/${ids['0751']}`, tokens.aarhus)).body;
    expect(alert.campaign).toEqual({ id: ids['shared-soc'], other_members_affected: 2 });
    expect(JSON.stringify(alert)).not.toMatch(/"0461"|"0101"/);
    const odense = (await api(`/alerts/${ids['0461']}`, tokens.odense)).body;
    expect(odense.events.map((e: { event: { id: string } }) => e.event.id)).toEqual(['eo1']);
    const soc = (await api(`/alerts/${ids['shared-soc']}`, tokens.analyst)).body;
    expect(soc.campaign.members).toEqual(['0751', '0461', '0101']);
  });

  it('keeps queues to SOC roles and dead letters to their member', async () => {
    expect((await api('/queues/incidents', tokens.aarhus)).status).toBe(403);
    const queue = (await api('/queues/incidents?member=0461', tokens.analyst)).body.items;
    expect(queue.map((i: { member: string }) => i.member)).toEqual(['0461']);
    await waitFor(
      async () => (await api('/webhooks/dead-letters', tokens.analyst)).body.dead_letters.length === 3,
      30_000,
      () => alerting.log,
    );
    const [dead] = (await api('/webhooks/dead-letters', tokens.odense)).body.dead_letters;
    expect(dead).toMatchObject({ member: '0461', type: 'alert.created', attempts: 2, alert_id: ids['0461'] });
    expect(JSON.stringify(dead)).not.toContain('odense-secret');
    expect((await api('/webhooks/dead-letters', tokens.odense)).body.dead_letters).toHaveLength(1);
    expect((await api('/webhooks/dead-letters', tokens.aarhus)).body.dead_letters).toEqual([]);
  });

  it("logs every webhook delivery for its member: a member reads its own (naming another gives none), the SOC every member's", async () => {
    await waitFor(
      async () => (await api('/webhooks/deliveries', tokens.analyst)).body.deliveries.filter((d: { status: string }) => d.status === 'failed').length === 3,
      30_000,
      () => alerting.log,
    );
    const own = (await api('/webhooks/deliveries', tokens.odense)).body.deliveries;
    expect(own).toEqual([
      expect.objectContaining({
        member: '0461',
        alert_id: ids['0461'],
        type: 'alert.created',
        url: 'http://127.0.0.1:9/hook',
        status: 'failed',
        attempts: 2,
        max_attempts: 2,
        last_error: expect.stringMatching(/^fetch failed: /), // port 9 is one fetch refuses to call ("bad port")
      }),
    ]);
    expect(JSON.stringify(own)).not.toContain('odense-secret');
    expect((await api('/webhooks/deliveries?member=0101', tokens.odense)).body.deliveries).toEqual([]);
    expect((await api('/webhooks/deliveries', tokens.aarhus)).body.deliveries).toEqual([]);
    const soc = (await api('/webhooks/deliveries', tokens.analyst)).body.deliveries;
    expect(soc.map((d: { member: string }) => d.member).sort()).toEqual(['0101', '0101', '0461']);
    expect(soc.find((d: { url: string }) => d.url.endsWith('/a'))).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: 'no secret configured for secret_ref NOT_SET (set WEBHOOK_SECRET_NOT_SET)',
    });
  });

  it('dead-letters at once a webhook whose secret is not configured, naming the variable', async () => {
    await waitFor(
      async () => (await api('/webhooks/dead-letters', tokens.analyst)).body.dead_letters.length === 3,
      30_000,
      () => alerting.log,
    );
    const letters = (await api('/webhooks/dead-letters', tokens.analyst)).body.dead_letters.filter((d: { url: string }) => d.url.endsWith('/a'));
    expect(letters).toEqual([
      expect.objectContaining({ member: '0101', attempts: 1, failed_reason: 'no secret configured for secret_ref NOT_SET (set WEBHOOK_SECRET_NOT_SET)' }),
    ]);
  });

  it('refuses to send a webhook unsigned', async () => {
    await waitFor(
      async () => (await api('/webhooks/dead-letters', tokens.analyst)).body.dead_letters.length === 3,
      30_000,
      () => alerting.log,
    );
    const letters = (await api('/webhooks/dead-letters', tokens.analyst)).body.dead_letters.filter((d: { url: string }) => d.url.endsWith('/b'));
    expect(letters).toEqual([
      expect.objectContaining({ member: '0101', attempts: 1, failed_reason: 'webhook has no secret_ref: refusing to send it unsigned' }),
    ]);
  });

  it('answers 404 when expiring an exception that does not exist', async () => {
    expect(await api('/exceptions/nope/expire', tokens.admin, { method: 'POST' })).toEqual({
      status: 404,
      body: { error: 'not_found', message: 'no exception nope' },
    });
  });

  it('answers 403 to a KL reporter on every alert, queue, webhook and exception endpoint', async () => {
    const id = ids['0751'];
    const calls: Array<[string, string, unknown?]> = [
      ['GET', '/alerts'],
      ['GET', `/alerts/${id}`],
      ['GET', `/alerts/${id}/audit`],
      ['POST', `/alerts/${id}/status`, { status: 'acknowledged' }],
      ['POST', `/alerts/${id}/assign`, { assignee: 'x' }],
      ['POST', `/alerts/${id}/comments`, { text: 'x' }],
      ['POST', '/alerts/bulk', { action: 'assign', ids: [id], assignee: 'x' }],
      ['POST', `/alerts/${id}/exception`, { reason: 'xyz', expires_at: '2099-01-01T00:00:00Z' }],
      ['GET', '/exceptions'],
      ['POST', '/exceptions', {}],
      ['POST', '/exceptions/x/expire'],
      ['GET', '/queues/incidents'],
      ['GET', '/webhooks/dead-letters'],
    ];
    for (const [method, path, body] of calls) {
      const reply = await api(path, tokens.kl, { method, body });
      expect([path, reply.status, reply.body.message]).toEqual([path, 403, 'role kl_reporter may not use this endpoint']);
    }
  });

  it('lets only soc_admin create exceptions, with a precise 400 for a bad one', async () => {
    expect((await api('/exceptions', tokens.analyst, { method: 'POST', body: {} })).status).toBe(403);
    const bad = await api('/exceptions', tokens.admin, {
      method: 'POST',
      body: { scope: { kind: 'global' }, rule_id: 'r', owner: 'soc', reason: 'why', expires_at: 'soon' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.problems).toEqual([
      { path: 'conditions', message: 'must be a list of at least one condition' },
      { path: 'expires_at', message: 'Invalid ISO datetime' },
    ]);
  });

  it('suppresses a detection matching an exception made from an alert, counts it, and expires it', async () => {
    const created = await api(`/alerts/${ids['0751']}/exception`, tokens.admin, {
      method: 'POST',
      body: { reason: 'our own scanner', expires_at: '2099-01-01T00:00:00Z' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      scope: { kind: 'member', member_id: '0751' },
      rule_id: 'ssh-brute',
      conditions: [{ field: 'source.ip', op: 'equals', value: attacker }],
    });
    // Odense sees global exceptions and its own only: not Aarhus's.
    expect((await api('/exceptions', tokens.odense)).body.exceptions).toEqual([]);
    await waitFor(
      async () => {
        await addDetection(detection('0751', [`later-${Date.now()}`]));
        const [listed] = (await api('/exceptions', tokens.aarhus)).body.exceptions;
        return listed?.suppressed_count > 0;
      },
      30_000,
      () => alerting.log,
    );
    // Detections sent before the worker's cache refreshed were folded in; from now on none is.
    const countBefore = (await api(`/alerts/${ids['0751']}`, tokens.analyst)).body.count;
    const suppressedBefore = (await api('/exceptions', tokens.aarhus)).body.exceptions[0].suppressed_count;
    await addDetection(detection('0751', ['one-more']));
    await waitFor(async () => (await api('/exceptions', tokens.aarhus)).body.exceptions[0].suppressed_count === suppressedBefore + 1, 30_000);
    expect((await api(`/alerts/${ids['0751']}`, tokens.analyst)).body.count).toBe(countBefore);
    const expired = await api(`/exceptions/${created.body.id}/expire`, tokens.admin, { method: 'POST' });
    expect(expired.body.expired_at).toBeDefined();
    expect((await api(`/alerts/${ids['0751']}/audit`, tokens.analyst)).body.entries.map((e: { action: string }) => e.action)).toContain('exception_created');
  });

  it('feeds a false positive back as indicator sightings in Redis', async () => {
    const closed = await api(`/alerts/${ids['0461']}/status`, tokens.odense, { method: 'POST', body: { status: 'false_positive', reason: 'pen test' } });
    expect(closed.body.status).toBe('false_positive');
    const redis = createRedis(env.REDIS_URL, 'worker', 'e2e-check');
    expect(await redis.hget(`${env.KEY_PREFIX}:indicator-sightings:false-positive`, attacker)).toBe('1');
    redis.disconnect();
  });
});
