import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as connectTcp, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { promisify } from 'node:util';
import type { SocEvent } from '@soc/contracts';
import { createRedis, type Redis } from '@soc/redis';
import { RelpFramer, relpMaxDataBytes, type RelpFrame } from '@soc/relp';
import { AppProcess, freePort, isolatedEnv, waitFor } from './support/stack';
import { privateRsyslogConfig } from './support/syslog-senders';

const run = promisify(execFile);
const shippedTls = join(__dirname, '..', '..', 'deploy', 'forwarders', 'rsyslog', '60-soc-forward-relp-tls.conf');

/** A RELP client made of the lib's framer: sends frames as given, keeps every frame the collector sends. */
class RelpTestClient {
  readonly received: RelpFrame[] = [];
  readonly closed: Promise<void>;
  private readonly framer = new RelpFramer({ maxDataBytes: relpMaxDataBytes });

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.received.push(...this.framer.push(chunk)));
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
  }

  /** `[txnr, command, data]` frames in one write, as omrelp sends a window. */
  send(...frames: Array<[number, string, string?]>): void {
    const text = frames.map(([txnr, command, data = '']) => `${txnr} ${command} ${Buffer.byteLength(data)}${data ? ` ${data}` : ''}\n`).join('');
    this.socket.write(text);
  }

  get frames(): string[] {
    return this.received.map((frame) => `${frame.txnr} ${frame.command} ${frame.data.toString()}`);
  }
}

const librelpOpen = 'relp_version=0\nrelp_software=librelp,1.11.0,http://librelp.adiscon.com\ncommands=syslog';
const line = (n: number) => `<38>1 2026-11-28T10:00:00Z web01 sshd 77 - - Failed password for root from 198.51.100.${n} port 4242 ssh2`;

async function streamEvents(redis: Redis, stream: string): Promise<SocEvent[]> {
  const entries = await redis.xrange(stream, '-', '+');
  return entries.flatMap(([, fields]) => (JSON.parse(fields[1]) as { events: SocEvent[] }).events);
}

describe('the RELP input, spoken to by a client built on @soc/relp', () => {
  let dir: string;
  let env: Record<string, string>;
  let collector: AppProcess;
  let redis: Redis;
  let relpPort: number;
  let relpTlsPort: number;
  let rsyslogd: ChildProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'syslog-relp-protocol-'));
    const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
    await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=SOC test CA');
    writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    for (const [name, cn, ext] of [
      ['server', 'localhost', 'server.ext'],
      ['client', 'log01.koebenhavn.dk', undefined],
      ['odense', 'log01.odense.dk', undefined],
    ] as const) {
      await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
      await openssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca-key.pem',
        '-CAcreateserial',
        '-out',
        `${name}.pem`,
        '-days',
        '2',
        ...(ext ? ['-extfile', ext] : []),
      );
    }
    // Plain RELP from 127.0.0.1 is Aarhus; Copenhagen sends over TLS with a certificate, one event a second.
    writeFileSync(
      join(dir, 'members.yaml'),
      [
        'members:',
        '  - id: "0751"',
        '    forwarder_addresses: ["127.0.0.1/32"]',
        '  - id: "0101"',
        '    forwarder_certificates: ["log01.koebenhavn.dk"]',
        '    ingest_rate: { events_per_second: 1, burst_events: 1 }',
        '  - id: "0461"',
        '    forwarder_certificates: ["log01.odense.dk"]',
        '    forwarder_certificate_required: true',
        '',
      ].join('\n'),
    );
    [relpPort, relpTlsPort] = [await freePort(), await freePort()];
    env = await isolatedEnv({
      MEMBERS_FILE: join(dir, 'members.yaml'),
      SYSLOG_INPUTS: 'relp,relp_tls',
      SYSLOG_RELP_PORT: String(relpPort),
      SYSLOG_RELP_TLS_PORT: String(relpTlsPort),
      SYSLOG_TLS_CERT_FILE: join(dir, 'server.pem'),
      SYSLOG_TLS_KEY_FILE: join(dir, 'server-key.pem'),
      SYSLOG_TLS_CA_FILE: join(dir, 'ca.pem'),
      SYSLOG_MAX_MESSAGE_BYTES: '2000',
    });
    redis = createRedis(env.REDIS_URL, 'worker', 'e2e-relp-protocol');
    collector = new AppProcess('collector', env).start();
    await collector.waitReady();
  });

  afterAll(async () => {
    if (rsyslogd && rsyslogd.exitCode === null) {
      const exited = new Promise((resolve) => rsyslogd!.once('exit', resolve));
      rsyslogd.kill('SIGTERM');
      await exited;
    }
    await collector?.kill();
    await redis.del(env.EVENTS_STREAM, `${env.EVENTS_STREAM}:ingest-dead-letter`);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const plain = () =>
    new Promise<RelpTestClient>((resolve, reject) => {
      const socket = connectTcp(relpPort, '127.0.0.1', () => resolve(new RelpTestClient(socket)));
      socket.once('error', reject);
    });

  const tls = () =>
    new Promise<RelpTestClient>((resolve, reject) => {
      const socket = connectTls({
        host: '127.0.0.1',
        port: relpTlsPort,
        ca: readFileSync(join(dir, 'ca.pem')),
        cert: readFileSync(join(dir, 'client.pem')),
        key: readFileSync(join(dir, 'client-key.pem')),
      });
      socket.once('secureConnect', () => resolve(new RelpTestClient(socket)));
      socket.once('error', reject);
    });

  it('answers open with its offers, each syslog command 200 OK once stored, in order, then close, and ends the session', async () => {
    const client = await plain();
    client.send([1, 'open', librelpOpen], [2, 'syslog', line(1)], [3, 'syslog', line(2)], [4, 'syslog', line(3)], [5, 'close']);
    await client.closed;
    expect(client.frames).toEqual([
      '1 rsp 200 OK\nrelp_version=0\nrelp_software=soc-collector\ncommands=syslog',
      '2 rsp 200 OK',
      '3 rsp 200 OK',
      '4 rsp 200 OK',
      '5 rsp 200 OK',
    ]);
    const events = (await streamEvents(redis, env.EVENTS_STREAM)).filter((event) =>
      ['198.51.100.1', '198.51.100.2', '198.51.100.3'].includes(String(event.source?.ip)),
    );
    expect(events.map((event) => [event.organization?.id, event.source?.ip])).toEqual([
      ['0751', '198.51.100.1'],
      ['0751', '198.51.100.2'],
      ['0751', '198.51.100.3'],
    ]);
  });

  it('dead-letters a message over SYSLOG_MAX_MESSAGE_BYTES with its reason and answers it 200 OK: sending it again would not help', async () => {
    const client = await plain();
    client.send([1, 'open', librelpOpen], [2, 'syslog', `<38>${'x'.repeat(2500)}`], [3, 'close']);
    await client.closed;
    expect(client.frames.slice(1)).toEqual(['2 rsp 200 OK', '3 rsp 200 OK']);
    const letters = await redis.xrange(`${env.EVENTS_STREAM}:ingest-dead-letter`, '-', '+');
    expect(letters.map(([, fields]) => fields.join(' '))).toContainEqual(
      'member 0751 transport syslog_relp reason message of 2504 bytes exceeds SYSLOG_MAX_MESSAGE_BYTES (2000) raw ',
    );
  });

  it('closes with serverclose, answering nothing, when a DATALEN exceeds 128 KiB', async () => {
    const client = await plain();
    client.send([1, 'open', librelpOpen]);
    await waitFor(async () => client.received.length === 1, 10_000);
    (client as unknown as { socket: Socket }).socket.write('2 syslog 200000 ');
    await client.closed;
    expect(client.frames.slice(1)).toEqual(['0 serverclose ']);
    // The collector's log reaches us through its stdout pipe, which may lag the socket's close.
    const refusal = /DATALEN exceeds the limit of 131072 octets \(command syslog, TXNR 2\)/;
    await waitFor(
      async () => refusal.test(collector.log),
      10_000,
      () => `collector log has no DATALEN refusal:\n${collector.log.slice(-2000)}`,
    );
    expect(collector.log).toMatch(refusal);
  });

  it('closes a connection from an address no member lists before reading, and counts it unauthenticated', async () => {
    const socket = connectTcp({ port: relpPort, host: '127.0.0.1', localAddress: '127.0.0.2' });
    const client = new RelpTestClient(socket);
    socket.once('connect', () => client.send([1, 'open', librelpOpen]));
    await client.closed;
    expect(client.frames).toEqual([]);
    const metrics = await (await fetch(`${collector.url}/metrics`)).text();
    expect(metrics).toMatch(/soc_ingest_events_refused_total\{member="[^"]*",transport="syslog_relp",reason="unauthenticated"\} 1\n/);
  });

  it('refuses a command before open with 500 and its reason, then serverclose', async () => {
    const client = await plain();
    client.send([1, 'syslog', line(9)]);
    await client.closed;
    expect(client.frames).toEqual(['1 rsp 500 syslog before open', '0 serverclose ']);
  });

  it('accepts over TLS from the member its certificate names; leaves a refused batch unanswered and closes with serverclose, so omrelp sends it again; counts the refusal', async () => {
    const client = await tls();
    client.send([1, 'open', librelpOpen], [2, 'syslog', line(21)]);
    await waitFor(async () => client.received.length === 2, 10_000);
    expect(client.frames).toEqual(['1 rsp 200 OK\nrelp_version=0\nrelp_software=soc-collector\ncommands=syslog', '2 rsp 200 OK']);
    // The member's bucket (1 event, 1 a second) is empty now: the next batch is refused.
    client.send([3, 'syslog', line(22)], [4, 'syslog', line(23)], [5, 'syslog', line(24)]);
    await client.closed;
    expect(client.frames.slice(2)).toEqual(['0 serverclose ']);
    const metrics = await (await fetch(`${collector.url}/metrics`)).text();
    const refused = /soc_ingest_events_refused_total\{member="0101",transport="syslog_relp_tls",reason="rate_limited"\} (\d+)/.exec(metrics);
    // One batch is refused: all three if they came in one read, fewer if the read was cut.
    expect(Number(refused?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(refused?.[1])).toBeLessThanOrEqual(3);
    const events = (await streamEvents(redis, env.EVENTS_STREAM)).filter((event) => event.organization?.id === '0101');
    expect(events.map((event) => event.source?.ip)).toEqual(['198.51.100.21']);
  });

  it('delivers from rsyslogd running the shipped 60-soc-forward-relp-tls.conf (omrelp over TLS, client certificate) as its member', async () => {
    // Only the target, port and file paths are the test's; the collector's certificate names localhost.
    const action = readFileSync(shippedTls, 'utf8')
      .replace('target="soc-collector.example.dk"', 'target="127.0.0.1"')
      .replace('port="2515"', `port="${relpTlsPort}"`)
      .replace('tls.permittedPeer=["soc-collector.example.dk"]', 'tls.permittedPeer=["localhost"]')
      .replace('/etc/rsyslog.d/soc/ca.pem', join(dir, 'ca.pem'))
      .replace('/etc/rsyslog.d/soc/client-cert.pem', join(dir, 'odense.pem'))
      .replace('/etc/rsyslog.d/soc/client-key.pem', join(dir, 'odense-key.pem'));
    writeFileSync(join(dir, '60-soc-forward-relp-tls.conf'), action);
    const rsyslog = privateRsyslogConfig(dir, join(dir, '60-soc-forward-relp-tls.conf'));
    let output = '';
    rsyslogd = spawn('rsyslogd', ['-n', '-f', rsyslog.config, '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
    rsyslogd.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    rsyslogd.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(
      async () =>
        await run('test', ['-S', rsyslog.socket]).then(
          () => true,
          () => false,
        ),
      15_000,
      () => output,
    );
    await run('logger', ['-u', rsyslog.socket, '-t', 'sshd', 'Failed password for invalid user admin from 198.51.100.41 port 5022 ssh2']);
    let events: SocEvent[] = [];
    await waitFor(
      async () => {
        events = (await streamEvents(redis, env.EVENTS_STREAM)).filter((event) => event.source?.ip === '198.51.100.41');
        return events.length > 0;
      },
      30_000,
      () => `${output}\n${collector.log}`,
    );
    expect(events.map((event) => [event.organization?.id, event.event?.outcome])).toEqual([['0461', 'failure']]);
  });
});
