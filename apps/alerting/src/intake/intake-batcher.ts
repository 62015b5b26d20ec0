/** How a `MicroBatcher` gathers: at most `maxSize` items, for at most `windowMs` after the first. */
export interface BatchLimits {
  maxSize: number;
  windowMs: number;
}

interface Waiting<I, O> {
  item: I;
  resolve: (outcome: O) => void;
  reject: (error: Error) => void;
}

/**
 * Gathers the items handed to it by concurrent callers (the detections worker's jobs) into
 * batches and runs each batch with one call; each caller's promise settles with its own item's
 * outcome, or rejects with its own error. A batch starts when it holds `maxSize` items or
 * `windowMs` after its first item, whichever comes first; batches may overlap (the next gathers
 * while one runs), so a slow batch does not hold up the items after it beyond the window.
 * `run` returns one outcome or Error per item, in order; if it throws, every item of its batch
 * rejects with that error.
 */
export class MicroBatcher<I, O> {
  private gathering: Array<Waiting<I, O>> = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly run: (items: I[]) => Promise<Array<O | Error>>,
    private readonly limits: BatchLimits,
  ) {
    if (!Number.isInteger(limits.maxSize) || limits.maxSize < 1) throw new Error(`batch size must be a whole number of at least 1, not ${limits.maxSize}`);
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.gathering.push({ item, resolve, reject });
      if (this.gathering.length >= this.limits.maxSize) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.limits.windowMs);
    });
  }

  /** Starts the batch gathered so far (nothing when empty). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.gathering;
    this.gathering = [];
    if (batch.length > 0) void this.start(batch);
  }

  private async start(batch: Array<Waiting<I, O>>): Promise<void> {
    let outcomes: Array<O | Error>;
    try {
      outcomes = await this.run(batch.map((waiting) => waiting.item));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error as Error);
      return;
    }
    batch.forEach((waiting, n) => {
      const outcome = n < outcomes.length ? outcomes[n]! : new Error('the batch returned no outcome for this item');
      if (outcome instanceof Error) waiting.reject(outcome);
      else waiting.resolve(outcome);
    });
  }
}
