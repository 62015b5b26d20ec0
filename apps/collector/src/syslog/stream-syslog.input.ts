import { readFileSync } from 'node:fs';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { Transport } from '../ingestion-metrics';
import type { SyslogSender } from './forwarder-identities';
import { RelpConnection } from './relp-connection';
import { SyslogConnection } from './syslog-connection';
import type { SyslogInputContext } from './syslog-input.context';

export interface TlsFiles {
  certFile?: string;
  keyFile?: string;
  /** CA of forwarders' client certificates; without it no client certificate is asked for. */
  caFile?: string;
}

export type StreamTransport = Extract<Transport, 'syslog_tcp' | 'syslog_tls' | 'syslog_relp' | 'syslog_relp_tls'>;

const isTls = (transport: StreamTransport): boolean => transport === 'syslog_tls' || transport === 'syslog_relp_tls';
const isRelp = (transport: StreamTransport): boolean => transport === 'syslog_relp' || transport === 'syslog_relp_tls';

/**
 * Syslog over a byte stream: plain TCP (`syslog_tcp`), TLS (`syslog_tls`, RFC 5425), or RELP
 * (rsyslog's `omrelp`), plain (`syslog_relp`) or inside TLS from the first byte
 * (`syslog_relp_tls`, omrelp's `tls="on"`). Every connection is identified when it opens (client
 * certificate, else allow-listed address); an unidentified one is counted and closed before a byte
 * is read. Only what is read differs: octet-counted or newline-framed syslog (SyslogConnection) or
 * RELP transactions, each answered once accepted (RelpConnection).
 */
export class StreamSyslogInput {
  private readonly server: Server;
  private readonly connections = new Set<SyslogConnection | RelpConnection>();
  /** How log lines name this input. */
  private readonly label: string;

  constructor(
    private readonly transport: StreamTransport,
    private readonly context: SyslogInputContext,
    tls: TlsFiles = {},
  ) {
    this.label = isRelp(transport) ? 'RELP' : 'syslog';
    if (isTls(transport)) {
      if (!tls.certFile || !tls.keyFile) {
        throw new Error(`the ${isRelp(transport) ? 'RELP TLS' : 'TLS syslog'} input needs SYSLOG_TLS_CERT_FILE and SYSLOG_TLS_KEY_FILE`);
      }
      this.server = createTlsServer(
        {
          cert: readFileSync(tls.certFile),
          key: readFileSync(tls.keyFile),
          ca: tls.caFile ? readFileSync(tls.caFile) : undefined,
          requestCert: tls.caFile !== undefined,
          // Checked per connection below: a client without a certificate may still be known by address.
          rejectUnauthorized: false,
        },
        (socket) => this.accept(socket, this.tlsMember(socket)),
      );
      this.server.on('tlsClientError', (error: Error) => context.logger.warn(`${this.label} TLS handshake failed: ${error.message}`));
    } else {
      this.server = createTcpServer((socket) => this.accept(socket, this.addressMember(socket)));
    }
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as { port: number }).port);
      });
    });
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.all([...this.connections].map((connection) => connection.close()));
    await closed;
  }

  private accept(socket: Socket, sender: SyslogSender | undefined): void {
    if (sender === undefined) {
      this.context.metrics.refused(undefined, this.transport, 'unauthenticated', 1);
      this.context.logger.warn(`${this.label} ${this.transport} connection from ${socket.remoteAddress} refused: unknown sender`);
      socket.destroy();
      return;
    }
    const connection =
      this.transport === 'syslog_relp' || this.transport === 'syslog_relp_tls'
        ? new RelpConnection(socket, sender, this.transport, this.context)
        : new SyslogConnection(socket, sender, this.transport, this.context);
    this.connections.add(connection);
    socket.on('close', () => this.connections.delete(connection));
    connection.start();
  }

  /** Without TLS: the allow-listed address, unless that member only sends with a certificate. */
  private addressMember(socket: Socket): SyslogSender | undefined {
    const sender = this.context.identities.byAddress(socket.remoteAddress);
    return sender !== undefined && !this.context.identities.requiresCertificate(sender.memberId) ? sender : undefined;
  }

  /** TLS: a verified client certificate decides; without one, the address as without TLS. */
  private tlsMember(socket: TLSSocket): SyslogSender | undefined {
    const certificate = socket.getPeerCertificate();
    const presented = certificate !== null && Object.keys(certificate).length > 0;
    if (!presented) return this.addressMember(socket);
    if (!socket.authorized) return undefined;
    const commonName = certificate.subject?.CN;
    return this.context.identities.byCertificate({
      commonName: Array.isArray(commonName) ? commonName[0] : commonName,
      fingerprint256: certificate.fingerprint256,
    });
  }
}
