/** What one pull did; stored with the feed's status and answered by the feeds route. */
export interface TaxiiPullReport {
  started_at: string;
  finished_at: string;
  pages: number;
  /** STIX objects in the envelopes, of every type. */
  objects_read: number;
  /** Indicators stored (an OR pattern gives one per value). */
  indicators_accepted: number;
  refused: { reserved_address: number; invalid: number };
  /** The first refusals, each with where and why (`objects[3] (indicator--…): 10.0.0.0 is in the private range …`). */
  refusals: string[];
  /** The pull stopped at the page limit; the next one continues from the cursor at once. */
  truncated: boolean;
}

/** A feed's state as every replica sees it (Redis), never its credentials. */
export interface TaxiiFeedStatus {
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_error: { at: string; reason: string } | null;
  consecutive_failures: number;
  /** Replicas pull only from this instant on: the interval after a success, the backoff after a failure. */
  next_pull_at: string | null;
  last_pull: TaxiiPullReport | null;
  totals: {
    pulls_succeeded: number;
    pulls_failed: number;
    objects_read: number;
    indicators_accepted: number;
    refused_reserved_address: number;
    refused_invalid: number;
  };
}

export function emptyTaxiiFeedStatus(): TaxiiFeedStatus {
  return {
    last_attempt_at: null,
    last_success_at: null,
    last_error: null,
    consecutive_failures: 0,
    next_pull_at: null,
    last_pull: null,
    totals: { pulls_succeeded: 0, pulls_failed: 0, objects_read: 0, indicators_accepted: 0, refused_reserved_address: 0, refused_invalid: 0 },
  };
}
