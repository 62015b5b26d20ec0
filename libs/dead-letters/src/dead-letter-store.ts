import type { DeadLetter, DeadLetterDetail, DeadLetterKind, DeadLetterStats, ReplayOutcome } from './dead-letter';

/** Where one kind of dead letter lives, and how it goes back on its path (an adapter: it does I/O). */
export interface DeadLetterStore {
  readonly kind: DeadLetterKind;
  list(): Promise<DeadLetter[]>;
  get(id: string): Promise<DeadLetterDetail | undefined>;
  /**
   * Puts the entry back on its normal path and removes it only once that path accepted it again;
   * a refused replay keeps it (`refused`, with the path's reason).
   */
  replay(id: string): Promise<ReplayOutcome>;
  /** Removes it for good; false when there was none. */
  discard(id: string): Promise<boolean>;
  stats(): Promise<DeadLetterStats>;
}
