import { type AddressScopePolicy, formatImportError, importTaxiiObjects, nextTaxiiPage, type TaxiiFeed, type TaxiiObjectsQuery } from '@soc/indicators';
import type { IndicatorRepository } from '../indicator.repository';
import { TaxiiCollectionClient } from './taxii-collection.client';
import type { TaxiiFeedLock, TaxiiFeedStateRepository } from './taxii-feed-state.repository';
import type { TaxiiFeedStatus, TaxiiPullReport } from './taxii-feed-status';

/** Refusals kept in a pull's report; the counts cover all of them. */
const REFUSALS_KEPT = 20;

export interface TaxiiFeedPullerOptions {
  /** One HTTP request's limit. */
  readonly requestTimeoutMs: number;
  /** Pages one pull reads at most; the next pull continues from the cursor. */
  readonly maxPagesPerPull: number;
  /** Which addresses are reserved (production's by default). */
  readonly addressScope?: AddressScopePolicy;
  /** The lock's expiry, renewed after every page: must outlast one page's request and import. */
  readonly lockTtlMs?: number;
  readonly now?: () => Date;
}

export type TaxiiPullOutcome =
  | { readonly kind: 'locked' }
  | { readonly kind: 'not_due'; readonly nextPullAt: Date }
  | { readonly kind: 'succeeded'; readonly report: TaxiiPullReport; readonly nextPullAt: Date }
  | { readonly kind: 'failed'; readonly reason: string; readonly report: TaxiiPullReport; readonly nextPullAt: Date };

class LockLostError extends Error {
  constructor() {
    super("this replica's lock on the feed expired mid-pull; another replica may hold it now");
  }
}

/**
 * Pulls one TAXII 2.1 collection into the shared indicator set, incrementally and by one replica
 * at a time: under the feed's lock, when the feed is due, from the stored `added_after` cursor,
 * page by page (`next`, or `X-TAXII-Date-Added-Last`), each page read like an imported STIX
 * bundle with reserved addresses refused, stored through the `IndicatorRepository` and only then
 * the cursor advanced, so a crash re-reads at most one page. The outcome and the counts go to
 * the feed's status; a failure sets the next attempt after a backoff.
 */
export class TaxiiFeedPuller {
  private readonly lockTtlMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly state: TaxiiFeedStateRepository,
    private readonly indicators: IndicatorRepository,
    private readonly options: TaxiiFeedPullerOptions,
  ) {
    this.lockTtlMs = options.lockTtlMs ?? options.requestTimeoutMs + 60_000;
    this.now = options.now ?? (() => new Date());
  }

  /** Pulls the feed when it is due and no other replica is pulling it. */
  async pullIfDue(feed: TaxiiFeed): Promise<TaxiiPullOutcome> {
    const lock = await this.state.tryLock(feed.id, this.lockTtlMs);
    if (lock === undefined) return { kind: 'locked' };
    try {
      const status = await this.state.status(feed.id);
      const dueAt = status.next_pull_at === null ? undefined : new Date(status.next_pull_at);
      if (dueAt !== undefined && dueAt > this.now()) return { kind: 'not_due', nextPullAt: dueAt };
      return await this.pull(feed, lock, status);
    } finally {
      await this.state.release(lock).catch(() => undefined); // it expires by itself
    }
  }

  private async pull(feed: TaxiiFeed, lock: TaxiiFeedLock, status: TaxiiFeedStatus): Promise<TaxiiPullOutcome> {
    const startedAt = this.now();
    const report: TaxiiPullReport = {
      started_at: startedAt.toISOString(),
      finished_at: startedAt.toISOString(),
      pages: 0,
      objects_read: 0,
      indicators_accepted: 0,
      refused: { reserved_address: 0, invalid: 0 },
      refusals: [],
      truncated: false,
    };
    let failure: string | undefined;
    try {
      await this.readPages(feed, lock, report);
    } catch (error) {
      if (error instanceof LockLostError) throw error;
      failure = (error as Error).message;
    }
    const finishedAt = this.now();
    report.finished_at = finishedAt.toISOString();
    const failures = failure === undefined ? 0 : status.consecutive_failures + 1;
    const nextPullAt = new Date(finishedAt.getTime() + (report.truncated ? 0 : this.delayAfter(feed, failures)));
    const totals = status.totals;
    const next: TaxiiFeedStatus = {
      last_attempt_at: startedAt.toISOString(),
      last_success_at: failure === undefined ? finishedAt.toISOString() : status.last_success_at,
      last_error: failure === undefined ? status.last_error : { at: finishedAt.toISOString(), reason: failure },
      consecutive_failures: failures,
      next_pull_at: nextPullAt.toISOString(),
      last_pull: report,
      totals: {
        pulls_succeeded: totals.pulls_succeeded + (failure === undefined ? 1 : 0),
        pulls_failed: totals.pulls_failed + (failure === undefined ? 0 : 1),
        objects_read: totals.objects_read + report.objects_read,
        indicators_accepted: totals.indicators_accepted + report.indicators_accepted,
        refused_reserved_address: totals.refused_reserved_address + report.refused.reserved_address,
        refused_invalid: totals.refused_invalid + report.refused.invalid,
      },
    };
    if (!(await this.state.saveStatus(lock, next))) throw new LockLostError();
    return failure === undefined ? { kind: 'succeeded', report, nextPullAt } : { kind: 'failed', reason: failure, report, nextPullAt };
  }

  private async readPages(feed: TaxiiFeed, lock: TaxiiFeedLock, report: TaxiiPullReport): Promise<void> {
    const client = new TaxiiCollectionClient(feed, this.options.requestTimeoutMs);
    await client.checkReadable();
    const cursor = (await this.state.cursor(feed.id)) ?? feed.initialAddedAfter;
    let query: TaxiiObjectsQuery = {
      ...(cursor !== undefined ? { addedAfter: cursor } : {}),
      ...(feed.pageSize !== undefined ? { limit: feed.pageSize } : {}),
      ...(feed.matchTypes !== undefined ? { types: feed.matchTypes } : {}),
    };
    for (;;) {
      if (report.pages >= this.options.maxPagesPerPull) {
        report.truncated = true;
        return;
      }
      const page = await client.objects(query);
      report.pages += 1;
      const read = importTaxiiObjects(page.envelope.objects, {
        source: feed.source,
        ...(feed.defaultTlp !== undefined ? { defaultTlp: feed.defaultTlp } : {}),
        ...(this.options.addressScope !== undefined ? { addressScope: this.options.addressScope } : {}),
      });
      await this.indicators.upsert(read.indicators);
      report.objects_read += page.envelope.objects.length;
      report.indicators_accepted += read.indicators.length;
      report.refused.reserved_address += read.refusedReserved;
      report.refused.invalid += read.refusedInvalid;
      for (const error of read.errors) {
        if (report.refusals.length >= REFUSALS_KEPT) break;
        report.refusals.push(`page ${report.pages}: ${formatImportError(error)}`);
      }
      if (page.dateAddedLast !== undefined && !(await this.state.advanceCursor(lock, page.dateAddedLast))) throw new LockLostError();
      if (!(await this.state.renew(lock, this.lockTtlMs))) throw new LockLostError();
      const next = nextTaxiiPage(query, page.envelope, page.dateAddedLast);
      if (next.done) return;
      if ('error' in next) throw new Error(next.error);
      query = next.query;
    }
  }

  // The interval after a success; after n failures in a row, interval × 2^(n−1), at most max_backoff.
  private delayAfter(feed: TaxiiFeed, failures: number): number {
    if (failures === 0) return feed.intervalMs;
    return Math.min(feed.intervalMs * 2 ** Math.min(failures - 1, 30), feed.maxBackoffMs);
  }
}
