import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { TokenIssuer } from '@soc/auth';
import type { Alert, SocEvent } from '@soc/contracts';
import { createRedis, type Redis } from '@soc/redis';
import { createElasticsearchClient } from '@soc/storage';
import { detectionFields, nxlog4625, winlogbeat4625 } from '../../libs/ingest/test/windows-4625-records.testing';
import { removeIndices, removeRedisKeys } from './support/cleanup';
import { createForwarderKey, startServices } from './support/deployment-start';
import { yesterdayUtc } from './support/events';
import { freePort, isolatedEnv, waitFor, type AppProcess } from './support/stack';
import { loopbackForwarderMembersFile } from './support/syslog-senders';
import { elasticsearchUrl } from '../support';

const run = promisify(execFile);
const member = '0751';

/** Every event in the test's own stream, in the order they were appended. */
async function streamEvents(redis: Redis, stream: string): Promise<SocEvent[]> {
  const entries = await redis.xrange(stream, '-', '+');
  return entries.flatMap(([, fields]) => (JSON.parse(fields[1]) as { events: SocEvent[] }).events);
}

/** What a rule reads of an event: not what the transport or the collector added. */
function parsedFields(event: SocEvent): Record<string, unknown> {
  const { log: _log, tags: _tags, organization: _organization, event: meta, ...rest } = event as SocEvent & Record<string, unknown>;
  const { id: _id, ingested: _ingested, original: _original, ...fields } = meta;
  return { ...rest, event: fields };
}

/** The Windows brute-force rule's own threshold (rules/windows/credential_access_windows_bruteforce.yml). */
function windowsBruteForceThreshold(): number {
  const file = readFileSync(join(__dirname, '../../rules/windows/credential_access_windows_bruteforce.yml'), 'utf8');
  const correlation = parseAllDocuments(file)
    .map((doc) => doc.toJSON() as { correlation?: { condition: { gte: number } } })
    .find((doc) => doc.correlation);
  return correlation!.correlation!.condition.gte;
}

/**
 * docs/INGEST.md "Formats": one normalisation path for every input. The same sshd line sent over
 * syslog TCP (util-linux logger), as a JSON `message` and as a `text/plain` line gives the same
 * event; one Windows 4625 as NXLog JSON and as Winlogbeat JSON gives the same event, and enough of
 * them from one address raise the Windows brute-force alert; a line nothing parses is kept and
 * counted `unparsed` in ingestion health.
 */
describe('ingest formats through the running apps', () => {
  let env: Record<string, string>;
  let apps: AppProcess[];
  let collector: AppProcess;
  let alerting: AppProcess;
  let redis: Redis;
  let key: string;
  let dir: string;
  let tcpPort: number;
  const es = createElasticsearchClient(elasticsearchUrl);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ingest-formats-e2e-'));
    tcpPort = await freePort();
    env = await isolatedEnv({
      MEMBERS_FILE: loopbackForwarderMembersFile(dir, member),
      SYSLOG_INPUTS: 'tcp',
      SYSLOG_TCP_PORT: String(tcpPort),
      SYSLOG_TIME_ZONE: 'UTC',
      CONSUMER_CLAIM_IDLE_MS: '2000',
    });
    redis = createRedis(env.REDIS_URL, 'worker', 'e2e-ingest-formats');
    key = await createForwarderKey(env, member);
    ({ collector, alerting, apps } = await startServices(env));
  });

  afterAll(async () => {
    await Promise.all((apps ?? []).map((app) => app.kill()));
    await removeRedisKeys(redis, env);
    redis.disconnect();
    await removeIndices(es, env);
    await es.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: string, contentType: string, headers: Record<string, string> = {}) =>
    fetch(`${collector.url}/v1/events`, { method: 'POST', headers: { authorization: `ApiKey ${key}`, 'content-type': contentType, ...headers }, body });

  const eventsWith = async (marker: string, count: number): Promise<SocEvent[]> => {
    let found: SocEvent[] = [];
    await waitFor(
      async () => {
        found = (await streamEvents(redis, env.EVENTS_STREAM)).filter((e) => JSON.stringify(e).includes(marker));
        return found.length >= count;
      },
      15_000,
      () => `${found.length} of ${count} events with ${marker}:\n${collector.log.slice(-3000)}`,
    );
    return found;
  };

  it('gives one sshd line the same event over syslog TCP, as a JSON message and as a text/plain line', async () => {
    const address = '203.0.113.77';
    await run('logger', [
      '--tcp',
      '--rfc3164',
      '-n',
      '127.0.0.1',
      '-P',
      String(tcpPort),
      '-p',
      'auth.info',
      '-t',
      'sshd',
      '--id=4121',
      `Failed password for invalid user admin from ${address} port 52113 ssh2`,
    ]);
    const [fromSyslog] = await eventsWith(address, 1);
    // The line exactly as logger wrote it, without its PRI: what a forwarder reads from the file.
    const line = fromSyslog.event.original!.replace(/^<\d+>/, '');
    expect(line).toMatch(/^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ sshd\[4121\]: Failed password/);

    expect((await post(JSON.stringify({ message: line }), 'application/x-ndjson')).status).toBe(202);
    expect((await post(`${line}\n`, 'text/plain')).status).toBe(202);
    const [, fromJson, fromText] = await eventsWith(address, 3);

    expect(fromSyslog).toMatchObject({ event: { dataset: 'linux.sshd', outcome: 'failure' }, source: { ip: address }, user: { name: 'admin' } });
    expect(parsedFields(fromJson)).toEqual(parsedFields(fromSyslog));
    expect(parsedFields(fromText)).toEqual(parsedFields(fromSyslog));
    expect([fromJson, fromText].map((e) => e.organization)).toEqual([{ id: member }, { id: member }]);
  });

  it('gives one 4625 the same event as NXLog JSON and as Winlogbeat JSON, and enough from one address raise the brute-force alert', async () => {
    const address = '198.51.100.223';
    const start = yesterdayUtc(9);
    const threshold = Math.max(6, windowsBruteForceThreshold());
    // Within one minute, alternating the two forwarders' shapes.
    const records = Array.from({ length: threshold }, (_, i) => {
      const failure = { address, time: new Date(start.getTime() + i * 5_000).toISOString(), user: `user${i}` };
      return i % 2 === 0 ? nxlog4625(failure) : winlogbeat4625(failure);
    });
    const same = { address, time: start.toISOString(), user: 'user0' };
    // The first pair is the same failure in both shapes.
    records.splice(1, 0, winlogbeat4625(same));
    expect((await post(records.map((r) => JSON.stringify(r)).join('\n'), 'application/x-ndjson')).status).toBe(202);

    const events = await eventsWith(address, records.length);
    expect(detectionFields(events[0] as never)).toEqual(detectionFields(events[1] as never));
    expect(events[0]).toMatchObject({
      event: { code: '4625', dataset: 'windows.security', outcome: 'failure' },
      source: { ip: address },
      winlog: { channel: 'Security', event_data: { IpAddress: address } },
    });

    const token = new TokenIssuer(env.JWT_SECRET).issue({ sub: 'e2e-analyst', role: 'soc_analyst' });
    let alerts: Alert[] = [];
    await waitFor(
      async () => {
        const reply = await fetch(`${alerting.url}/alerts`, { headers: { authorization: `Bearer ${token}` } });
        alerts = (((await reply.json()) as { alerts?: Alert[] }).alerts ?? []).filter((a) => /Windows Logon Brute Force/i.test(a.rule.title));
        return alerts.length > 0;
      },
      60_000,
      () => apps.map((app) => app.log.slice(-2000)).join('\n'),
    );
    expect(alerts[0].organization.id).toBe(member);
  });

  it('keeps a line nothing parses, tagged unparsed, and counts it in ingestion health', async () => {
    const marker = `no-format-${Date.now()}`;
    const response = await post(`this line is in ${marker}\n`, 'text/plain');
    expect(response.status).toBe(202);
    const [kept] = await eventsWith(marker, 1);
    expect(kept).toMatchObject({ message: `this line is in ${marker}`, tags: ['unparsed'], organization: { id: member } });
    await waitFor(async () => {
      const reply = await fetch(`${collector.url}/v1/ingestion/health`, { headers: { authorization: `ApiKey ${key}` } });
      const [health] = ((await reply.json()) as { members: Array<{ unparsed: number }> }).members;
      return health !== undefined && health.unparsed >= 1;
    }, 15_000);
  });

  it('reads a request in the format its X-Log-Format header declares, and refuses an unknown one naming the header', async () => {
    const address = '203.0.113.78';
    const bare = `Failed password for root from ${address} port 4242 ssh2`;
    expect((await post(`${bare}\n`, 'text/plain', { 'x-log-format': 'sshd' })).status).toBe(202);
    const [event] = await eventsWith(address, 1);
    expect(event).toMatchObject({ event: { dataset: 'linux.sshd', outcome: 'failure' }, source: { ip: address } });

    const refused = await post(`${bare}\n`, 'text/plain', { 'x-log-format': 'fortigate' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'invalid_format', field: 'X-Log-Format' });
  });

  it('reads a request in the format stored with its key (admin API), the header overriding it', async () => {
    const admin = new TokenIssuer(env.JWT_SECRET).issue({ sub: 'e2e-admin', role: 'soc_admin' });
    const create = (body: unknown) =>
      fetch(`${collector.url}/v1/admin/forwarder-keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const badFormat = await create({ member_id: member, label: 'nxlog', format: 'evtx-xml' });
    expect(badFormat.status).toBe(400);
    expect(await badFormat.json()).toMatchObject({ error: 'invalid_request', problems: [expect.objectContaining({ path: 'format' })] });

    const created = await create({ member_id: member, label: 'file tail', format: 'sshd' });
    expect(created.status).toBe(201);
    const issued = (await created.json()) as { key: string; format: string };
    expect(issued.format).toBe('sshd');
    const send = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${collector.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `ApiKey ${issued.key}`, 'content-type': 'text/plain', ...headers },
        body,
      });
    // A line `auto` keeps unparsed (no header, nothing the sshd extractor knows); declared sshd, it is sshd's.
    const marker = `port ${20000 + (Date.now() % 10000)}`;
    expect((await send(`Server listening on 0.0.0.0 ${marker}.\n`)).status).toBe(202);
    const [declared] = await eventsWith(`Server listening on 0.0.0.0 ${marker}`, 1);
    expect(declared).toMatchObject({ event: { dataset: 'linux.sshd' }, process: { name: 'sshd' } });
    expect(declared.tags ?? []).not.toContain('unparsed');
    expect((await post(`Server listening on 0.0.0.0 ${marker}!\n`, 'text/plain')).status).toBe(202);
    const [auto] = await eventsWith(`Server listening on 0.0.0.0 ${marker}!`, 1);
    expect(auto.tags).toEqual(['unparsed']);

    // The header wins over the key: declared ecs, a plain line is no JSON record.
    const overridden = await send(`Server listening on 0.0.0.0 ${marker}.\n`, { 'x-log-format': 'ecs' });
    expect(overridden.status).toBe(400);
    expect(await overridden.json()).toMatchObject({ error: 'invalid_events', problems: [{ line: 1, path: '(line)' }] });
  });
});
