import type { Socket } from 'node:net';
import { SyslogFramer, type SyslogFrame } from '@soc/parsing';
import type { Transport } from '../ingestion-metrics';
import { SyslogBatcher } from './syslog-batcher';
import { deadLetter, syslogBatchEvents, syslogBatchWaitMs, type SyslogInputContext } from './syslog-input.context';
import type { SyslogSender } from './forwarder-identities';
import { readSyslogFrames } from './syslog-message-reader';

/**
 * One authenticated TCP or TLS connection: bytes → RFC 6587 frames → events in batches. The
 * socket is paused while a batch is submitted or refused, so the sender buffers; nothing read is
 * given up while the collector runs.
 */
export class SyslogConnection {
  private readonly framer: SyslogFramer;
  private readonly batcher: SyslogBatcher;

  constructor(
    private readonly socket: Socket,
    private readonly sender: SyslogSender,
    private readonly transport: Transport,
    private readonly context: SyslogInputContext,
  ) {
    const memberId = sender.memberId;
    this.framer = new SyslogFramer({ maxMessageBytes: context.maxMessageBytes });
    this.batcher = new SyslogBatcher({
      maxEvents: syslogBatchEvents,
      maxWaitMs: syslogBatchWaitMs,
      whenRefused: 'retry',
      submit: (events) => context.pipeline.submit(memberId, transport, events),
      pause: () => socket.pause(),
      resume: () => socket.resume(),
      dropped: (count) => context.logger.error(`${count} syslog events of member ${memberId} (${transport}) still refused at shutdown`),
      failed: (count, error) => {
        context.metrics.refused(memberId, transport, 'invalid', count);
        context.logger.error(`${count} syslog events of member ${memberId} (${transport}) given up, submitting them failed: ${error.message}`);
      },
    });
  }

  start(): void {
    this.socket.on('data', (chunk: Buffer) => this.receive(this.framer.push(chunk)));
    this.socket.on('end', () => {
      this.receive(this.framer.end());
      void this.batcher.drain();
    });
    this.socket.on('error', (error) => {
      this.context.logger.warn(`syslog connection of member ${this.sender.memberId} (${this.transport}): ${error.message}`);
    });
  }

  /** Submits what is pending and stops retrying (shutdown). */
  async close(): Promise<void> {
    await Promise.race([this.batcher.drain(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    this.batcher.close();
    this.socket.destroy();
  }

  /** The frames of one read, in order: their year-less timestamps are read as one file's lines. */
  private receive(frames: SyslogFrame[]): void {
    if (frames.length === 0) return;
    const now = new Date();
    const { timeZone, eventLimits, eventTimeWindow } = this.context;
    const context = { now, ingested: now.toISOString(), timeZone, eventLimits, eventTimeWindow };
    for (const message of readSyslogFrames(frames, this.sender, context)) {
      if (message.ok) this.batcher.add(message.event);
      else deadLetter(this.context, this.sender.memberId, this.transport, message);
    }
  }
}
