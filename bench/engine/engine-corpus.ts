import type { Indicator } from '@soc/indicators';
import { CorpusBuilder, type RawLine } from './corpus';
import { generateIndicators } from './indicator-set';
import { realWindowsRecords } from './sigmahq';

/** The measured corpus's seed: every process of `bench:engine` builds the same lines from it. */
export const seed = 20260105;
/** The warm-up corpus's seed (see `throughputs` in main.ts). */
export const warmSeed = seed + 1;
/** Real Windows events mixed into the corpus for the SigmaHQ configuration. */
export const realWindowsEvents = 100_000;

/** The labelled indicator feed the corpus's indicator hits come from. */
export function labelledFeed(): Indicator[] {
  return [...generateIndicators(10_000, seed)];
}

/** The bench's corpus recipe (docs/PERFORMANCE.md, "Correlation engine"), from a seed. */
export function corpusBuilder(corpusSeed = seed, feed: readonly Indicator[] = labelledFeed()): CorpusBuilder {
  return new CorpusBuilder(corpusSeed)
    .background(120_000, 80_000)
    .sshBruteForce(12)
    .windowsBruteForce(8)
    .passwordSpraying(6)
    .indicatorHits(feed, 10)
    .actorCampaign()
    .memberOrigin(3);
}

/**
 * The SigmaHQ corpus (the recipe plus `realWindowsEvents` picks among the real Windows records) of a
 * seed, its members' ranges, and how many distinct records the picks came from.
 */
export function sigmahqCorpus(corpusSeed: number): { raw: RawLine[]; ranges: Map<string, string>; distinctRecords: number } {
  const records = realWindowsRecords().map((r) => r.record);
  const { raw, ranges } = corpusBuilder(corpusSeed).realWindows(records, realWindowsEvents).build();
  return { raw, ranges, distinctRecords: records.length };
}
