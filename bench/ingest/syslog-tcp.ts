import { connect } from 'node:net';
import type { BenchContext } from './main';

/** Realistic sshd/PAM lines, RFC 5424 and RFC 3164, as municipalities' rsyslog sends them. */
const templates = [
  (i: number) =>
    `<38>1 2026-11-28T10:00:${String(i % 60).padStart(2, '0')}Z web01.aarhus.dk sshd ${1000 + (i % 97)} - - Failed password for invalid user u${i % 13} from 203.0.113.${i % 250} port ${40000 + (i % 20000)} ssh2`,
  (i: number) =>
    `<86>1 2026-11-28T10:00:${String(i % 60).padStart(2, '0')}Z web01.aarhus.dk sshd ${1000 + (i % 97)} - - pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.${i % 250}  user=root`,
  (i: number) =>
    `<38>Nov 28 10:00:${String(i % 60).padStart(2, '0')} fw01 sshd[${i % 9999}]: Accepted publickey for deploy from 192.0.2.${i % 250} port 51234 ssh2: ED25519 SHA256:abc`,
];

/** `count` octet-counted frames (RFC 6587), as rsyslog's omfwd sends them. */
function frames(count: number, offset: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const text = Buffer.from(templates[(offset + i) % templates.length](offset + i));
    parts.push(Buffer.from(`${text.length} `), text);
  }
  return Buffer.concat(parts);
}

async function send(port: number, payload: Buffer): Promise<void> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise((resolve) => socket.once('connect', resolve));
  for (let at = 0; at < payload.length; at += 64 * 1024) {
    if (!socket.write(payload.subarray(at, at + 64 * 1024))) await new Promise((resolve) => socket.once('drain', resolve));
  }
  await new Promise<void>((resolve) => socket.end(() => resolve()));
}

/** Messages the collectors have accepted over syslog TCP, from their Prometheus counters. */
async function acceptedOverTcp(context: BenchContext): Promise<number> {
  let total = 0;
  for (const collector of context.collectors) {
    const text = await (await fetch(`${collector.url}/metrics`)).text();
    for (const match of text.matchAll(/^soc_ingest_events_accepted_total\{[^}]*transport="syslog_tcp"[^}]*\} (\d+)/gm)) {
      total += Number(match[1]);
    }
  }
  return total;
}

/**
 * Syslog over TCP: 4 connections per collector stream octet-counted lines as fast as the
 * collector reads them (it pauses a socket while its batch is written); timed until every line
 * is accepted into the stream.
 */
export async function syslogTcp(context: BenchContext): Promise<Record<string, number>> {
  const connectionsPerCollector = 4;
  const perConnection = Math.max(10_000, Math.round((40_000 * context.seconds) / connectionsPerCollector));
  const payloads = context.collectors.flatMap((collector, c) =>
    Array.from({ length: connectionsPerCollector }, (_, k) => ({
      port: collector.syslogPort,
      payload: frames(perConnection, (c * connectionsPerCollector + k) * perConnection),
    })),
  );
  const before = await acceptedOverTcp(context);
  const expected = before + payloads.length * perConnection;
  const start = process.hrtime.bigint();
  await Promise.all(payloads.map(({ port, payload }) => send(port, payload)));
  while ((await acceptedOverTcp(context)) < expected) await new Promise((r) => setTimeout(r, 20));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { syslog_tcp_lps: Math.round((payloads.length * perConnection) / seconds), syslog_tcp_lines: payloads.length * perConnection };
}
