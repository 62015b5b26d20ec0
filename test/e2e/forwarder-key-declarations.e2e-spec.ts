import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TokenIssuer } from '@soc/auth';
import type { SocEvent } from '@soc/contracts';
import { createRedis, type Redis } from '@soc/redis';
import { createElasticsearchClient } from '@soc/storage';
import { removeIndices, removeRedisKeys } from './support/cleanup';
import { AppProcess, isolatedEnv, waitFor } from './support/stack';
import { elasticsearchUrl } from '../support';

const run = promisify(execFile);
const root = join(__dirname, '../..');
const dataDir = join(root, '../shared/data');
const authLog = readFileSync(join(dataDir, 'elastic-examples/ssh/auth.log'), 'utf8')
  .split('\n')
  .filter((line) => line.length > 0);
/** The first line of an rsyslog parser test case: a real device's syslog line. */
const rsyslogCase = (file: string) => readFileSync(join(dataDir, 'syslog-cef-fixtures/rsyslog-parse1', file), 'utf8').split('\n')[0];
const ciscoPixLine = rsyslogCase('1.parse1'); // `%PIX-7-710005: UDP request discarded …`: a program no parser knows
const gatewayLine = rsyslogCase('4.parse1'); // `example-gw[10538]: disconnect host=…`: likewise
const apacheLog = readFileSync(join(dataDir, 'elastic-examples/apache/apache_logs'), 'utf8')
  .split('\n')
  .filter((line) => line.length > 0);

const member = '0751';
const memberZone = 'Asia/Tokyo'; // in the members file below; the collector's SYSLOG_TIME_ZONE stays its default

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Mmm dd hh:mm:ss` of an instant on the wall clock of `timeZone` (Intl, not the product's code). */
function bsdStamp(instant: Date, timeZone: string): string {
  const parts: Record<string, string> = {};
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  for (const part of format.formatToParts(instant)) parts[part.type] = part.value;
  return `${monthNames[Number(parts.month) - 1]} ${parts.day.padStart(2, ' ')} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** A syslog line with its timestamp and host replaced (the host marks one request's lines). */
function restamped(line: string, stamp: string, host: string): string {
  return line.replace(/^(<\d+>)?[A-Z][a-z]{2} +\d+ \d\d:\d\d:\d\d \S+/, `$1${stamp} ${host}`);
}

/** The `nth` real auth.log line of `program`, restamped. */
function authLine(program: string, stamp: string, host: string, nth = 0): string {
  return restamped(authLog.filter((candidate) => candidate.includes(` ${program}[`))[nth], stamp, host);
}

/**
 * docs/FORWARDERS.md "Declaring what you send" and docs/INGEST.md: a forwarder key declares the format, dataset
 * and zone of what its forwarder sends, as a syslog sender does in the members file; a request
 * overrides them with X-Log-Format, X-Log-Dataset and X-Log-Time-Zone. Events are read back from
 * Elasticsearch, where alerting's indexer put them.
 */
describe('forwarder keys declaring dataset and time zone, through the running collector', () => {
  let env: Record<string, string>;
  let collector: AppProcess;
  let alerting: AppProcess;
  let redis: Redis;
  let dir: string;
  const es = createElasticsearchClient(elasticsearchUrl);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'forwarder-key-declarations-e2e-'));
    const membersFile = join(dir, 'members.yaml');
    writeFileSync(membersFile, ['members:', `  - id: "${member}"`, `    time_zone: ${memberZone}`, ''].join('\n'));
    env = await isolatedEnv({ MEMBERS_FILE: membersFile });
    redis = createRedis(env.REDIS_URL, 'worker', 'e2e-forwarder-key-declarations');
    collector = new AppProcess('collector', env).start();
    alerting = new AppProcess('alerting', env).start();
    await Promise.all([collector.waitReady(), alerting.waitReady()]);
  });

  afterAll(async () => {
    await Promise.all([collector?.kill(), alerting?.kill()]);
    await removeRedisKeys(redis, env);
    redis.disconnect();
    await removeIndices(es, env);
    await es.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const admin = () => new TokenIssuer(env.JWT_SECRET).issue({ sub: 'e2e-admin', role: 'soc_admin' });
  const createKey = (body: unknown) =>
    fetch(`${collector.url}/v1/admin/forwarder-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin()}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const issue = async (body: Record<string, unknown>): Promise<{ id: string; key: string }> => {
    const created = await createKey({ member_id: member, ...body });
    expect(created.status).toBe(201);
    return (await created.json()) as { id: string; key: string };
  };
  const post = (key: string, lines: string[], headers: Record<string, string> = {}) =>
    fetch(`${collector.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `ApiKey ${key}`, 'content-type': 'text/plain', ...headers },
      body: `${lines.join('\n')}\n`,
    });

  /** The events of one host, as Elasticsearch holds them, in the order of `event.original`'s place in `lines`. */
  const storedEvents = async (host: string, lines: string[]): Promise<SocEvent[]> => {
    let found: SocEvent[] = [];
    const index = `${env.INDEX_PREFIX}-events-*`;
    await waitFor(
      async () => {
        await es.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
        const reply = await es.search<SocEvent>({
          index,
          query: { term: { 'host.hostname': host } },
          size: 100,
          ignore_unavailable: true,
          allow_no_indices: true,
        });
        found = reply.hits.hits.map((hit) => hit._source!);
        return found.length >= lines.length;
      },
      30_000,
      () => `${found.length} of ${lines.length} events of ${host}:\n${collector.log.slice(-2000)}\n${alerting.log.slice(-2000)}`,
    );
    expect(found).toHaveLength(lines.length);
    return lines.map((line) => found.find((event) => event.event.original === line)!);
  };

  it('refuses a key whose dataset or time_zone is malformed, naming each field', async () => {
    const refused = await createKey({ member_id: member, dataset: 'Nginx', time_zone: 'America/NewYork' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: 'invalid_request',
      message: 'fix the listed fields',
      problems: [
        { path: 'dataset', message: 'must be <module>.<dataset> in lower case, such as fortinet.firewall' },
        { path: 'time_zone', message: 'must be an IANA time zone such as Europe/Copenhagen or UTC' },
      ],
    });
  });

  it("files lines of programs the parsers do not know under the key's dataset, a recognised program under its own; X-Log-Dataset overrides the key", async () => {
    const key = await issue({ label: 'firewall relay', format: 'syslog', dataset: 'cisco.asa' });
    const undeclared = await issue({ label: 'no dataset' });
    const stamp = bsdStamp(new Date(Date.now() - 2 * 3_600_000), memberZone);
    const lines = [restamped(ciscoPixLine, stamp, 'dataset-key'), authLine('sshd', stamp, 'dataset-key', 1)];
    expect((await post(key.key, lines)).status).toBe(202);
    const overridden = [restamped(gatewayLine, stamp, 'dataset-header')];
    expect((await post(key.key, overridden, { 'x-log-dataset': 'example.gateway' })).status).toBe(202);
    const plain = [restamped(ciscoPixLine, stamp, 'dataset-none')];
    expect((await post(undeclared.key, plain)).status).toBe(202);

    const [pix, sshd] = await storedEvents('dataset-key', lines);
    expect([pix, sshd].map((event) => [event.event.dataset, event.event.module])).toEqual([
      ['cisco.asa', 'cisco'],
      ['linux.sshd', 'linux'],
    ]);
    expect(pix).toMatchObject({ organization: { id: member }, message: expect.stringContaining('UDP request discarded') });
    const [byHeader] = await storedEvents('dataset-header', overridden);
    expect([byHeader.event.dataset, byHeader.event.module]).toEqual(['example.gateway', 'example']);
    const [byNone] = await storedEvents('dataset-none', plain);
    expect(byNone.event.dataset).toBe('linux.syslog');

    const malformed = await post(key.key, [restamped(gatewayLine, stamp, 'dataset-refused')], { 'x-log-dataset': 'Example.Gateway' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({
      error: 'invalid_dataset',
      message: 'X-Log-Dataset must be <module>.<dataset> in lower case, such as fortinet.firewall',
      field: 'X-Log-Dataset',
    });
  });

  it("reads a key declaring nginx-access and nginx.access: access lines are nginx's, and a declared dataset never renames a parsed web event", async () => {
    const key = await issue({ label: 'nginx on web1', format: 'nginx-access', dataset: 'nginx.access' });
    const lines = apacheLog.slice(0, 3);
    // Read as `auto` these would be apache.access: nginx.access comes from the key's format, and the
    // header's dataset does not replace a dataset a parser gave.
    expect((await post(key.key, lines, { 'x-log-dataset': 'web.proxy' })).status).toBe(202);
    const index = `${env.INDEX_PREFIX}-events-*`;
    let found: SocEvent[] = [];
    await waitFor(
      async () => {
        await es.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
        const reply = await es.search<SocEvent>({
          index,
          query: { term: { 'event.dataset': 'nginx.access' } },
          size: 100,
          ignore_unavailable: true,
          allow_no_indices: true,
        });
        found = reply.hits.hits.map((hit) => hit._source!);
        return found.length >= lines.length;
      },
      30_000,
      () => `${found.length} of ${lines.length}:\n${collector.log.slice(-2000)}`,
    );
    expect(found.map((event) => event.event.original).sort()).toEqual([...lines].sort());
    for (const event of found) expect(event).toMatchObject({ event: { dataset: 'nginx.access', module: 'nginx' }, organization: { id: member } });
  });

  it("reads offset-less times in X-Log-Time-Zone, else the key's zone, else the member's", async () => {
    const newYork = await issue({ label: 'New York relay', time_zone: 'America/New_York' });
    const plain = await issue({ label: 'no zone' });
    const instant = new Date(Math.floor((Date.now() - 3 * 3_600_000) / 1000) * 1000);
    const byKey = [authLine('sshd', bsdStamp(instant, 'America/New_York'), 'zone-key', 1)];
    const byHeader = [authLine('sshd', bsdStamp(instant, 'UTC'), 'zone-header', 1)];
    const byMember = [authLine('sshd', bsdStamp(instant, memberZone), 'zone-member', 1)];
    expect((await post(newYork.key, byKey)).status).toBe(202);
    expect((await post(newYork.key, byHeader, { 'x-log-time-zone': 'UTC' })).status).toBe(202);
    expect((await post(plain.key, byMember)).status).toBe(202);

    const [key] = await storedEvents('zone-key', byKey);
    const [header] = await storedEvents('zone-header', byHeader);
    const [fallback] = await storedEvents('zone-member', byMember);
    // Three wall clocks, one instant: each line was read in the zone its precedence gives it.
    expect([key, header, fallback].map((event) => [event['@timestamp'], event.event.timezone])).toEqual([
      [instant.toISOString(), 'America/New_York'],
      [instant.toISOString(), 'UTC'],
      [instant.toISOString(), memberZone],
    ]);
  });

  it('lists what each key declares, and the CLI issues and refuses declarations as the admin route does', async () => {
    const cli = (args: string[]) =>
      run(process.execPath, ['-r', join(root, 'scripts/register-paths.js'), join(root, 'dist/apps/cli/src/main.js'), ...args], {
        env: { PATH: process.env.PATH ?? '', ...env },
      });
    const { stdout } = await cli([
      'keys',
      'create',
      '--member',
      member,
      '--label',
      'cli relay',
      '--format',
      'syslog',
      '--dataset',
      'fortinet.firewall',
      '--time-zone',
      'Europe/London',
    ]);
    const issued = JSON.parse(stdout) as { id: string };
    await expect(cli(['keys', 'create', '--member', member, '--time-zone', 'Europe/Londn'])).rejects.toMatchObject({
      stderr: expect.stringContaining(
        "option '--time-zone <zone>' argument 'Europe/Londn' is invalid. must be an IANA time zone such as Europe/Copenhagen or UTC",
      ),
    });
    await expect(cli(['keys', 'create', '--member', member, '--dataset', 'firewall'])).rejects.toMatchObject({
      stderr: expect.stringContaining('must be <module>.<dataset> in lower case'),
    });

    const listed = await fetch(`${collector.url}/v1/admin/forwarder-keys?member=${member}`, { headers: { authorization: `Bearer ${admin()}` } });
    const { keys } = (await listed.json()) as { keys: Array<Record<string, unknown>> };
    expect(keys.find((record) => record.id === issued.id)).toEqual({
      id: issued.id,
      member_id: member,
      label: 'cli relay',
      created_at: expect.any(String),
      format: 'syslog',
      dataset: 'fortinet.firewall',
      time_zone: 'Europe/London',
    });
    expect(keys.find((record) => record.label === 'no zone')).not.toHaveProperty('time_zone');
  });
});
