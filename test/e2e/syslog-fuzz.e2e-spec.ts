import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyslogFramer } from '@soc/parsing';
import { createRedis, type Redis } from '@soc/redis';
import { AppProcess, freePort, isolatedEnv, waitFor } from './support/stack';
import { loopbackForwarderMembersFile } from './support/syslog-senders';
import { seeded } from '../../bench/support/seeded-random';

const maxMessageBytes = 8192;

/** Real sshd lines (fail2ban's test log), mutated: flipped bytes, invalid UTF-8, cuts, giants, lying frames. */
function corpus(seed: number, count: number): Buffer[] {
  const random = seeded(seed); // replayable: a failing corpus is found again by its seed
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const base = readFileSync(join(__dirname, '../../../shared/data/fail2ban-test-logs/logs/sshd'), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0 && !l.startsWith('#'))
    .map((l) => `<38>${l}`);
  const messages: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    let bytes = Buffer.from(pick(base));
    switch (Math.floor(random() * 8)) {
      case 0: // unchanged
        break;
      case 1: // flipped bytes, including invalid UTF-8 and NUL, CR, LF
        bytes = Buffer.from(bytes);
        for (let k = 0; k < 1 + random() * 6; k++)
          bytes[Math.floor(random() * bytes.length)] = pick([0x00, 0x0a, 0x0d, 0xff, 0xfe, 0xc3, 0x3c, Math.floor(random() * 256)]);
        break;
      case 2: // cut short
        bytes = bytes.subarray(0, Math.floor(random() * bytes.length));
        break;
      case 3: // random bytes
        bytes = Buffer.from(Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256)));
        break;
      case 4: // a giant line (over the maximum, sometimes far over)
        bytes = Buffer.concat([bytes, Buffer.alloc(maxMessageBytes + Math.floor(random() * 100_000), pick(['A', '\xff', '[']))]);
        break;
      case 5: // a frame header that lies about its length
        bytes = Buffer.concat([Buffer.from(`${1 + Math.floor(random() * 2 * maxMessageBytes)} `), bytes]);
        break;
      case 6: // a correct octet-counted frame
        bytes = Buffer.concat([Buffer.from(`${bytes.length} `), bytes]);
        break;
      default: // headers and structured data gone wrong
        bytes = Buffer.from(
          pick(['<38>1 ', '<>', '<9999999999>', '<38>1 - - - - - [a', `<38>1 2026-13-99T99:99:99Z h a - - [x="${'\\'.repeat(50)}`, '']) +
            bytes.toString('latin1'),
          'latin1',
        );
    }
    messages.push(bytes);
  }
  return messages;
}

describe('syslog inputs under a fuzzed corpus', () => {
  let env: Record<string, string>;
  let collector: AppProcess;
  let redis: Redis;
  let dir: string;
  let tcpPort: number;
  let udpPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'syslog-fuzz-'));
    const membersFile = loopbackForwarderMembersFile(dir, '0751');
    [tcpPort, udpPort] = [await freePort(), await freePort()];
    env = await isolatedEnv({
      MEMBERS_FILE: membersFile,
      SYSLOG_INPUTS: 'tcp,udp',
      SYSLOG_TCP_PORT: String(tcpPort),
      SYSLOG_UDP_PORT: String(udpPort),
      SYSLOG_MAX_MESSAGE_BYTES: String(maxMessageBytes),
    });
    redis = createRedis(env.REDIS_URL, 'worker', 'e2e-syslog-fuzz');
    collector = new AppProcess('collector', env).start();
    await collector.waitReady();
  });

  afterAll(async () => {
    await collector?.kill();
    await redis.del(env.EVENTS_STREAM, `${env.EVENTS_STREAM}:ingest-dead-letter`);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const eventCount = async () =>
    (await redis.xrange(env.EVENTS_STREAM, '-', '+')).reduce((sum, [, fields]) => sum + (JSON.parse(fields[1]) as { events: unknown[] }).events.length, 0);
  const deadLetterCount = async (transport: string) =>
    (await redis.xrange(`${env.EVENTS_STREAM}:ingest-dead-letter`, '-', '+')).filter(([, fields]) => fields[fields.indexOf('transport') + 1] === transport)
      .length;
  const udpDropped = async () => {
    const text = await (await fetch(`${collector.url}/metrics`)).text();
    return [...text.matchAll(/^soc_ingest_events_refused_total\{[^}]*transport="syslog_udp"[^}]*reason="udp_dropped"[^}]*\} (\d+)$/gm)].reduce(
      (s, m) => s + Number(m[1]),
      0,
    );
  };
  const accounted = async (transport: string) => (await eventCount()) + (await deadLetterCount(transport));

  it('frames, parses or dead-letters every TCP message of the corpus', async () => {
    const connections = 10;
    const messages = corpus(20261128, 3000);
    let expectedFrames = 0;
    for (let c = 0; c < connections; c++) {
      const stream = Buffer.concat(messages.slice(c * 300, (c + 1) * 300).map((m) => Buffer.concat([m, Buffer.from(terminatorOf(c))])));
      // The same framer on the whole byte stream says how many messages the collector must account for.
      const framer = new SyslogFramer({ maxMessageBytes });
      expectedFrames += framer.push(stream).length + framer.end().length;
      const socket = connect({ host: '127.0.0.1', port: tcpPort });
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.end(stream, () => resolve(undefined)));
      await new Promise((resolve) => socket.once('close', resolve));
    }
    await waitFor(
      async () => (await accounted('syslog_tcp')) >= expectedFrames,
      60_000,
      () => collector.log,
    );
    expect(await accounted('syslog_tcp')).toBe(expectedFrames);
  });

  it('parses, dead-letters or counts as dropped every UDP datagram of the corpus', async () => {
    const before = await eventCount();
    const datagrams = corpus(4242, 600).filter((d) => d.length <= 60_000);
    const sender = createSocket('udp4');
    for (let i = 0; i < datagrams.length; i += 50) {
      for (const datagram of datagrams.slice(i, i + 50)) await new Promise((resolve) => sender.send(datagram, udpPort, '127.0.0.1', resolve));
      const sent = Math.min(i + 50, datagrams.length);
      // Waiting per burst keeps the kernel's receive buffer from overflowing: what it drops, nobody can count.
      await waitFor(
        async () => (await eventCount()) - before + (await deadLetterCount('syslog_udp')) + (await udpDropped()) >= sent,
        30_000,
        () => collector.log,
      );
    }
    sender.close();
    expect((await eventCount()) - before + (await deadLetterCount('syslog_udp')) + (await udpDropped())).toBe(datagrams.length);
  });

  it('stays live and still accepts a valid line afterwards', async () => {
    expect((await fetch(`${collector.url}/health/live`)).ok).toBe(true);
    const socket = connect({ host: '127.0.0.1', port: tcpPort });
    socket.end('<38>Nov 28 10:00:00 web01 sshd[1]: Failed password for root from 203.0.113.99 port 1 ssh2\n');
    await waitFor(
      async () => (await redis.xrange(env.EVENTS_STREAM, '-', '+')).some(([, fields]) => fields[1].includes('"203.0.113.99"')),
      15_000,
      () => collector.log,
    );
  });
});

/** Connections end their messages differently: LF, CRLF or NUL. */
function terminatorOf(connection: number): string {
  return ['\n', '\r\n', '\0'][connection % 3];
}
