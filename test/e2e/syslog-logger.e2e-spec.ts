import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SocEvent } from '@soc/contracts';
import { createRedis, type Redis } from '@soc/redis';
import { AppProcess, freePort, isolatedEnv, waitFor } from './support/stack';
import { loopbackForwarderMembersFile } from './support/syslog-senders';

const run = promisify(execFile);

/** Every event in the test's own stream (one stream entry = one batch). */
async function streamEvents(redis: Redis, stream: string): Promise<SocEvent[]> {
  const entries = await redis.xrange(stream, '-', '+');
  return entries.flatMap(([, fields]) => (JSON.parse(fields[1]) as { events: SocEvent[] }).events);
}

describe('syslog over TCP and UDP from util-linux logger', () => {
  let env: Record<string, string>;
  let collector: AppProcess;
  let redis: Redis;
  let dir: string;
  let tcpPort: number;
  let udpPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'syslog-e2e-'));
    // 127.0.0.1 is Aarhus's forwarder; 127.0.0.2 is nobody's.
    const membersFile = loopbackForwarderMembersFile(dir, '0751');
    [tcpPort, udpPort] = [await freePort(), await freePort()];
    env = await isolatedEnv({
      MEMBERS_FILE: membersFile,
      SYSLOG_INPUTS: 'tcp,udp',
      SYSLOG_TCP_PORT: String(tcpPort),
      SYSLOG_UDP_PORT: String(udpPort),
      SYSLOG_MAX_MESSAGE_BYTES: '4096',
      SYSLOG_TIME_ZONE: 'UTC',
    });
    redis = createRedis(env.REDIS_URL, 'worker', 'e2e-syslog');
    collector = new AppProcess('collector', env).start();
    await collector.waitReady();
  });

  afterAll(async () => {
    await collector?.kill();
    await redis.del(env.EVENTS_STREAM, `${env.EVENTS_STREAM}:ingest-dead-letter`);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const eventWith = async (marker: string): Promise<SocEvent> => {
    let found: SocEvent | undefined;
    await waitFor(
      async () => {
        found = (await streamEvents(redis, env.EVENTS_STREAM)).find((e) => String(e.message ?? '').includes(marker));
        return found !== undefined;
      },
      15_000,
      () => `no event with ${marker}:\n${collector.log}`,
    );
    return found!;
  };

  const deadLetters = async (): Promise<Record<string, string>[]> =>
    (await redis.xrange(`${env.EVENTS_STREAM}:ingest-dead-letter`, '-', '+')).map(([, fields]) => {
      const record: Record<string, string> = {};
      for (let i = 0; i < fields.length; i += 2) record[fields[i]] = fields[i + 1];
      return record;
    });

  it.each([
    ['TCP', 'RFC 5424', ['--tcp', '--rfc5424'], '203.0.113.9'],
    ['TCP, octet counted', 'RFC 5424', ['--tcp', '--octet-count', '--rfc5424'], '203.0.113.10'],
    ['TCP', 'RFC 3164', ['--tcp', '--rfc3164'], '203.0.113.11'],
    ['UDP', 'RFC 5424', ['--udp', '--rfc5424'], '203.0.113.12'],
    ['UDP', 'RFC 3164', ['--udp', '--rfc3164'], '203.0.113.13'],
  ])('normalises an sshd failure sent over %s as %s and stamps the sender address member', async (_t, _f, flags, ip) => {
    const port = flags.includes('--udp') ? udpPort : tcpPort;
    const text = `Failed password for root from ${ip} port 4242 ssh2`;
    await run('logger', [...flags, '-n', '127.0.0.1', '-P', String(port), '-t', 'sshd', text]);
    const event = await eventWith(ip);
    expect(event.organization).toEqual({ id: '0751' });
    expect(event.event).toMatchObject({ dataset: 'linux.sshd', outcome: 'failure' });
    expect(event.source).toMatchObject({ ip });
    expect(event.event.id).toEqual(expect.any(String));
  });

  it('takes the member from the sender address, never from the payload', async () => {
    const payload = '<38>1 2026-11-28T10:00:00Z web01 sshd 1 - [organization id="0101"] Failed password for root from 203.0.113.14 port 1 ssh2';
    await run('logger', ['--tcp', '-n', '127.0.0.1', '-P', String(tcpPort), '--rfc5424', '-t', 'sshd', payload]);
    expect((await eventWith('203.0.113.14')).organization).toEqual({ id: '0751' });
  });

  it('closes a TCP connection from a sender that is not allow-listed, accepting nothing', async () => {
    const socket = connect({ host: '127.0.0.1', port: tcpPort, localAddress: '127.0.0.2' });
    socket.on('error', () => undefined);
    socket.write('<38>Nov 28 10:00:00 web01 sshd[1]: Failed password for root from 203.0.113.15 port 1 ssh2\n');
    await new Promise((resolve) => socket.on('close', resolve));
    // A datagram from the same stranger, then one from the forwarder: only the second arrives.
    const stranger = createSocket('udp4');
    await new Promise<void>((resolve) => stranger.bind(0, '127.0.0.2', resolve));
    await new Promise((resolve) =>
      stranger.send('<38>Nov 28 10:00:00 web01 sshd[1]: Failed password for root from 203.0.113.16 port 1 ssh2', udpPort, '127.0.0.1', resolve),
    );
    stranger.close();
    await run('logger', ['--udp', '-n', '127.0.0.1', '-P', String(udpPort), '-t', 'sshd', 'Failed password for root from 203.0.113.17 port 1 ssh2']);
    await eventWith('203.0.113.17');
    const messages = (await streamEvents(redis, env.EVENTS_STREAM)).map((e) => String(e.message));
    expect(messages.some((m) => m.includes('203.0.113.15') || m.includes('203.0.113.16'))).toBe(false);
  });

  it('keeps an unparsable line in the dead letters with its reason', async () => {
    const socket = connect({ host: '127.0.0.1', port: tcpPort });
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.end('<999>not syslog at all dead-letter-marker\n');
    await waitFor(
      async () => (await deadLetters()).some((d) => d.raw.includes('dead-letter-marker')),
      15_000,
      () => collector.log,
    );
    const letter = (await deadLetters()).find((d) => d.raw.includes('dead-letter-marker'))!;
    expect(letter).toMatchObject({ member: '0751', transport: 'syslog_tcp' });
    expect(letter.reason.length).toBeGreaterThan(0);
  });

  it('dead-letters an oversize message with its reason and reads on after it', async () => {
    const socket = connect({ host: '127.0.0.1', port: tcpPort });
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`<38>Nov 28 10:00:00 web01 app: ${'x'.repeat(5000)}\n`);
    socket.end('<38>Nov 28 10:00:00 web01 sshd[1]: Failed password for root from 203.0.113.18 port 1 ssh2\n');
    await eventWith('203.0.113.18');
    await waitFor(async () => (await deadLetters()).some((d) => d.reason === 'message exceeds the maximum size of 4096 bytes'), 15_000);
  });

  it('dead-letters an oversize datagram with its reason', async () => {
    const sender = createSocket('udp4');
    await new Promise((resolve) => sender.send(`<38>Nov 28 10:00:00 web01 app: ${'y'.repeat(5000)}`, udpPort, '127.0.0.1', resolve));
    sender.close();
    await waitFor(
      async () => (await deadLetters()).some((d) => /^datagram of \d+ bytes exceeds the maximum message size of 4096 bytes$/.test(d.reason)),
      15_000,
    );
  });
});
