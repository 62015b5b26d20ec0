import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { RelpFramer, relpMaxDataBytes } from '@soc/relp';
import type { DeliveryLedger } from './chaos-load';

const shipped = join(__dirname, '..', '..', '..', 'deploy', 'forwarders', 'rsyslog', '60-soc-forward-relp.conf');
/** The text each numbered line carries; the label of line N is `relp:N`. */
export const relpLinePattern = /chaos-relp seq=(\d+)/;
export const relpLabel = (seq: number) => `relp:${seq}`;

/**
 * What stands between rsyslog's omrelp and the two collectors, as a load balancer would: each
 * connection goes to the first collector that accepts it, and ends when that collector dies (omrelp
 * then connects again and sends what was not answered). It reads the wire with the collector's own
 * framer and keeps, in the ledger, every line answered `200 OK` (acknowledged) and every line that
 * was unanswered when its connection broke (unsure: the collector may have stored it before dying,
 * and omrelp may send it again).
 */
export class RelpBalancer {
  private server?: Server;
  readonly sent = new Map<number, number>();
  readonly answered = new Set<number>();
  /** Lines sent on an open connection and not yet answered, per connection. */
  private readonly open = new Set<Map<number, number>>();
  connections = 0;

  constructor(
    private readonly collectorPorts: number[],
    private readonly ledger: DeliveryLedger,
  ) {}

  get unanswered(): number {
    return [...this.open].reduce((n, pending) => n + pending.size, 0);
  }

  async listen(port: number): Promise<void> {
    this.server = createServer((client) => this.join(client));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private join(client: Socket): void {
    this.connections += 1;
    const pending = new Map<number, number>();
    this.open.add(pending);
    const held: Buffer[] = [];
    const requests = new RelpFramer({ maxDataBytes: relpMaxDataBytes });
    const responses = new RelpFramer({ maxDataBytes: relpMaxDataBytes });
    client.on('data', (chunk: Buffer) => {
      for (const frame of requests.push(chunk)) {
        const match = frame.command === 'syslog' ? relpLinePattern.exec(frame.data.toString()) : null;
        if (!match) continue;
        const seq = Number(match[1]);
        pending.set(frame.txnr, seq);
        this.sent.set(seq, (this.sent.get(seq) ?? 0) + 1);
      }
    });
    const broken = () => {
      if (!this.open.delete(pending)) return;
      for (const seq of pending.values()) this.ledger.unsure.add(relpLabel(seq));
    };
    client.on('close', broken);
    client.on('error', () => undefined);
    const hold = (chunk: Buffer) => held.push(chunk);
    client.on('data', hold);
    const tryPort = (attempt: number) => {
      if (client.destroyed) return;
      if (attempt >= this.collectorPorts.length * 20) return void client.destroy();
      const upstream = connect(this.collectorPorts[attempt % this.collectorPorts.length], '127.0.0.1');
      upstream.once('error', () => {
        upstream.destroy();
        setTimeout(() => tryPort(attempt + 1), 100);
      });
      upstream.once('connect', () => {
        upstream.on('error', () => client.destroy());
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
        upstream.on('data', (chunk: Buffer) => {
          for (const frame of responses.push(chunk)) {
            const seq = pending.get(frame.txnr);
            if (frame.command !== 'rsp' || seq === undefined) continue;
            pending.delete(frame.txnr);
            if (frame.data.toString().startsWith('200 ')) {
              this.answered.add(seq);
              this.ledger.acknowledged.add(relpLabel(seq));
            } else this.ledger.unsure.add(relpLabel(seq));
          }
        });
        client.off('data', hold);
        for (const chunk of held) upstream.write(chunk);
        client.on('data', (chunk: Buffer) => upstream.write(chunk));
        upstream.pipe(client);
      });
    };
    tryPort(0);
  }
}

/**
 * rsyslogd with the shipped omrelp action (only target and port changed), reading a file the test
 * appends numbered lines to, as a municipality's forwarder reads a busy log.
 */
export class RsyslogRelpSender {
  private child?: ChildProcess;
  private output = '';
  written = 0;

  constructor(
    private readonly dir: string,
    private readonly port: number,
  ) {}

  get log(): string {
    return this.output;
  }

  start(): void {
    const action = readFileSync(shipped, 'utf8')
      .replace('target="soc-collector.example.dk"', 'target="127.0.0.1"')
      .replace('port="2514"', `port="${this.port}"`);
    writeFileSync(join(this.dir, '60-soc-forward-relp.conf'), action);
    writeFileSync(join(this.dir, 'numbered.log'), '');
    writeFileSync(
      join(this.dir, 'rsyslog.conf'),
      [
        `global(workDirectory="${this.dir}")`,
        'module(load="imfile")',
        `input(type="imfile" File="${join(this.dir, 'numbered.log')}" Tag="chaos-relp" Facility="local0" Severity="info")`,
        `include(file="${join(this.dir, '60-soc-forward-relp.conf')}")`,
        '',
      ].join('\n'),
    );
    const child = spawn('rsyslogd', ['-n', '-f', join(this.dir, 'rsyslog.conf'), '-i', join(this.dir, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000)));
    child.stderr!.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000)));
    this.child = child;
  }

  /** Appends the next `count` numbered lines (1, 2, …). */
  write(count: number): void {
    let chunk = '';
    for (let n = 0; n < count; n += 1) chunk += `chaos-relp seq=${String(++this.written).padStart(6, '0')}\n`;
    appendFileSync(join(this.dir, 'numbered.log'), chunk);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}
