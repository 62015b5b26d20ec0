import type { Socket } from 'node:net';
import type { SocEvent } from '@soc/contracts';
import { RelpFramer, RelpResponseOrder, RelpServerSession, relpError, relpMaxDataBytes, relpOk, relpServerClose, type RelpFrame } from '@soc/relp';
import type { SyslogFrame } from '@soc/parsing';
import type { Transport } from '../ingestion-metrics';
import type { SyslogSender } from './forwarder-identities';
import { syslogBatchEvents, type SyslogInputContext } from './syslog-input.context';
import { readSyslogFrames } from './syslog-message-reader';

/** What the collector calls itself in the `relp_software` offer. */
const relpSoftware = ['soc-collector'];
/** Read messages held while a batch is in flight before reading pauses (omrelp's window is 128). */
const maxHeldMessages = 2 * syslogBatchEvents;
/** How long a shutdown waits for the batch in flight. */
const closeWaitMs = 2_000;

interface HeldMessage {
  txnr: number;
  event: SocEvent;
}

/**
 * One authenticated RELP session (docs/FORWARDERS.md, RELP). Each `syslog` command is answered
 * `200 OK` only after its event is in the events stream (or, unreadable, in the ingest dead
 * letters), in command order. Messages read while a batch is in flight form the next batch.
 *
 * A refusal (backlog, rate limit, Redis away) closes the session with a `serverclose` hint and
 * leaves the refused and later commands unanswered: omrelp then retransmits every unanswered
 * message after its resume interval. It is never answered `500`, which omrelp treats as final
 * (it logs the error and does not send that message again: tried with rsyslog 8.2302 / librelp 1.11).
 */
export class RelpConnection {
  private readonly framer: RelpFramer;
  private readonly session = new RelpServerSession({ software: relpSoftware, commands: ['syslog'] });
  private readonly order = new RelpResponseOrder();
  private held: HeldMessage[] = [];
  private inFlight?: Promise<void>;
  /** No more commands are carried out: the session is closing or closed. */
  private stopped = false;
  private closeWhenAnswered = false;
  private paused = false;

  constructor(
    private readonly socket: Socket,
    private readonly sender: SyslogSender,
    private readonly transport: Extract<Transport, 'syslog_relp' | 'syslog_relp_tls'>,
    private readonly context: SyslogInputContext,
  ) {
    this.framer = new RelpFramer({ maxDataBytes: Math.max(relpMaxDataBytes, context.maxMessageBytes) });
  }

  start(): void {
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    // Ended without `close` (after it, the session has stopped already): the client sends again what is unanswered.
    this.socket.on('end', () => this.abandon('the client ended the connection without close'));
    this.socket.on('close', () => {
      this.stopped = true;
      this.held = [];
    });
    this.socket.on('error', (error) => {
      this.context.logger.warn(`RELP connection of member ${this.sender.memberId} (${this.transport}): ${error.message}`);
    });
  }

  /** Shutdown: the batch in flight is answered if it finishes soon; the rest is left for retransmission. */
  async close(): Promise<void> {
    this.stopped = true;
    this.held = [];
    await Promise.race([this.inFlight, new Promise((resolve) => setTimeout(resolve, closeWaitMs).unref())]);
    this.finish();
  }

  private receive(chunk: Buffer): void {
    if (this.stopped) return;
    let frames: RelpFrame[];
    try {
      frames = this.framer.push(chunk);
    } catch (error) {
      this.violation((error as Error).message);
      return;
    }
    const messages: Array<{ txnr: number; frame: SyslogFrame }> = [];
    for (const frame of frames) {
      const step = this.session.receive(frame);
      if (step.kind === 'hint') continue;
      if (step.kind === 'violation') {
        if (step.txnr !== undefined && step.response) {
          this.order.reserve(step.txnr);
          this.order.settle(step.txnr, step.response);
        }
        this.violation(step.reason);
        return;
      }
      this.order.reserve(step.txnr);
      if (step.kind === 'respond') {
        this.order.settle(step.txnr, step.response);
        if (step.close) {
          this.closeWhenAnswered = true;
          break;
        }
      } else {
        messages.push({ txnr: step.txnr, frame: this.syslogFrame(step.data) });
      }
    }
    this.read(messages);
    this.flush();
    this.submitHeld();
  }

  private syslogFrame(data: Buffer): SyslogFrame {
    const limit = this.context.maxMessageBytes;
    if (data.length > limit) return { ok: false, reason: `message of ${data.length} bytes exceeds SYSLOG_MAX_MESSAGE_BYTES (${limit})` };
    return { ok: true, message: data, framing: 'octet-counting' };
  }

  /** The messages of one read, as the TCP input reads its frames: events are held, the unreadable dead-lettered. */
  private read(messages: Array<{ txnr: number; frame: SyslogFrame }>): void {
    if (messages.length === 0) return;
    const now = new Date();
    const { timeZone, eventLimits, eventTimeWindow } = this.context;
    const context = { now, ingested: now.toISOString(), timeZone, eventLimits, eventTimeWindow };
    const read = readSyslogFrames(
      messages.map((message) => message.frame),
      this.sender,
      context,
    );
    read.forEach((message, index) => {
      const { txnr } = messages[index];
      if (message.ok) this.held.push({ txnr, event: message.event });
      else this.deadLetter(txnr, message.raw, message.reason);
    });
    if (this.held.length >= maxHeldMessages) this.pause();
  }

  /** Answered once the dead letter is stored; if it cannot be, the session closes and the message comes again. */
  private deadLetter(txnr: number, raw: string, reason: string): void {
    const { memberId } = this.sender;
    this.context.deadLetters.record(memberId, this.transport, raw, reason).then(
      () => {
        if (this.stopped) return;
        this.order.settle(txnr, relpOk(txnr));
        this.flush();
      },
      (error: Error) => this.abandon(`dead letter not stored: ${error.message}`),
    );
  }

  private submitHeld(): void {
    if (this.inFlight || this.stopped || this.held.length === 0) return;
    const batch = this.held.splice(0, syslogBatchEvents);
    this.inFlight = this.submit(batch).finally(() => {
      this.inFlight = undefined;
      if (this.stopped) return this.finishIfAbandoned();
      if (this.paused && this.held.length < maxHeldMessages) this.resume();
      this.submitHeld();
    });
  }

  private async submit(batch: HeldMessage[]): Promise<void> {
    const { memberId } = this.sender;
    const events = batch.map((message) => message.event);
    try {
      const outcome = await this.context.pipeline.submit(memberId, this.transport, events);
      if ('refused' in outcome) {
        // Counted by the pipeline; unanswered, these and every later message are sent again.
        this.abandon(`${batch.length} messages refused (${outcome.refused}), retry in ${outcome.retryAfterSeconds} s`);
        return;
      }
      for (const { txnr } of batch) this.order.settle(txnr, relpOk(txnr));
    } catch (error) {
      // A fault in the data or the code, which a retransmission would repeat: given up, as on TCP.
      this.context.metrics.refused(memberId, this.transport, 'invalid', batch.length);
      this.context.logger.error(
        `${batch.length} RELP messages of member ${memberId} (${this.transport}) given up, submitting them failed: ${(error as Error).message}`,
      );
      for (const { txnr } of batch) this.order.settle(txnr, relpError(txnr, 'internal error'));
    }
    this.flush();
  }

  /** Writes the responses now due, in command order; ends the session after the answer to `close`. */
  private flush(): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    // One write per batch of answers: omrelp waits for them before it sends more than its window.
    const responses = this.order.take();
    if (responses.length > 0) this.socket.write(responses.length === 1 ? responses[0] : Buffer.concat(responses));
    // A client that does not read its answers stops being read until it does.
    if (this.socket.writableNeedDrain && !this.paused) {
      this.pause();
      this.socket.once('drain', () => {
        if (this.held.length < maxHeldMessages) this.resume();
      });
    }
    if (this.closeWhenAnswered && this.order.outstanding === 0) {
      this.stopped = true;
      this.socket.end();
    }
  }

  /** The client broke the protocol: answered what can be, then `serverclose` (spec, "ERROR HANDLING"). */
  private violation(reason: string): void {
    this.context.logger.warn(`RELP session of member ${this.sender.memberId} (${this.transport}) closed: ${reason}`);
    this.stopped = true;
    this.held = [];
    this.finishIfAbandoned();
  }

  /** Stops carrying out commands; unanswered ones are retransmitted by the client on its next session. */
  private abandon(reason: string): void {
    if (this.stopped) return;
    this.context.logger.warn(`RELP session of member ${this.sender.memberId} (${this.transport}) closed: ${reason}`);
    this.stopped = true;
    this.held = [];
    this.finishIfAbandoned();
  }

  private finishIfAbandoned(): void {
    if (!this.inFlight) this.finish();
  }

  private finish(): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    for (const response of this.order.take()) this.socket.write(response);
    this.socket.end(relpServerClose());
    // A client that never reads must not keep the socket open.
    setTimeout(() => this.socket.destroy(), closeWaitMs).unref();
  }

  private pause(): void {
    this.paused = true;
    this.socket.pause();
  }

  private resume(): void {
    this.paused = false;
    this.socket.resume();
  }
}
