import { readFileSync } from 'node:fs';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { Transport } from '../ingestion-metrics';
import type { SyslogSender } from './forwarder-identities';
import { RelpConnection } from './relp-connection';
import type { TlsFiles } from './stream-syslog.input';
import type { SyslogInputContext } from './syslog-input.context';

/**
 * Syslog over RELP (rsyslog's `omrelp`): plain (`syslog_relp`) or inside TLS from the first byte
 * (`syslog_relp_tls`, omrelp's `tls="on"`). Senders are identified as on the TCP and TLS inputs:
 * a verified client certificate, else the allow-listed address; an unidentified connection is
 * counted and closed before a byte is read.
 */
export class RelpSyslogInput {
  private readonly server: Server;
  private readonly connections = new Set<RelpConnection>();

  constructor(
    private readonly transport: Extract<Transport, 'syslog_relp' | 'syslog_relp_tls'>,
    private readonly context: SyslogInputContext,
    tls: TlsFiles = {},
  ) {
    if (transport === 'syslog_relp_tls') {
      if (!tls.certFile || !tls.keyFile) throw new Error('the RELP TLS input needs SYSLOG_TLS_CERT_FILE and SYSLOG_TLS_KEY_FILE');
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
      this.server.on('tlsClientError', (error: Error) => context.logger.warn(`RELP TLS handshake failed: ${error.message}`));
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
      this.context.logger.warn(`RELP ${this.transport} connection from ${socket.remoteAddress} refused: unknown sender`);
      socket.destroy();
      return;
    }
    const connection = new RelpConnection(socket, sender, this.transport, this.context);
    this.connections.add(connection);
    socket.on('close', () => this.connections.delete(connection));
    connection.start();
  }

  /** Plain RELP: the allow-listed address, unless that member only sends with a certificate. */
  private addressMember(socket: Socket): SyslogSender | undefined {
    const sender = this.context.identities.byAddress(socket.remoteAddress);
    return sender !== undefined && !this.context.identities.requiresCertificate(sender.memberId) ? sender : undefined;
  }

  /** TLS: a verified client certificate decides; without one, the address as for plain RELP. */
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
