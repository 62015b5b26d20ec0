import fc from 'fast-check';

/**
 * Every fuzz property of the repository (unit and e2e) runs from one seed, so a failure is
 * replayed exactly: `FUZZ_SEED=<seed> npx jest ...`. The default is fixed, so `npm test` is
 * deterministic; set FUZZ_SEED to explore other inputs. FUZZ_RUNS scales every property's number
 * of runs (0.5 halves them, 10 digs ten times deeper).
 */
export const fuzzSeed = parseSeed(process.env.FUZZ_SEED);
const runScale = Number(process.env.FUZZ_RUNS ?? '1') || 1;

function parseSeed(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return 20_261_202;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got "${text}"`);
  return seed | 0;
}

/** fast-check's parameters for one property: the shared seed, a bounded number of runs, shrinking on. */
export function fuzzParameters<T>(numRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  // FUZZ_PATH (the `path` a failure prints) replays that one counterexample at once, without the runs before it.
  const path = process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {};
  return { seed: fuzzSeed, numRuns: Math.max(1, Math.round(numRuns * runScale)), ...path, ...extra };
}

/**
 * Runs a property with the shared seed. fast-check shrinks a failure to a minimal counterexample;
 * the error then names the seed to replay it with, and the counterexample.
 */
export function checkProperty<Ts extends [unknown, ...unknown[]]>(property: fc.IProperty<Ts>, numRuns: number, extra: fc.Parameters<Ts> = {}): void {
  try {
    fc.assert(property, fuzzParameters(numRuns, extra));
  } catch (error) {
    throw withSeed(error);
  }
}

export async function checkAsyncProperty<Ts extends [unknown, ...unknown[]]>(
  property: fc.IAsyncProperty<Ts>,
  numRuns: number,
  extra: fc.Parameters<Ts> = {},
): Promise<void> {
  try {
    await fc.assert(property, fuzzParameters(numRuns, extra));
  } catch (error) {
    throw withSeed(error);
  }
}

function withSeed(error: unknown): unknown {
  if (error instanceof Error)
    error.message = `[fuzz] replay with FUZZ_SEED=${fuzzSeed} FUZZ_RUNS=${runScale} (and FUZZ_PATH=<path> for the counterexample alone)\n${error.message}`;
  return error;
}
