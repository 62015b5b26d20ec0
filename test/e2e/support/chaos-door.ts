import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP door in front of a service the test must not stop (the shared Elasticsearch): while it is
 * open it joins every connection to the service; `close()` drops the joined connections and stops
 * listening, so the apps behind it meet a refused port, as in an outage, while every other test
 * still reaches the service. `open()` listens again on the same port.
 */
export class TcpDoor {
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly port: number,
    private readonly target: URL,
  ) {}

  get url(): string {
    return `${this.target.protocol}//127.0.0.1:${this.port}`;
  }

  get isOpen(): boolean {
    return this.server !== undefined;
  }

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(Number(this.target.port), this.target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        // A reset on either side ends both: no half-open connection survives a cut.
        socket.on('error', () => (socket === client ? upstream : client).destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
