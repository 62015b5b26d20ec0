import type { FeedPart, FeedSplit } from './feed-parts';
import { locateRejection } from './feed-parts';

/** An import of a split file as it goes: parts sent, indicators accepted and rejected so far. */
export interface ImportProgress {
  readonly parts: number;
  readonly partsDone: number;
  /** Indicators stored (the API's `imported`; a STIX pattern with an OR gives one per value). */
  readonly accepted: number;
  /** Entries refused (one per API rejection; the splitter's own, e.g. a CSV footer, included). */
  readonly rejected: number;
  /** Each rejection with the place in the file, in the order the parts were answered. */
  readonly rejections: readonly string[];
  readonly state: 'running' | 'done' | 'stopped' | 'failed';
  /** The part the API refused as a whole (1-based) and its message. */
  readonly failure?: { readonly part: number; readonly message: string };
}

export function startProgress(split: FeedSplit): ImportProgress {
  return {
    parts: split.parts.length,
    partsDone: 0,
    accepted: 0,
    rejected: split.rejections.length,
    rejections: split.rejections,
    state: split.parts.length === 0 ? 'done' : 'running',
  };
}

/** A part the API answered: its indicators count, its rejections are placed in the file. */
export function partAnswered(progress: ImportProgress, part: FeedPart, answer: { imported: number; errors: readonly string[] }): ImportProgress {
  const partsDone = progress.partsDone + 1;
  return {
    ...progress,
    partsDone,
    accepted: progress.accepted + answer.imported,
    rejected: progress.rejected + answer.errors.length,
    rejections: [...progress.rejections, ...answer.errors.map((error) => locateRejection(part, error))],
    state: partsDone === progress.parts ? 'done' : progress.state,
  };
}

/** A part the API refused as a whole (403, 413, 503 …): the import stops there; earlier parts stay stored. */
export function partFailed(progress: ImportProgress, message: string): ImportProgress {
  return { ...progress, state: 'failed', failure: { part: progress.partsDone + 1, message } };
}

export function importStopped(progress: ImportProgress): ImportProgress {
  return progress.state === 'running' ? { ...progress, state: 'stopped' } : progress;
}

/** Whole per cent of the parts done (100 only when every part is answered). */
export function percentDone(progress: ImportProgress): number {
  if (progress.parts === 0) return 100;
  return Math.floor((progress.partsDone * 100) / progress.parts);
}

/**
 * Sends the parts one after the other (the next only after the previous is answered, so the
 * correlator and the proxy carry one part at a time), reporting the progress after each; stops at
 * the first part refused as a whole, or when `stop()` says so between parts.
 */
export async function importParts(
  split: FeedSplit,
  send: (part: FeedPart) => Promise<{ imported: number; errors: readonly string[] }>,
  report: (progress: ImportProgress) => void,
  stop: () => boolean = () => false,
): Promise<ImportProgress> {
  let progress = startProgress(split);
  report(progress);
  for (const part of split.parts) {
    if (stop()) {
      progress = importStopped(progress);
      break;
    }
    try {
      progress = partAnswered(progress, part, await send(part));
    } catch (error) {
      progress = partFailed(progress, (error as Error).message);
      report(progress);
      return progress;
    }
    report(progress);
  }
  report(progress);
  return progress;
}
