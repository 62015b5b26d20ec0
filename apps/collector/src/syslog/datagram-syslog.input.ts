import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { SyslogBatcher } from './syslog-batcher';
import { deadLetter, syslogBatchEvents, syslogBatchWaitMs, type SyslogInputContext } from './syslog-input.context';
import { readSyslogFrames } from './syslog-message-reader';

/** UDP cannot push back: at most this many events per member wait while a batch is in flight. */
const maxPendingPerMember = 10 * syslogBatchEvents;

/**
 * Syslog over UDP (RFC 5426): one datagram is one message. There is no acknowledgement, so what
 * cannot be taken (unknown sender, refused batch, overflow) is counted, never silently lost.
 */
export class DatagramSyslogInput {
  private socket?: Socket;
  private readonly batchers = new Map<string, SyslogBatcher>();

  constructor(private readonly context: SyslogInputContext) {}

  listen(port: number, host: string): Promise<number> {
    const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', recvBufferSize: 4 * 1024 * 1024 });
    this.socket = socket;
    socket.on('message', (datagram, sender) => this.receive(datagram, sender));
    socket.on('error', (error) => this.context.logger.warn(`syslog UDP socket: ${error.message}`));
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        resolve(socket.address().port);
      });
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.socket ? this.socket.close(() => resolve()) : resolve()));
    await Promise.race([
      Promise.all([...this.batchers.values()].map((batcher) => batcher.drain())),
      new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
    ]);
    this.batchers.forEach((batcher) => batcher.close());
  }

  private receive(datagram: Buffer, sender: RemoteInfo): void {
    const known = this.context.identities.byAddress(sender.address);
    if (known === undefined || this.context.identities.requiresCertificate(known.memberId)) {
      this.context.metrics.refused(undefined, 'syslog_udp', 'unauthenticated', 1);
      return;
    }
    const now = new Date();
    const frame =
      datagram.length > this.context.maxMessageBytes
        ? { ok: false as const, reason: `datagram of ${datagram.length} bytes exceeds the maximum message size of ${this.context.maxMessageBytes} bytes` }
        : { ok: true as const, message: datagram, framing: 'non-transparent' as const };
    const { timeZone, eventLimits, eventTimeWindow } = this.context;
    const [message] = readSyslogFrames([frame], known, { now, ingested: now.toISOString(), timeZone, eventLimits, eventTimeWindow });
    if (message.ok) this.batcherOf(known.memberId).add(message.event);
    else deadLetter(this.context, known.memberId, 'syslog_udp', message);
  }

  private batcherOf(memberId: string): SyslogBatcher {
    let batcher = this.batchers.get(memberId);
    if (!batcher) {
      batcher = new SyslogBatcher({
        maxEvents: syslogBatchEvents,
        maxWaitMs: syslogBatchWaitMs,
        whenRefused: 'drop',
        maxPendingEvents: maxPendingPerMember,
        submit: (events) => this.context.pipeline.submit(memberId, 'syslog_udp', events),
        dropped: (count) => this.context.metrics.refused(memberId, 'syslog_udp', 'udp_dropped', count),
        failed: (count, error) => {
          this.context.metrics.refused(memberId, 'syslog_udp', 'invalid', count);
          this.context.logger.error(`${count} syslog events of member ${memberId} (syslog_udp) given up, submitting them failed: ${error.message}`);
        },
      });
      this.batchers.set(memberId, batcher);
    }
    return batcher;
  }
}
