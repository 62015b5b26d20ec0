import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { SyslogFramer } from '@soc/parsing';
import { createRedis, type Redis } from '@soc/redis';
import { removeRedisKeys } from './support/cleanup';
import { checkAsyncProperty } from './support/fuzz';
import { AppProcess, freePort, isolatedEnv, waitFor } from './support/stack';
import { framed, messageBytes, syslogMessageSpec, tcpFraming, type SyslogMessageSpec } from './support/syslog-arbitraries';
import { loopbackForwarderMembersFile } from './support/syslog-senders';

const maxMessageBytes = 8192;

/**
 * Property-based fuzzing of the syslog inputs (fast-check, seeded: FUZZ_SEED): generated RFC
 * 5424/3164 lines, CEF, junk, oversized lines and NUL bytes from an allow-listed sender. Each
 * run is accounted for before the next: every framed message is an accepted event or an ingest
 * dead letter (UDP: or a counted drop), never silently lost. syslog-fuzz.e2e-spec.ts replays
 * mutated real sshd logs in bulk; this file shrinks a failure to the smallest message list.
 */
describe('fuzzed syslog inputs', () => {
  let env: Record<string, string>;
  let collector: AppProcess;
  let redis: Redis;
  let dir: string;
  let tcpPort: number;
  let udpPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fuzz-syslog-'));
    [tcpPort, udpPort] = [await freePort(), await freePort()];
    env = await isolatedEnv({
      MEMBERS_FILE: loopbackForwarderMembersFile(dir, '0751'),
      SYSLOG_INPUTS: 'tcp,udp',
      SYSLOG_TCP_PORT: String(tcpPort),
      SYSLOG_UDP_PORT: String(udpPort),
      SYSLOG_MAX_MESSAGE_BYTES: String(maxMessageBytes),
    });
    redis = createRedis(env.REDIS_URL, 'worker', 'e2e-fuzz-syslog');
    collector = new AppProcess('collector', env).start();
    await collector.waitReady();
  });

  afterAll(async () => {
    await collector?.kill();
    await removeRedisKeys(redis, env);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const eventCount = async () =>
    ((await redis.xrange(env.EVENTS_STREAM, '-', '+')) as Array<[string, string[]]>).reduce(
      (sum, [, fields]) => sum + (JSON.parse(fields[fields.indexOf('b') + 1]) as { events: unknown[] }).events.length,
      0,
    );
  const deadLetterCount = async (transport: string) =>
    ((await redis.xrange(`${env.EVENTS_STREAM}:ingest-dead-letter`, '-', '+')) as Array<[string, string[]]>).filter(
      ([, fields]) => fields[fields.indexOf('transport') + 1] === transport,
    ).length;
  const udpDropped = async () => {
    const text = await (await fetch(`${collector.url}/metrics`)).text();
    return [...text.matchAll(/^soc_ingest_events_refused_total\{[^}]*transport="syslog_udp"[^}]*reason="udp_dropped"[^}]*\} (\d+)$/gm)].reduce(
      (s, m) => s + Number(m[1]),
      0,
    );
  };

  /** Waits until `count()` grew by `expected` since `before`; fails if it does not, or grows by more. */
  const accountedFor = async (what: string, count: () => Promise<number>, before: number, expected: number, spec: unknown) => {
    let now = before;
    await waitFor(async () => (now = await count()) - before >= expected, 10_000).catch(() => undefined);
    if (now - before !== expected) {
      throw new Error(
        `${what}: ${expected} messages sent, ${now - before} accounted for (events + dead letters)\nmessages: ${JSON.stringify(spec).slice(0, 2000)}\n${collector.log.slice(-1000)}`,
      );
    }
    const live = await fetch(`${collector.url}/health/live`).catch(() => undefined);
    if (!live?.ok) throw new Error(`the collector is no longer live after ${JSON.stringify(spec).slice(0, 2000)}\n${collector.log.slice(-2000)}`);
  };

  it('frames, parses or dead-letters every message of a fuzzed TCP connection', async () => {
    const tcpAccounted = async () => (await eventCount()) + (await deadLetterCount('syslog_tcp'));
    await checkAsyncProperty(
      fc.asyncProperty(
        fc.array(syslogMessageSpec(maxMessageBytes), { minLength: 1, maxLength: 15 }),
        tcpFraming,
        async (specs: SyslogMessageSpec[], framing) => {
          const stream = framed(
            specs.map((s) => messageBytes(s, maxMessageBytes)),
            framing,
          );
          // The same framer on the whole byte stream says how many messages the collector must account for.
          const framer = new SyslogFramer({ maxMessageBytes });
          const expected = framer.push(stream).length + framer.end().length;
          const before = await tcpAccounted();
          const socket = connect({ host: '127.0.0.1', port: tcpPort });
          socket.on('error', () => undefined);
          await new Promise((resolve) => socket.end(stream, () => resolve(undefined)));
          await new Promise((resolve) => socket.once('close', resolve));
          await accountedFor('TCP', tcpAccounted, before, expected, { framing, specs });
        },
      ),
      40,
    );
    // The arbitraries reach both outcomes: parsed events and dead letters.
    expect(await eventCount()).toBeGreaterThan(0);
    expect(await deadLetterCount('syslog_tcp')).toBeGreaterThan(0);
  });

  it('parses, dead-letters or counts as dropped every fuzzed UDP datagram', async () => {
    const udpAccounted = async () => (await eventCount()) + (await deadLetterCount('syslog_udp')) + (await udpDropped());
    const sender = createSocket('udp4');
    try {
      await checkAsyncProperty(
        fc.asyncProperty(fc.array(syslogMessageSpec(maxMessageBytes), { minLength: 1, maxLength: 10 }), async (specs: SyslogMessageSpec[]) => {
          const datagrams = specs.map((s) => messageBytes(s, maxMessageBytes)).filter((d) => d.length > 0 && d.length <= 60_000);
          const before = await udpAccounted();
          for (const datagram of datagrams) await new Promise((resolve) => sender.send(datagram, udpPort, '127.0.0.1', resolve));
          await accountedFor('UDP', udpAccounted, before, datagrams.length, specs);
        }),
        30,
      );
    } finally {
      sender.close();
    }
  });
});
