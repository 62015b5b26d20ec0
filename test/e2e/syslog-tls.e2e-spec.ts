import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import type { SocEvent } from '@soc/contracts';
import { createRedis, type Redis } from '@soc/redis';
import { AppProcess, freePort, isolatedEnv, waitFor } from './support/stack';
import { privateRsyslogConfig } from './support/syslog-senders';

const run = promisify(execFile);
const openssl = (dir: string, ...args: string[]) => run('openssl', args, { cwd: dir });
const shippedTls = join(__dirname, '..', '..', 'deploy', 'forwarders', 'rsyslog', '60-soc-forward-tls.conf');

async function streamEvents(redis: Redis, stream: string): Promise<SocEvent[]> {
  const entries = await redis.xrange(stream, '-', '+');
  return entries.flatMap(([, fields]) => (JSON.parse(fields[1]) as { events: SocEvent[] }).events);
}

/** A CA, the collector's certificate, a forwarder certificate it signed, and a look-alike it did not. */
async function makeCertificates(dir: string): Promise<void> {
  await openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=SOC test CA');
  const signed = async (name: string, cn: string, extensions?: string) => {
    await openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    const extra = extensions ? ['-extfile', extensions] : [];
    await openssl(
      dir,
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
      ...extra,
    );
  };
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await signed('server', 'localhost', 'server.ext');
  await signed('client', 'log01.koebenhavn.dk');
  await openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'rogue-key.pem',
    '-out',
    'rogue.pem',
    '-days',
    '2',
    '-subj',
    '/CN=log01.koebenhavn.dk',
  );
}

describe('syslog over TLS with client certificates', () => {
  let env: Record<string, string>;
  let collector: AppProcess;
  let redis: Redis;
  let dir: string;
  let tlsPort: number;
  let tcpPort: number;
  let rsyslogd: ChildProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'syslog-tls-'));
    await makeCertificates(dir);
    // Aarhus forwards from 127.0.0.1 but only with a certificate; Copenhagen's forwarder is known by its CN.
    writeFileSync(
      join(dir, 'members.yaml'),
      [
        'members:',
        '  - id: "0751"',
        '    forwarder_addresses: ["127.0.0.1/32"]',
        '    forwarder_certificate_required: true',
        '  - id: "0101"',
        '    forwarder_certificates: ["log01.koebenhavn.dk"]',
        '',
      ].join('\n'),
    );
    [tlsPort, tcpPort] = [await freePort(), await freePort()];
    env = await isolatedEnv({
      MEMBERS_FILE: join(dir, 'members.yaml'),
      SYSLOG_INPUTS: 'tls,tcp',
      SYSLOG_TLS_PORT: String(tlsPort),
      SYSLOG_TCP_PORT: String(tcpPort),
      SYSLOG_TLS_CERT_FILE: join(dir, 'server.pem'),
      SYSLOG_TLS_KEY_FILE: join(dir, 'server-key.pem'),
      SYSLOG_TLS_CA_FILE: join(dir, 'ca.pem'),
    });
    redis = createRedis(env.REDIS_URL, 'worker', 'e2e-syslog-tls');
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

  const line = (ip: string) => `<38>1 2026-11-28T10:00:00Z web01 sshd 77 - - Failed password for root from ${ip} port 4242 ssh2\n`;

  const open = (client?: 'client' | 'rogue'): Promise<TLSSocket> =>
    new Promise((resolve, reject) => {
      const socket = connectTls({
        host: '127.0.0.1',
        port: tlsPort,
        ca: readFileSync(join(dir, 'ca.pem')),
        cert: client ? readFileSync(join(dir, `${client}.pem`)) : undefined,
        key: client ? readFileSync(join(dir, `${client}-key.pem`)) : undefined,
      });
      socket.once('secureConnect', () => resolve(socket));
      socket.once('error', reject);
    });

  /** Sends one line and resolves when the collector closed the connection. */
  const refused = async (socket: TLSSocket, text: string): Promise<void> => {
    socket.on('error', () => undefined);
    socket.write(text);
    await new Promise((resolve) => socket.once('close', resolve));
  };

  const waitForIp = async (ip: string): Promise<SocEvent> => {
    let event: SocEvent | undefined;
    await waitFor(
      async () => (event = (await streamEvents(redis, env.EVENTS_STREAM)).find((e) => e.source?.ip === ip)) !== undefined,
      15_000,
      () => collector.log,
    );
    return event!;
  };

  it('stamps events with the member of the client certificate CN', async () => {
    const socket = await open('client');
    socket.end(line('203.0.113.31'));
    const event = await waitForIp('203.0.113.31');
    expect(event.organization).toEqual({ id: '0101' });
    expect(event.event).toMatchObject({ dataset: 'linux.sshd', outcome: 'failure' });
  });

  it('refuses a client without a certificate when its address member requires one', async () => {
    await refused(await open(), line('203.0.113.32'));
  });

  it('refuses a certificate the forwarder CA did not sign, whatever its CN', async () => {
    await refused(await open('rogue'), line('203.0.113.33'));
  });

  it('refuses plain TCP from the address of a member that requires a certificate', async () => {
    const socket = connectTcp({ host: '127.0.0.1', port: tcpPort });
    socket.on('error', () => undefined);
    socket.write(line('203.0.113.34'));
    await new Promise((resolve) => socket.once('close', resolve));
  });

  it('accepted nothing from the refused connections', async () => {
    const socket = await open('client');
    socket.end(line('203.0.113.35'));
    await waitForIp('203.0.113.35');
    const ips = (await streamEvents(redis, env.EVENTS_STREAM)).map((e) => e.source?.ip);
    expect(ips.filter((ip) => ['203.0.113.32', '203.0.113.33', '203.0.113.34'].includes(String(ip)))).toEqual([]);
  });

  it('stamps what rsyslogd sends with the shipped TLS configuration with the member of its certificate', async () => {
    // The shipped action as a municipality installs it: collector address, port and certificate paths are theirs.
    const action = readFileSync(shippedTls, 'utf8')
      .replace('target="soc-collector.example.dk"', 'target="127.0.0.1"')
      .replace('StreamDriverPermittedPeers="soc-collector.example.dk"', 'StreamDriverPermittedPeers="localhost"')
      .replace('port="6514"', `port="${tlsPort}"`)
      .replace('/etc/rsyslog.d/soc/ca.pem', join(dir, 'ca.pem'))
      .replace('/etc/rsyslog.d/soc/client-cert.pem', join(dir, 'client.pem'))
      .replace('/etc/rsyslog.d/soc/client-key.pem', join(dir, 'client-key.pem'));
    writeFileSync(join(dir, '60-soc-forward-tls.conf'), action);
    const { config, socket: socketPath } = privateRsyslogConfig(dir, join(dir, '60-soc-forward-tls.conf'));
    let output = '';
    rsyslogd = spawn('rsyslogd', ['-n', '-f', config, '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
    rsyslogd.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    rsyslogd.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(
      async () =>
        run('test', ['-S', socketPath]).then(
          () => true,
          () => false,
        ),
      15_000,
      () => output,
    );
    await run('logger', ['-u', socketPath, '-t', 'sshd', 'Failed password for root from 203.0.113.36 port 4242 ssh2']);
    let event: SocEvent | undefined;
    await waitFor(
      async () => (event = (await streamEvents(redis, env.EVENTS_STREAM)).find((e) => e.source?.ip === '203.0.113.36')) !== undefined,
      30_000,
      () => `${output}\n${collector.log}`,
    );
    expect(event!.organization).toEqual({ id: '0101' });
    expect(event!.event).toMatchObject({ dataset: 'linux.sshd', outcome: 'failure' });
  });
});
