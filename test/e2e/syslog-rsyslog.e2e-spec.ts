import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SocEvent } from '@soc/contracts';
import { createRedis, type Redis } from '@soc/redis';
import { AppProcess, freePort, isolatedEnv, waitFor } from './support/stack';
import { loopbackForwarderMembersFile, privateRsyslogConfig } from './support/syslog-senders';

const run = promisify(execFile);
const shipped = join(__dirname, '..', '..', 'deploy', 'forwarders', 'rsyslog', '60-soc-forward.conf');

async function streamEvents(redis: Redis, stream: string): Promise<SocEvent[]> {
  const entries = await redis.xrange(stream, '-', '+');
  return entries.flatMap(([, fields]) => (JSON.parse(fields[1]) as { events: SocEvent[] }).events);
}

describe('rsyslogd forwarding with the shipped configuration', () => {
  let env: Record<string, string>;
  let collector: AppProcess;
  let rsyslogd: ChildProcess;
  let rsyslogOutput = '';
  let redis: Redis;
  let dir: string;
  let socket: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'syslog-rsyslog-'));
    const membersFile = loopbackForwarderMembersFile(dir, '0461');
    const port = await freePort();
    env = await isolatedEnv({ MEMBERS_FILE: membersFile, SYSLOG_INPUTS: 'tcp', SYSLOG_TCP_PORT: String(port) });
    redis = createRedis(env.REDIS_URL, 'worker', 'e2e-rsyslog');
    collector = new AppProcess('collector', env).start();
    await collector.waitReady();

    // The shipped action as a municipality installs it: only the target and port are theirs.
    const action = readFileSync(shipped, 'utf8').replace('target="soc-collector.example.dk"', 'target="127.0.0.1"').replace('port="5514"', `port="${port}"`);
    writeFileSync(join(dir, '60-soc-forward.conf'), action);
    const rsyslog = privateRsyslogConfig(dir, join(dir, '60-soc-forward.conf'));
    socket = rsyslog.socket;
    rsyslogd = spawn('rsyslogd', ['-n', '-f', rsyslog.config, '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
    rsyslogd.stdout!.on('data', (chunk: Buffer) => (rsyslogOutput += chunk.toString()));
    rsyslogd.stderr!.on('data', (chunk: Buffer) => (rsyslogOutput += chunk.toString()));
  });

  afterAll(async () => {
    if (rsyslogd && rsyslogd.exitCode === null) {
      const exited = new Promise((resolve) => rsyslogd.once('exit', resolve));
      rsyslogd.kill('SIGTERM');
      await exited;
    }
    await collector?.kill();
    await redis.del(env.EVENTS_STREAM, `${env.EVENTS_STREAM}:ingest-dead-letter`);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers local sshd lines normalised and stamped with the forwarder address member', async () => {
    await waitFor(
      async () =>
        await run('test', ['-S', socket]).then(
          () => true,
          () => false,
        ),
      15_000,
      () => rsyslogOutput,
    );
    const ips = ['198.51.100.21', '198.51.100.22', '198.51.100.23'];
    for (const ip of ips) {
      await run('logger', ['-u', socket, '-t', 'sshd', `Failed password for invalid user admin from ${ip} port 5022 ssh2`]);
    }
    let events: SocEvent[] = [];
    await waitFor(
      async () => {
        events = (await streamEvents(redis, env.EVENTS_STREAM)).filter((e) => ips.includes(String(e.source?.ip)));
        return events.length === ips.length;
      },
      30_000,
      () => `${rsyslogOutput}\n${collector.log}`,
    );
    for (const event of events) {
      expect(event.organization).toEqual({ id: '0461' });
      expect(event.event).toMatchObject({ dataset: 'linux.sshd', outcome: 'failure' });
      expect(String(event.event.original)).toMatch(/^<\d+>1 /); // RFC 5424, as the shipped template sends
    }
  });
});
