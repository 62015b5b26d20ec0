import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { TaxiiFeedPuller, TaxiiPullOutcome } from '@soc/indicator-store';
import type { TaxiiFeed } from '@soc/indicators';
import type { TaxiiFeedMetrics } from './taxii-feed-metrics';

/** Longest wait before a replica looks at a feed again while another replica holds its lock. */
const LOCKED_RECHECK_MS = 10_000;
/** Shortest wait between two looks at one feed. */
const MIN_RECHECK_MS = 250;

/**
 * Runs each feed on its own timer in every replica. Which replica pulls, and when, is decided in
 * Redis by the puller (the feed's lock and `next_pull_at`), so replicas need no coordination
 * here: each looks again when the feed is next due (a little jitter apart). A failing or
 * throwing feed is logged and counted and never touches the other feeds' timers.
 */
export class TaxiiFeedScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TaxiiFeeds');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly feeds: readonly TaxiiFeed[],
    private readonly puller: TaxiiFeedPuller,
    private readonly metrics: TaxiiFeedMetrics,
    private readonly onStopped: () => void = () => undefined,
  ) {}

  onApplicationBootstrap(): void {
    if (this.feeds.length > 0) this.logger.log(`pulling ${this.feeds.length} TAXII feed(s): ${this.feeds.map((f) => f.id).join(', ')}`);
    for (const feed of this.feeds) this.schedule(feed, jitter(1_000));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    await Promise.all(this.running);
    this.onStopped();
  }

  private schedule(feed: TaxiiFeed, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      const run = this.look(feed).finally(() => this.running.delete(run));
      this.running.add(run);
    }, delayMs);
    timer.unref();
    this.timers.set(feed.id, timer);
  }

  private async look(feed: TaxiiFeed): Promise<void> {
    let delay: number;
    try {
      const outcome = await this.puller.pullIfDue(feed);
      this.report(feed, outcome);
      delay = this.delayAfter(feed, outcome);
    } catch (error) {
      // Redis away, or the lock lost mid-pull: nothing was recorded; look again after an interval.
      this.metrics.recordError(feed.id);
      this.logger.warn(`TAXII feed ${feed.id}: pull could not complete: ${(error as Error).message}`);
      delay = Math.min(feed.intervalMs, 60_000);
    }
    this.schedule(feed, delay);
  }

  private report(feed: TaxiiFeed, outcome: TaxiiPullOutcome): void {
    this.metrics.record(feed.id, outcome);
    if (outcome.kind === 'succeeded') {
      const { pages, objects_read, indicators_accepted, refused } = outcome.report;
      this.logger.log(
        `TAXII feed ${feed.id}: ${pages} page(s), ${objects_read} objects, ${indicators_accepted} indicators stored, ` +
          `${refused.reserved_address} refused for reserved addresses, ${refused.invalid} unreadable`,
      );
    } else if (outcome.kind === 'failed') {
      this.logger.warn(`TAXII feed ${feed.id}: pull failed, next attempt at ${outcome.nextPullAt.toISOString()}: ${outcome.reason}`);
    }
  }

  private delayAfter(feed: TaxiiFeed, outcome: TaxiiPullOutcome): number {
    if (outcome.kind === 'locked') return Math.min(feed.intervalMs, LOCKED_RECHECK_MS);
    const untilDue = outcome.nextPullAt.getTime() - Date.now();
    return Math.max(untilDue, MIN_RECHECK_MS) + jitter(Math.min(1_000, feed.intervalMs / 10));
  }
}

// Replicas started together would otherwise all race for the lock in the same millisecond.
function jitter(maxMs: number): number {
  return Math.floor(Math.random() * maxMs);
}
