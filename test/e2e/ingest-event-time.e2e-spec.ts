import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SocEvent } from '@soc/contracts';
import { createRedis, type Redis } from '@soc/redis';
import { removeRedisKeys } from './support/cleanup';
import { createForwarderKey } from './support/deployment-start';
import { AppProcess, freePort, isolatedEnv, waitFor } from './support/stack';

const run = promisify(execFile);
const dataDir = join(__dirname, '../../../shared/data');
const authLogPath = join(dataDir, 'elastic-examples/ssh/auth.log');
const apacheLogPath = join(dataDir, 'elastic-examples/apache/apache_logs');

const newYork = '0751'; // Aarhus, configured here as if its servers logged New York time
const copenhagen = '0461'; // Odense, no zone of its own: the collector's default
const collectorZone = 'Europe/Copenhagen'; // SYSLOG_TIME_ZONE's default, left unset below

/**
 * Aarhus sends syslog from 127.0.0.4 (a plain forwarder address) and from 127.0.0.1, a sender
 * declared to send Apache access lines; Odense from 127.0.0.2.
 */
function membersFile(dir: string): string {
  const path = join(dir, 'members.yaml');
  writeFileSync(
    path,
    [
      'members:',
      `  - id: "${newYork}"`,
      '    time_zone: America/New_York',
      '    forwarder_addresses: ["127.0.0.4/32"]',
      '    forwarders:',
      '      - address: 127.0.0.1/32',
      '        format: apache-access',
      `  - id: "${copenhagen}"`,
      '    forwarder_addresses: ["127.0.0.2/32"]',
      '',
    ].join('\n'),
  );
  return path;
}

async function streamEvents(redis: Redis, stream: string): Promise<SocEvent[]> {
  const entries = await redis.xrange(stream, '-', '+');
  return entries.flatMap(([, fields]) => (JSON.parse(fields[1]) as { events: SocEvent[] }).events);
}

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `YYYY Mmm dd hh:mm:ss` of an instant on the wall clock of `timeZone` (Intl, not the product's code). */
function wallClock(instant: string, timeZone: string): string {
  const parts: Record<string, string> = {};
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  for (const part of format.formatToParts(new Date(instant))) parts[part.type] = part.value;
  return `${parts.year} ${monthNames[Number(parts.month) - 1]} ${parts.day.padStart(2, ' ')} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** The BSD timestamp a line starts with, day padded as `wallClock` pads it. */
function lineTimestamp(line: string): string {
  const [, month, day, time] = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d\d:\d\d:\d\d)/.exec(line)!;
  return `${month} ${day.padStart(2, ' ')} ${time}`;
}

/** Sends lines over syslog TCP from a chosen loopback address (a forwarder at that address). */
async function sendFrom(localAddress: string, port: number, lines: string[]): Promise<void> {
  const socket = connect({ host: '127.0.0.1', port, localAddress });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  await new Promise<void>((resolve) => socket.end(lines.map((line) => `${line}\n`).join(''), () => resolve()));
}

/**
 * docs/INGEST.md "Event time" and docs/FORWARDERS.md: offset-less times in each member's zone on
 * every input, the year of year-less times from the forwarder's clock and the file's order, and
 * syslog senders read in the format the members file declares for them.
 */
describe('event time and declared senders through the running collector', () => {
  let env: Record<string, string>;
  let collector: AppProcess;
  let redis: Redis;
  let dir: string;
  let tcpPort: number;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ingest-event-time-e2e-'));
    tcpPort = await freePort();
    env = await isolatedEnv({ MEMBERS_FILE: membersFile(dir), SYSLOG_INPUTS: 'tcp', SYSLOG_TCP_PORT: String(tcpPort) });
    redis = createRedis(env.REDIS_URL, 'worker', 'e2e-ingest-event-time');
    keys[newYork] = await createForwarderKey(env, newYork);
    keys[copenhagen] = await createForwarderKey(env, copenhagen);
    collector = new AppProcess('collector', env).start();
    await collector.waitReady();
  });

  afterAll(async () => {
    await collector?.kill();
    await removeRedisKeys(redis, env);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (member: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${collector.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `ApiKey ${keys[member]}`, 'content-type': 'text/plain', ...headers },
      body,
    });

  const eventsWhere = async (predicate: (event: SocEvent) => boolean, count: number): Promise<SocEvent[]> => {
    let found: SocEvent[] = [];
    await waitFor(
      async () => {
        found = (await streamEvents(redis, env.EVENTS_STREAM)).filter(predicate);
        return found.length >= count;
      },
      30_000,
      () => `${found.length} of ${count} events:\n${collector.log.slice(-3000)}`,
    );
    return found;
  };
  const ofMember = (member: string, marker: string) => (event: SocEvent) =>
    event.organization?.id === member && String(event.event.original ?? '').includes(marker);

  it("reads the same offset-less line in each member's zone, over HTTP and over syslog TCP", async () => {
    // Yesterday 10:00:00 on the wall clock: inside the event-time window in every zone involved.
    const yesterday = new Date(Date.now() - 86_400_000);
    const stamp = `${monthNames[yesterday.getUTCMonth()]} ${String(yesterday.getUTCDate()).padStart(2, ' ')} 10:00:00`;
    const line = (address: string) => `${stamp} web01 sshd[77]: Failed password for root from ${address} port 52113 ssh2`;

    expect((await post(newYork, line('203.0.113.61'))).status).toBe(202);
    expect((await post(copenhagen, line('203.0.113.61'))).status).toBe(202);
    expect((await post(copenhagen, line('203.0.113.63'), { 'x-log-time-zone': 'Asia/Tokyo' })).status).toBe(202);
    await sendFrom('127.0.0.4', tcpPort, [line('203.0.113.62')]);
    await sendFrom('127.0.0.2', tcpPort, [line('203.0.113.62')]);

    const [httpNewYork] = await eventsWhere(ofMember(newYork, '203.0.113.61'), 1);
    const [httpCopenhagen] = await eventsWhere(ofMember(copenhagen, '203.0.113.61'), 1);
    const [httpTokyo] = await eventsWhere(ofMember(copenhagen, '203.0.113.63'), 1);
    const [syslogNewYork] = await eventsWhere(ofMember(newYork, '203.0.113.62'), 1);
    const [syslogCopenhagen] = await eventsWhere(ofMember(copenhagen, '203.0.113.62'), 1);

    const read = (event: SocEvent, zone: string) => ({
      wall: wallClock(event['@timestamp'], zone).slice(5),
      zone: event.event.timezone,
      retimed: event.tags ?? [],
    });
    const expected = (zone: string) => ({ wall: stamp, zone, retimed: [] });
    expect(read(httpNewYork, 'America/New_York')).toEqual(expected('America/New_York'));
    expect(read(syslogNewYork, 'America/New_York')).toEqual(expected('America/New_York'));
    expect(read(httpCopenhagen, collectorZone)).toEqual(expected(collectorZone));
    expect(read(syslogCopenhagen, collectorZone)).toEqual(expected(collectorZone));
    expect(read(httpTokyo, 'Asia/Tokyo')).toEqual(expected('Asia/Tokyo'));
    // The same text, two instants: New York's 10:00 is six (or five) hours after Copenhagen's.
    expect(Date.parse(httpNewYork['@timestamp']) - Date.parse(httpCopenhagen['@timestamp'])).toBeGreaterThanOrEqual(5 * 3_600_000);
    expect(syslogNewYork['@timestamp']).toBe(httpNewYork['@timestamp']);
  });

  it('reads a real year-less auth.log sent with a Date header from 2005 in 2005, re-timed to arrival with the claim kept', async () => {
    const lines = readFileSync(authLogPath, 'utf8')
      .split('\n')
      .filter((line) => line.length > 0);
    // curl, as an uploader would send the file; the Date header is the sender's clock.
    const { stdout } = await run(
      'curl',
      [
        '-sS',
        '-w',
        '\n%{http_code}',
        '-X',
        'POST',
        `${collector.url}/v1/events`,
        '-H',
        `Authorization: ApiKey ${keys[copenhagen]}`,
        '-H',
        'Content-Type: text/plain',
        '-H',
        'Date: Sat, 30 Apr 2005 12:00:00 GMT',
        '--data-binary',
        `@${authLogPath}`,
      ],
      { maxBuffer: 1024 * 1024 },
    );
    expect(stdout.trim().split('\n').pop()).toBe('202');

    const events = await eventsWhere((event) => event.organization?.id === copenhagen && event.host?.hostname === 'ip-10-77-20-248', lines.length);
    expect(events).toHaveLength(lines.length);
    const claims = events.map((event) => wallClock(event.soc!.claimed_timestamp!, collectorZone));
    expect(claims).toEqual(lines.map((line) => `2005 ${lineTimestamp(line)}`));
    for (const event of events) {
      expect(event['@timestamp']).toBe(event.event.ingested);
      expect(event.tags).toContain('timestamp_out_of_range');
    }
  }, 120_000);

  it('reads a file crossing New Year against X-Log-Reference-Time, stepping back a year before January', async () => {
    const real = readFileSync(authLogPath, 'utf8')
      .split('\n')
      .filter((line) => / sshd\[\d+\]: /.test(line))
      .slice(0, 4);
    const times = ['Dec 31 23:59:50', 'Dec 31 23:59:59', 'Jan  1 00:00:01', 'Jan  1 00:00:09'];
    const file = real.map((line, i) => line.replace(/^[A-Z][a-z]{2} +\d+ \d\d:\d\d:\d\d ip-10-77-20-248/, `${times[i]} newyear-host`));
    const answer = await post(copenhagen, file.join('\n'), { 'x-log-reference-time': '2006-01-01T06:00:00+01:00' });
    expect(answer.status).toBe(202);
    const events = await eventsWhere((event) => event.host?.hostname === 'newyear-host', 4);
    expect(events.map((event) => wallClock(event.soc!.claimed_timestamp!, collectorZone))).toEqual([
      '2005 Dec 31 23:59:50',
      '2005 Dec 31 23:59:59',
      '2006 Jan  1 00:00:01',
      '2006 Jan  1 00:00:09',
    ]);

    const refused = await post(copenhagen, file.join('\n'), { 'x-log-reference-time': 'new year 2006' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'invalid_reference_time', field: 'X-Log-Reference-Time' });
  });

  it('reads the lines of a syslog sender declared apache-access as web events, the same lines from an undeclared sender not', async () => {
    const access = readFileSync(apacheLogPath, 'utf8')
      .split('\n')
      .find((line) => line.includes('"GET /blog/geekery/'))!;
    const client = access.split(' ')[0];
    const path = /"GET (\S+) /.exec(access)![1];
    // util-linux logger from 127.0.0.1 (the declared sender), with a tag that does not name the server.
    await run('logger', ['--tcp', '--rfc3164', '-n', '127.0.0.1', '-P', String(tcpPort), '-t', 'weblog', access]);
    const [declared] = await eventsWhere(ofMember(newYork, path), 1);
    expect(declared).toMatchObject({
      event: { dataset: 'apache.access', module: 'apache', category: ['web'] },
      source: { ip: client },
      url: { original: path },
      log: { syslog: { appname: 'weblog' } },
    });

    // The very line logger sent, from Odense's plain forwarder address: recognised as syslog only.
    await sendFrom('127.0.0.2', tcpPort, [declared.event.original!]);
    const [undeclared] = await eventsWhere(ofMember(copenhagen, path), 1);
    expect(undeclared.event).toMatchObject({ dataset: 'linux.syslog' });
    expect(undeclared.url).toBeUndefined();
  });
});
