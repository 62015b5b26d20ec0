import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { TokenIssuer } from '@soc/auth';
import type { Alert } from '@soc/contracts';
import { createRedis } from '@soc/redis';
import { createElasticsearchClient } from '@soc/storage';
import { AppProcess, freePort, isolatedEnv, waitFor } from './support/stack';
import { createForwarderKey, startServices } from './support/deployment-start';
import { removeRedisKeys, removeIndices } from './support/cleanup';
import { failedSshLogins } from './support/events';
import { elasticsearchUrl } from '../support';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const webhookSecret = 'aarhus-webhook-secret-for-e2e';

describe('alerting pipeline: ingest → alert → SLA escalation → signed webhook → triage → audit', () => {
  let env: Record<string, string>;
  let apps: AppProcess[];
  let collector: AppProcess;
  let alerting: AppProcess;
  let key: string;
  let receiver: Server;
  const received: Received[] = [];
  let dir: string;
  const es = createElasticsearchClient(elasticsearchUrl);
  let analyst: string;
  let alert: Alert;

  beforeAll(async () => {
    const hookPort = await freePort();
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(hookPort, '127.0.0.1', resolve));
    dir = mkdtempSync(join(tmpdir(), 'alerting-e2e-'));
    const membersFile = join(dir, 'members.json');
    writeFileSync(membersFile, JSON.stringify({ members: [{ id: '0751', webhooks: [{ url: `http://127.0.0.1:${hookPort}/soc`, secret_ref: 'AARHUS' }] }] }));
    env = await isolatedEnv({
      CONSUMER_CLAIM_IDLE_MS: '2000',
      MEMBERS_FILE: membersFile,
      WEBHOOK_SECRET_AARHUS: webhookSecret,
      SLA_SECONDS: 'critical=2,high=2,medium=2,low=2,informational=2',
      WEBHOOK_BACKOFF_MS: '100',
    });
    key = await createForwarderKey(env, '0751');
    ({ collector, alerting, apps } = await startServices(env));
    analyst = new TokenIssuer(env.JWT_SECRET).issue({ sub: 'ana', role: 'soc_analyst' });
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.kill()));
    await new Promise((resolve) => receiver.close(resolve));
    rmSync(dir, { recursive: true, force: true });
    const redis = createRedis(env.REDIS_URL, 'worker', 'e2e-cleanup');
    await removeRedisKeys(redis, env);
    redis.disconnect();
    await removeIndices(es, env);
    await es.close();
  });

  const api = async (path: string, init: { method?: string; body?: unknown; token?: string } = {}) => {
    const response = await fetch(`${alerting.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${init.token ?? analyst}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('raises an alert from ingested events, queues it, escalates it at its SLA and notifies the member signed', async () => {
    const posted = await fetch(`${collector.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson' },
      body: failedSshLogins(12, '203.0.113.77', new Date()),
    });
    expect(posted.status).toBe(202);
    await waitFor(
      async () => {
        const { body } = await api('/alerts');
        alert = body.alerts?.[0];
        return Boolean(alert);
      },
      60_000,
      () => apps.map((a) => a.log).join('\n'),
    );
    expect(alert).toMatchObject({ organization: { id: '0751' }, status: 'new', generation: 1 });
    expect(alert.risk_reasons?.[0]).toMatch(/^rule level /);

    const queue = await api('/queues/incidents');
    expect(queue.body.items).toContainEqual(expect.objectContaining({ alert_id: alert.id, member: '0751', severity: alert.severity }));

    await waitFor(
      async () => (await api(`/alerts/${alert.id}`)).body.escalated === true,
      30_000,
      () => alerting.log,
    );
    const detail = (await api(`/alerts/${alert.id}`)).body;
    expect(detail.escalation_level).toBeGreaterThanOrEqual(1);
    expect(detail.events.length).toBeGreaterThan(0);
    expect(detail.events.every((e: { organization: { id: string } }) => e.organization.id === '0751')).toBe(true);

    await waitFor(
      () => received.some((r) => r.body.includes('"alert.escalated"')),
      30_000,
      () => alerting.log,
    );
    const escalated = received.find((r) => r.body.includes('"alert.escalated"'))!;
    const timestamp = String(escalated.headers['x-soc-timestamp']);
    const expected = `sha256=${createHmac('sha256', webhookSecret).update(`${timestamp}.${escalated.body}`).digest('hex')}`;
    expect(escalated.headers['x-soc-signature']).toBe(expected);
    expect(JSON.parse(escalated.body)).toMatchObject({ type: 'alert.escalated', alert: { id: alert.id, escalated: true } });
  });

  it('refuses an invalid transition with 409 naming from and to', async () => {
    const reply = await api(`/alerts/${alert.id}/status`, { method: 'POST', body: { status: 'new' } });
    expect(reply.status).toBe(409);
    expect(reply.body).toEqual({
      error: 'invalid_transition',
      message: 'cannot move an alert from new to new (allowed from new: acknowledged, in_progress, resolved, false_positive, duplicate)',
    });
  });

  it('refuses to close without a reason', async () => {
    const reply = await api(`/alerts/${alert.id}/status`, { method: 'POST', body: { status: 'resolved' } });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ error: 'reason_required', message: 'a reason is required to move an alert to resolved' });
  });

  it('refuses a body with an unknown field, naming it', async () => {
    const reply = await api(`/alerts/${alert.id}/status`, { method: 'POST', body: { status: 'acknowledged', priority: 1 } });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({
      error: 'invalid_body',
      message: '(root): Unrecognized key: "priority"',
      problems: [{ path: '(root)', message: 'Unrecognized key: "priority"' }],
    });
  });

  it('refuses a bad filter, naming it', async () => {
    const reply = await api('/alerts?severity=urgent');
    expect(reply.status).toBe(400);
    expect(reply.body.error).toBe('invalid_query');
    expect(reply.body.problems[0].path).toBe('severity');
  });

  it('refuses page and search_after together', async () => {
    const reply = await api('/alerts?page=2&search_after=abc');
    expect(reply.status).toBe(400);
    expect(reply.body.problems).toEqual([{ path: 'page', message: 'use either page or search_after, not both' }]);
  });

  it('refuses a time range that ends before it starts', async () => {
    const reply = await api('/alerts?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    expect(reply.status).toBe(400);
    expect(reply.body.problems).toEqual([{ path: 'from', message: 'from must not be after to' }]);
  });

  it('refuses a cursor it did not issue', async () => {
    const reply = await api('/alerts?search_after=abc');
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ error: 'invalid_cursor', message: 'search_after: not a cursor returned as next_cursor', parameter: 'search_after' });
  });

  it('works the alert to resolved and keeps the whole story in the audit trail', async () => {
    expect((await api(`/alerts/${alert.id}/comments`, { method: 'POST', body: { text: 'looking at web01' } })).status).toBe(201);
    expect((await api(`/alerts/${alert.id}/status`, { method: 'POST', body: { status: 'acknowledged' } })).status).toBe(200);
    const queue = await api('/queues/incidents');
    expect(queue.body.items.map((i: { alert_id: string }) => i.alert_id)).not.toContain(alert.id);
    expect((await api(`/alerts/${alert.id}/assign`, { method: 'POST', body: { assignee: 'ana' } })).body.assignee).toBe('ana');
    expect((await api(`/alerts/${alert.id}/status`, { method: 'POST', body: { status: 'in_progress' } })).status).toBe(200);
    const closed = await api(`/alerts/${alert.id}/status`, { method: 'POST', body: { status: 'resolved', reason: 'blocked at the firewall' } });
    expect(closed.body.status).toBe('resolved');

    const trail = (await api(`/alerts/${alert.id}/audit`)).body.entries as Array<{
      action: string;
      actor: { sub: string; role: string };
      before?: any;
      after?: any;
      reason?: string;
    }>;
    // A second SLA period may pass before the acknowledgement: level 2 is then escalated too.
    const firstEscalation = trail.findIndex((e) => e.action === 'escalated');
    const actions = trail.map((e) => e.action).filter((action, i) => action !== 'escalated' || i === firstEscalation);
    expect(actions).toEqual(['created', 'escalated', 'commented', 'status_changed', 'assigned', 'status_changed', 'status_changed']);
    expect(trail[1]).toMatchObject({ actor: { sub: 'sla-timer', role: 'system' }, after: { escalated: true, escalation_level: 1 } });
    expect(trail[trail.length - 1]).toMatchObject({
      actor: { sub: 'ana', role: 'soc_analyst' },
      before: { status: 'in_progress' },
      after: { status: 'resolved' },
      reason: 'blocked at the firewall',
    });
  });

  it('serves its OpenAPI document', async () => {
    const reply = await fetch(`${alerting.url}/openapi.json`);
    const document = (await reply.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/alerts', '/alerts/{id}/status', '/alerts/bulk', '/exceptions', '/queues/incidents', '/webhooks/dead-letters']),
    );
  });
});
