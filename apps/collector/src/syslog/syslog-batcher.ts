import type { SocEvent } from '@soc/contracts';
import type { SubmitOutcome } from '../ingest-pipeline';

export interface SyslogBatcherOptions {
  /** Events per submission (a full batch is submitted at once). */
  maxEvents: number;
  /** How long a partial batch waits for more before it is submitted. */
  maxWaitMs: number;
  submit(events: SocEvent[]): Promise<SubmitOutcome>;
  /**
   * `retry` (TCP, TLS): a refused batch is kept and retried after `retryAfterSeconds` while the
   * source stays paused, so the sender buffers. `drop` (UDP, which cannot be paused): a refused
   * batch is dropped and reported through `dropped`.
   */
  whenRefused: 'retry' | 'drop';
  /** Stop reading the source: called when a submission starts. */
  pause?(): void;
  /** Read again: called when everything pending has been accepted. */
  resume?(): void;
  /** Events given up: refused UDP batches, overflow of `maxPendingEvents`, or still pending at `close()`. */
  dropped?(count: number): void;
  /**
   * A batch whose submission threw: a fault in the data or the code that a retry would repeat
   * forever (the store being away is a refusal, not a throw). It is given up and reported here.
   */
  failed?(count: number, error: Error): void;
  /** Bound on events held while a submission is in flight (for sources that cannot be paused). */
  maxPendingEvents?: number;
}

/**
 * Collects one sender's events into batches (up to `maxEvents`, or whatever arrived within
 * `maxWaitMs`) and submits them one at a time. While a batch is in flight or refused the source
 * is paused, so an overloaded or unavailable event store pushes back to the sender instead of
 * growing memory here.
 */
export class SyslogBatcher {
  private pending: SocEvent[] = [];
  private inFlight?: Promise<void>;
  private waitTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private wakeRetry?: () => void;
  private closed = false;

  constructor(private readonly options: SyslogBatcherOptions) {
    if (options.maxEvents < 1) throw new RangeError(`maxEvents must be at least 1, got ${options.maxEvents}`);
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  add(event: SocEvent): void {
    if (this.closed || this.pending.length >= (this.options.maxPendingEvents ?? Infinity)) {
      this.options.dropped?.(1);
      return;
    }
    this.pending.push(event);
    if (this.inFlight) return; // the running submission takes it
    if (this.pending.length >= this.options.maxEvents) this.start();
    else this.waitTimer ??= setTimeout(() => this.start(), this.options.maxWaitMs);
  }

  /** Submits everything pending and resolves when it has been accepted (or dropped). */
  async drain(): Promise<void> {
    while (this.inFlight || (this.pending.length > 0 && !this.closed)) {
      if (!this.inFlight) this.start();
      await this.inFlight;
    }
  }

  /** Stops retrying (shutdown): what is still pending is reported as dropped. */
  close(): void {
    this.closed = true;
    this.clearWait();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.wakeRetry?.();
  }

  private start(): void {
    this.clearWait();
    if (this.inFlight || this.closed) return;
    this.inFlight = this.submitPending().finally(() => {
      this.inFlight = undefined;
    });
  }

  private async submitPending(): Promise<void> {
    this.options.pause?.();
    while (this.pending.length > 0 && !this.closed) {
      const batch = this.pending.splice(0, this.options.maxEvents);
      if (!(await this.submitBatch(batch))) {
        this.pending.unshift(...batch);
        break;
      }
    }
    if (this.closed) {
      if (this.pending.length > 0) this.options.dropped?.(this.pending.length);
      this.pending = [];
      return;
    }
    this.options.resume?.();
  }

  /** False only when closed while the batch was still refused. */
  private async submitBatch(batch: SocEvent[]): Promise<boolean> {
    for (;;) {
      let outcome: SubmitOutcome;
      try {
        outcome = await this.options.submit(batch);
      } catch (error) {
        this.options.failed?.(batch.length, error instanceof Error ? error : new Error(String(error)));
        return true;
      }
      if ('accepted' in outcome) return true;
      if (this.options.whenRefused === 'drop') {
        this.options.dropped?.(batch.length);
        return true;
      }
      if (this.closed) return false;
      await this.retryDelay(outcome.retryAfterSeconds * 1000);
      if (this.closed) return false;
    }
  }

  private retryDelay(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wakeRetry = resolve;
      this.retryTimer = setTimeout(resolve, ms);
    }).then(() => {
      this.wakeRetry = undefined;
      this.retryTimer = undefined;
    });
  }

  private clearWait(): void {
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.waitTimer = undefined;
  }
}
