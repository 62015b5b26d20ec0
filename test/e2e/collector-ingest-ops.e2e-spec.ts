import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { TokenIssuer } from '@soc/auth';
import { createRedis, type Redis } from '@soc/redis';
import { AppProcess, isolatedEnv, waitFor } from './support/stack';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A plain Node HTTP client, as a forwarder would use: no fetch conveniences. */
function send(url: string, method: string, headers: Record<string, string>, body?: Buffer | string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function sshFailures(count: number): string {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      event: { dataset: 'linux.sshd', category: ['authentication'], outcome: 'failure' },
      source: { ip: '203.0.113.7', port: 40_000 + i },
      user: { name: `user${i}` },
      message: `Failed password for user${i} from 203.0.113.7 port ${40_000 + i} ssh2`,
    }),
  ).join('\n');
}

describe('collector operations: gzip, keys, limits, health, metrics', () => {
  let env: Record<string, string>;
  let collector: AppProcess;
  let redis: Redis;
  let dir: string;
  const admin = () => new TokenIssuer(env.JWT_SECRET).issue({ sub: 'e2e-admin', role: 'soc_admin' });
  const analyst = () => new TokenIssuer(env.JWT_SECRET).issue({ sub: 'e2e-analyst', role: 'soc_analyst' });

  const adminCall = (method: string, path: string, body?: unknown, token = admin()) =>
    send(
      `${collector.url}/v1/admin/forwarder-keys${path}`,
      method,
      {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body ? JSON.stringify(body) : undefined,
    );

  const issueKey = async (member: string): Promise<{ id: string; key: string }> => {
    const answer = await adminCall('POST', '', { member_id: member, label: 'e2e' });
    expect(answer.status).toBe(201);
    return JSON.parse(answer.body) as { id: string; key: string };
  };

  const postEvents = (key: string, body: Buffer | string, extra: Record<string, string> = {}) =>
    send(`${collector.url}/v1/events`, 'POST', { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson', ...extra }, body);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'collector-ops-'));
    // Aarhus gets its own, higher limit: the members file override.
    writeFileSync(join(dir, 'members.json'), JSON.stringify({ members: [{ id: '0751', ingest_rate: { events_per_second: 100_000, burst_events: 100_000 } }] }));
    env = await isolatedEnv({
      MEMBERS_FILE: join(dir, 'members.json'),
      INGEST_RATE_EVENTS_PER_SECOND: '10',
      INGEST_RATE_BURST_EVENTS: '100',
      INGEST_BACKLOG_LIMIT_ENTRIES: '3',
    });
    redis = createRedis(env.REDIS_URL, 'worker', 'e2e-ops');
    collector = new AppProcess('collector', env).start();
    await collector.waitReady();
  });

  afterAll(async () => {
    await collector.kill();
    const leftovers = await redis.keys(`e2e:${env.KEY_PREFIX.split(':')[1]}:*`);
    if (leftovers.length > 0) await redis.del(...leftovers);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts gzip NDJSON and stores every event', async () => {
    const { key } = await issueKey('0751');
    const answer = await postEvents(key, gzipSync(sshFailures(250)), { 'content-encoding': 'gzip' });
    expect(answer.status).toBe(202);
    expect(JSON.parse(answer.body)).toEqual({ accepted: 250 });
    const entries = (await redis.xrange(env.EVENTS_STREAM, '-', '+')) as Array<[string, string[]]>;
    const stored = entries.flatMap(([, fields]) => (JSON.parse(fields[1]) as { events: unknown[] }).events);
    expect(stored).toHaveLength(250);
  });

  it('answers 400 for a body that claims gzip but is not', async () => {
    const { key } = await issueKey('0751');
    const answer = await postEvents(key, sshFailures(1), { 'content-encoding': 'gzip' });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ error: 'invalid_gzip', message: 'the body is not valid gzip: incorrect header check' });
  });

  it('answers 429 with Retry-After to a member over its rate while another member is still accepted', async () => {
    const noisy = await issueKey('0101');
    const quiet = await issueKey('0147');
    expect((await postEvents(noisy.key, sshFailures(100))).status).toBe(202);
    const refused = await postEvents(noisy.key, sshFailures(50));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(refused.body)).toEqual({
      error: 'rate_limited',
      message: 'this member is over its ingest rate; nothing was accepted, retry after Retry-After seconds',
    });
    expect((await postEvents(quiet.key, sshFailures(100))).status).toBe(202);
  });

  it('lists keys without secrets and refuses a revoked key within the cache time', async () => {
    const issued = await issueKey('0751');
    expect((await postEvents(issued.key, sshFailures(1))).status).toBe(202);
    const listed = await adminCall('GET', '?member=0751');
    expect(listed.body).toContain(issued.id);
    expect(listed.body).not.toContain(issued.key.slice('sockey_'.length));
    const revokedAt = Date.now();
    expect((await adminCall('DELETE', `/${issued.id}`)).status).toBe(204);
    await waitFor(async () => (await postEvents(issued.key, sshFailures(1))).status === 401, 10_000);
    expect(Date.now() - revokedAt).toBeLessThan(5_000 + 1_000);
    expect(JSON.parse((await postEvents(issued.key, sshFailures(1))).body)).toEqual({
      error: 'unauthenticated',
      message: 'unknown or revoked forwarder key',
    });
  });

  it('rotates a key: the new key works at once', async () => {
    const issued = await issueKey('0751');
    const rotated = await adminCall('POST', `/${issued.id}/rotate`);
    expect(rotated.status).toBe(201);
    expect((await postEvents((JSON.parse(rotated.body) as { key: string }).key, sshFailures(1))).status).toBe(202);
  });

  it('lets only a SOC admin manage keys', async () => {
    expect((await adminCall('GET', '', undefined, analyst())).status).toBe(403);
    expect(JSON.parse((await adminCall('GET', '', undefined, analyst())).body)).toEqual({ error: 'forbidden', message: 'requires role soc_admin' });
    const anonymous = await send(`${collector.url}/v1/admin/forwarder-keys`, 'GET', {});
    expect(anonymous.status).toBe(401);
    expect(JSON.parse((await adminCall('POST', '', { member_id: 'nowhere' })).body)).toEqual({ error: 'unknown_member', message: 'no member "nowhere"' });
    expect(JSON.parse((await adminCall('DELETE', '/no-such-id')).body)).toEqual({ error: 'not_found', message: 'no forwarder key "no-such-id"' });
  });

  it('names what is wrong with a key request', async () => {
    const notJson = await send(
      `${collector.url}/v1/admin/forwarder-keys`,
      'POST',
      { authorization: `Bearer ${admin()}`, 'content-type': 'application/json' },
      '{member',
    );
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body)).toEqual({ error: 'invalid_request', message: 'the body is not JSON' });
    const missing = await adminCall('POST', '', { label: 'x' });
    expect(JSON.parse(missing.body)).toMatchObject({ error: 'invalid_request', message: 'fix the listed fields', problems: [{ path: 'member_id' }] });
  });

  it('shows a forwarder its own ingestion health and an analyst every member', async () => {
    const { key } = await issueKey('0147');
    const own = async () =>
      JSON.parse((await send(`${collector.url}/v1/ingestion/health`, 'GET', { authorization: `ApiKey ${key}` })).body) as {
        members: Array<Record<string, unknown>>;
      };
    await waitFor(async () => (await own()).members[0]?.accepted === 100, 10_000);
    expect((await own()).members.map((m) => m.member_id)).toEqual(['0147']);
    const all = await send(`${collector.url}/v1/ingestion/health`, 'GET', { authorization: `Bearer ${analyst()}` });
    const members = (JSON.parse(all.body) as { members: Array<{ member_id: string; refused: Record<string, number> }> }).members;
    expect(members.map((m) => m.member_id)).toEqual(expect.arrayContaining(['0101', '0147', '0751']));
    expect(members.find((m) => m.member_id === '0101')?.refused).toEqual({ rate_limited: 50 });
  });

  it('exposes Prometheus counters by member and transport, without secrets', async () => {
    const answer = await send(`${collector.url}/metrics`, 'GET', {});
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(/soc_ingest_events_accepted_total\{member="0147",transport="http"\} 100/);
    expect(answer.body).toMatch(/soc_ingest_events_refused_total\{member="0101",transport="http",reason="rate_limited"\} 50/);
    expect(answer.body).not.toMatch(/sockey_|ApiKey|Bearer/);
  });

  // Last: once the backlog is over the limit, this collector refuses everything.
  it('answers 503 with Retry-After while the consumers are behind', async () => {
    // A consumer group that reads nothing: every entry so far is its lag.
    await redis.xgroup('CREATE', env.EVENTS_STREAM, 'idle-consumers', '0');
    const { key } = await issueKey('0751');
    let answer: Answer | undefined;
    await waitFor(async () => (answer = await postEvents(key, sshFailures(1))).status === 503, 10_000);
    expect(answer!.headers['retry-after']).toBe('2');
    expect(JSON.parse(answer!.body)).toEqual({
      error: 'backlog',
      message: 'the consumers are behind; nothing was accepted, retry after Retry-After seconds',
    });
  });
});
