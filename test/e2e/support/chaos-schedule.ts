/**
 * The chaos e2e's script: which faults happen when, and when each member's attack steps are
 * sent, as a pure function of a seed. The same seed gives the same plan, so a failing run is
 * repeated with `CHAOS_SEED=<seed>`; times are milliseconds from the start of the load.
 */

export type ChaosApp = 'collector' | 'correlator' | 'alerting';

export type ChaosFault =
  /** SIGKILL one replica, start it again `downMs` later. */
  | { kind: 'kill-process'; at: number; downMs: number; app: ChaosApp; replica: number }
  /** SIGKILL the (persistent) Redis, start it again on its folder `downMs` later. */
  | { kind: 'restart-redis'; at: number; downMs: number }
  /** Refuse every connection to Elasticsearch for `downMs` (12-20 s). */
  | { kind: 'cut-elasticsearch'; at: number; downMs: number };

/**
 * One request of a member's attack: `bruteforce` steps 0-4 are the five failed SSH logins from one
 * address (one event each, seconds apart, so the window lives through faults), `indicator` is one
 * request of events to the member's indicator address.
 */
export interface AttackStep {
  at: number;
  member: string;
  kind: 'bruteforce' | 'indicator';
  step: number;
}

export interface ChaosPlan {
  seed: number;
  durationMs: number;
  faults: ChaosFault[];
  attacks: AttackStep[];
}

export interface ChaosPlanOptions {
  durationMs: number;
  replicas: Record<ChaosApp, number>;
  members: string[];
}

/** Faults begin after this much load and end this long before it stops, so recovery happens under load. */
export const chaosLeadInMs = 8_000;
export const chaosQuietTailMs = 15_000;
/** A killed process is not killed again within this long after its restart (start-up takes seconds). */
export const chaosRestartAllowanceMs = 8_000;
export const bruteforceSteps = 5;

/** mulberry32: a small, well-known 32-bit generator; enough for a test script, and the same everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function chaosPlan(seed: number, options: ChaosPlanOptions): ChaosPlan {
  const random = seededRandom(seed);
  const between = (low: number, high: number) => Math.round(low + random() * (high - low));
  const lastFaultEnd = options.durationMs - chaosQuietTailMs;

  const faults: ChaosFault[] = [];
  // At least 12 s: a failed bulk request takes the client 3-5 s (its own retries), so the indexer's
  // second delivery of a batch fails, and dead-letters it, within the cut.
  const cutMs = between(12_000, 20_000);
  faults.push({ kind: 'cut-elasticsearch', at: between(chaosLeadInMs, lastFaultEnd - cutMs), downMs: cutMs });
  const redisDownMs = between(1_000, 3_000);
  faults.push({ kind: 'restart-redis', at: between(chaosLeadInMs, lastFaultEnd - redisDownMs), downMs: redisDownMs });

  // Process kills one after another; the first three take each kind once, in a random order, so
  // every kind of process is killed at least once whatever the seed.
  const apps = (Object.keys(options.replicas) as ChaosApp[]).filter((app) => options.replicas[app] > 0);
  const firstKinds = shuffled(apps, random);
  const availableAt = new Map<string, number>();
  let at = chaosLeadInMs;
  for (let n = 0; ; n += 1) {
    at += between(4_000, 10_000);
    const downMs = between(1_000, 5_000);
    if (at + downMs > lastFaultEnd) break;
    const candidates = (n < firstKinds.length ? [firstKinds[n]] : apps).flatMap((app) =>
      Array.from({ length: options.replicas[app] }, (_, replica) => ({ app, replica })).filter(
        ({ app: a, replica }) => (availableAt.get(`${a}-${replica}`) ?? 0) <= at,
      ),
    );
    if (candidates.length === 0) continue;
    const { app, replica } = candidates[Math.floor(random() * candidates.length)];
    faults.push({ kind: 'kill-process', at, downMs, app, replica });
    availableAt.set(`${app}-${replica}`, at + downMs + chaosRestartAllowanceMs);
  }

  // Attacks end early enough for their alerts to be made under load too.
  const attacks: AttackStep[] = [];
  for (const member of options.members) {
    let step = between(2_000, options.durationMs - 50_000);
    for (let n = 0; n < bruteforceSteps; n += 1) {
      attacks.push({ at: step, member, kind: 'bruteforce', step: n });
      step += between(2_000, 8_000);
    }
    attacks.push({ at: between(2_000, options.durationMs - 20_000), member, kind: 'indicator', step: 0 });
  }

  const byTime = <T extends { at: number }>(list: T[]) => list.sort((a, b) => a.at - b.at);
  return { seed, durationMs: options.durationMs, faults: byTime(faults), attacks: byTime(attacks) };
}

/** A line per fault, for the test's output and failure messages. */
export function describePlan(plan: ChaosPlan): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  return plan.faults
    .map((f) => {
      const what = f.kind === 'kill-process' ? `SIGKILL ${f.app}-${f.replica}` : f.kind === 'restart-redis' ? 'SIGKILL redis' : 'cut elasticsearch';
      return `  t=${seconds(f.at)}s ${what}, back after ${seconds(f.downMs)}s`;
    })
    .join('\n');
}

function shuffled<T>(list: T[], random: () => number): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
