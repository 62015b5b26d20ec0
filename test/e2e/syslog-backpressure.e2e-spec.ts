import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedis, type Redis } from '@soc/redis';
import { AppProcess, freePort, isolatedEnv, waitFor } from './support/stack';
import { loopbackForwarderMembersFile } from './support/syslog-senders';

describe('syslog TCP when the collector refuses batches', () => {
  let env: Record<string, string>;
  let collector: AppProcess;
  let redis: Redis;
  let dir: string;
  let tcpPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'syslog-pressure-'));
    const membersFile = loopbackForwarderMembersFile(dir, '0751');
    tcpPort = await freePort();
    env = await isolatedEnv({
      MEMBERS_FILE: membersFile,
      SYSLOG_INPUTS: 'tcp',
      SYSLOG_TCP_PORT: String(tcpPort),
      // A member rate far below what the sender sends: most batches are refused at first.
      INGEST_RATE_EVENTS_PER_SECOND: '400',
      INGEST_RATE_BURST_EVENTS: '400',
    });
    redis = createRedis(env.REDIS_URL, 'worker', 'e2e-syslog-pressure');
    collector = new AppProcess('collector', env).start();
    await collector.waitReady();
  });

  afterAll(async () => {
    await collector?.kill();
    const leftovers = await redis.keys(`${env.KEY_PREFIX}*`);
    await redis.del(env.EVENTS_STREAM, `${env.EVENTS_STREAM}:ingest-dead-letter`, ...leftovers);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const refusedRateLimited = async (): Promise<number> => {
    const text = await (await fetch(`${collector.url}/metrics`)).text();
    const match = /^soc_ingest_events_refused_total\{[^}]*transport="syslog_tcp"[^}]*reason="rate_limited"[^}]*\} (\d+)$/m.exec(text);
    return match ? Number(match[1]) : 0;
  };

  it('pauses the connection, retries the refused batches and loses none of them', async () => {
    const count = 2000;
    const socket = connect({ host: '127.0.0.1', port: tcpPort });
    const lines = Array.from(
      { length: count },
      (_, i) => `<38>Nov 28 10:00:00 web01 sshd[1]: Failed password for root from 203.0.113.${i % 250} port ${10000 + i} ssh2\n`,
    );
    socket.end(lines.join(''));
    let events: Array<{ source?: { port?: number } }> = [];
    await waitFor(
      async () => {
        const entries = await redis.xrange(env.EVENTS_STREAM, '-', '+');
        events = entries.flatMap(([, fields]) => (JSON.parse(fields[1]) as { events: typeof events }).events);
        return events.length >= count;
      },
      30_000,
      () => collector.log,
    );
    expect(await refusedRateLimited()).toBeGreaterThan(0);
    // Every line exactly once, in the order sent.
    expect(events.map((e) => e.source?.port)).toEqual(lines.map((_, i) => 10000 + i));
  });
});
