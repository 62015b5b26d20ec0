import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { stampEvent } from '@soc/ingest';
import { parseSyslogLine } from '@soc/parsing';
import { createRedis } from '@soc/redis';

/**
 * `npm run bench:syslog`: messages/s a collector process takes over syslog TCP (octet-counted
 * RFC 5424 sshd/PAM lines, several connections, until every message is accepted into the
 * stream), beside the parse + stamp cost of the same messages on one core without I/O. Prints
 * one JSON object. Not part of the collector: run from `dist/` only.
 */
const root = join(__dirname, '..', '..', '..', '..', '..', '..');

const templates = [
  (i: number) => `<38>1 2026-11-28T10:00:${String(i % 60).padStart(2, '0')}Z web01.aarhus.dk sshd ${1000 + (i % 97)} - - Failed password for invalid user u${i % 13} from 203.0.113.${i % 250} port ${40000 + (i % 20000)} ssh2`,
  (i: number) => `<86>1 2026-11-28T10:00:${String(i % 60).padStart(2, '0')}Z web01.aarhus.dk sshd ${1000 + (i % 97)} - - pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.${i % 250}  user=root`,
  (i: number) => `<38>Nov 28 10:00:${String(i % 60).padStart(2, '0')} fw01 sshd[${i % 9999}]: Accepted publickey for deploy from 192.0.2.${i % 250} port 51234 ssh2: ED25519 SHA256:abc`,
];
const message = (i: number) => templates[i % templates.length](i);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function parseAndStampPerSecond(count: number): number {
  const lines = Array.from({ length: 3000 }, (_, i) => Buffer.from(message(i)));
  const now = new Date();
  const ingested = now.toISOString();
  for (let i = 0; i < 3000; i++) parseSyslogLine(lines[i], { now, timeZone: 'Europe/Copenhagen' }); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const result = parseSyslogLine(lines[i % lines.length], { now, timeZone: 'Europe/Copenhagen' });
    if (result.ok) stampEvent(result.event, '0751', ingested);
  }
  return Math.round(count / (Number(process.hrtime.bigint() - start) / 1e9));
}

async function send(port: number, frames: Buffer): Promise<void> {
  const socket: Socket = connect({ host: '127.0.0.1', port });
  await new Promise((resolve) => socket.once('connect', resolve));
  for (let offset = 0; offset < frames.length; offset += 64 * 1024) {
    if (!socket.write(frames.subarray(offset, offset + 64 * 1024))) await new Promise((resolve) => socket.once('drain', resolve));
  }
  await new Promise<void>((resolve) => socket.end(() => resolve()));
}

async function main(): Promise<void> {
  const options = new Command()
    .option('--messages <n>', 'messages in all', '200000')
    .option('--connections <n>', 'TCP connections sending at once', '4')
    .parse()
    .opts<{ messages: string; connections: string }>();
  const total = Number(options.messages);
  const connections = Number(options.connections);

  const dir = mkdtempSync(join(tmpdir(), 'bench-syslog-'));
  writeFileSync(join(dir, 'members.yaml'), 'members:\n  - id: "0751"\n    forwarder_addresses: ["127.0.0.1/32"]\n');
  const [httpPort, tcpPort] = [await freePort(), await freePort()];
  const stream = `bench:${randomUUID().slice(0, 8)}:events`;
  const child = spawn(
    process.execPath,
    ['--max-semi-space-size=64', '-r', join(root, 'scripts/register-paths.js'), join(root, 'dist/apps/collector/src/main.js')],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        PATH: process.env.PATH ?? '', NODE_ENV: 'production', LOG_LEVEL: 'warn', JWT_SECRET: randomUUID() + randomUUID(),
        COLLECTOR_PORT: String(httpPort), EVENTS_STREAM: stream, KEY_PREFIX: stream, MEMBERS_FILE: join(dir, 'members.yaml'),
        SYSLOG_INPUTS: 'tcp', SYSLOG_TCP_PORT: String(tcpPort),
        INGEST_RATE_EVENTS_PER_SECOND: '10000000', INGEST_RATE_BURST_EVENTS: '10000000',
      },
    },
  );
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker', 'bench-syslog');
  const metrics = async (): Promise<number> => {
    const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
    const match = /^soc_ingest_events_accepted_total\{[^}]*transport="syslog_tcp"[^}]*\} (\d+)/m.exec(text);
    return match ? Number(match[1]) : 0;
  };
  try {
    while ((await fetch(`http://127.0.0.1:${httpPort}/health/ready`).catch(() => undefined))?.ok !== true) {
      if (child.exitCode !== null) throw new Error('collector did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const perConnection = Math.floor(total / connections);
    const payloads = Array.from({ length: connections }, (_, c) =>
      Buffer.concat(
        Array.from({ length: perConnection }, (_, i) => {
          const text = Buffer.from(message(c * perConnection + i));
          return Buffer.concat([Buffer.from(`${text.length} `), text]);
        }),
      ),
    );
    // Redis memory stays flat: the stream has no consumer, so it is trimmed while the load runs.
    const trim = setInterval(() => void redis.xtrim(stream, 'MAXLEN', 0), 500);
    const start = Date.now();
    await Promise.all(payloads.map((payload) => send(tcpPort, payload)));
    const expected = perConnection * connections;
    while ((await metrics()) < expected) await new Promise((r) => setTimeout(r, 50));
    const seconds = (Date.now() - start) / 1000;
    clearInterval(trim);
    process.stdout.write(
      `${JSON.stringify({
        messages: expected,
        connections,
        seconds,
        syslog_tcp_lps: Math.round(expected / seconds),
        cpu_parse_stamp_lps: parseAndStampPerSecond(200_000),
        bytes_per_message: Math.round(payloads[0].length / perConnection),
      })}\n`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
    await redis.del(stream, `${stream}:ingest-dead-letter`);
    const leftovers = await redis.keys(`${stream}*`);
    if (leftovers.length > 0) await redis.del(...leftovers);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench:syslog failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
