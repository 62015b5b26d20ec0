import { IndicatorIndex, type IndicatorIndexOptions } from '@soc/indicators';
import type { IndicatorRepository } from './indicator.repository';

export interface LiveIndicatorIndexOptions {
  /** How long one read of the change log waits for news; bounds the stop latency. */
  blockMs?: number;
  index?: IndicatorIndexOptions;
  onError?: (error: Error) => void;
  onApplied?: (count: number) => void;
}

/**
 * This replica's in-memory copy of the shared indicator set: loaded whole at start, then kept
 * current by following the change log (a blocking XREAD, so changes arrive within milliseconds and
 * none is lost across a reconnect: the follower resumes from the last id it applied). A follower
 * that fell behind a trimmed log reloads everything.
 *
 * The repository passed in must have its own connection: a blocking read holds it.
 */
export class LiveIndicatorIndex {
  readonly index: IndicatorIndex;
  private after = '0-0';
  private running = false;
  private loop?: Promise<void>;
  private readonly blockMs: number;

  constructor(
    private readonly follower: IndicatorRepository,
    private readonly options: LiveIndicatorIndexOptions = {},
  ) {
    this.index = new IndicatorIndex(options.index);
    this.blockMs = options.blockMs ?? 1_000;
  }

  /** The change-log id this replica has applied up to. */
  get version(): string {
    return this.after;
  }

  async start(): Promise<void> {
    await this.reload();
    this.running = true;
    this.loop = this.follow();
  }

  /** Follows the log again from where it stopped (no reload). */
  async resume(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.loop = this.follow();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async reload(): Promise<void> {
    const { indicators, after } = await this.follower.loadAll();
    for (const indicator of indicators) this.index.upsert(indicator);
    this.after = after;
    this.options.onApplied?.(indicators.length);
  }

  private async follow(): Promise<void> {
    while (this.running) {
      try {
        const changes = await this.follower.changesAfter(this.after, this.blockMs);
        if (changes.length === 0) continue;
        // The log is trimmed only when something is added, so news is when to check for a gap.
        if (await this.follower.isTrimmedPast(this.after)) {
          await this.reload();
          continue;
        }
        let applied = 0;
        for (const change of changes) {
          for (const indicator of change.indicators) this.index.upsert(indicator);
          applied += change.indicators.length;
          this.after = change.id;
        }
        this.options.onApplied?.(applied);
      } catch (error) {
        this.options.onError?.(error as Error);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }
}
