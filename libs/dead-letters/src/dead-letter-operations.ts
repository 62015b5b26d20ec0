import {
  deadLetterWarnings,
  type DeadLetter,
  type DeadLetterDetail,
  type DeadLetterFilter,
  type DeadLetterKind,
  type DeadLetterListQuery,
  type DeadLetterPage,
  type DeadLetterStats,
  type DeadLetterThresholds,
  type ReplayOutcome,
  matchesFilter,
  compareDeadLetters,
  pageOf,
} from './dead-letter';
import type { DeadLetterStore } from './dead-letter-store';

/** Who did it, for the audit trail (a soc_admin token's subject, or `cli:<user>`). */
export interface DeadLetterActor {
  sub: string;
  role: string;
  name?: string;
}

/** One audited change: written before the answer, like every other admin change. */
export interface DeadLetterAuditRecord {
  target: { type: 'dead_letter'; id: string };
  organization: { id: string };
  actor: DeadLetterActor;
  action: 'dead_letter_replayed' | 'dead_letter_replay_refused' | 'dead_letter_discarded';
  before: DeadLetter;
  after: { outcome: string; detail?: string };
  reason?: string;
}

export type AuditDeadLetter = (record: DeadLetterAuditRecord) => Promise<void>;

/** Replays of a filtered set stop after this many, so one request stays bounded; run it again for the rest. */
export const maxReplayPerRequest = 1_000;

/**
 * List, inspect, replay and discard dead letters across the kinds an app holds; the API and the CLI
 * both go through here, so both are audited the same way.
 */
export class DeadLetterOperations {
  private readonly stores = new Map<DeadLetterKind, DeadLetterStore>();

  constructor(
    stores: DeadLetterStore[],
    private readonly audit: AuditDeadLetter,
  ) {
    for (const store of stores) this.stores.set(store.kind, store);
  }

  get kinds(): DeadLetterKind[] {
    return [...this.stores.keys()];
  }

  store(kind: DeadLetterKind): DeadLetterStore | undefined {
    return this.stores.get(kind);
  }

  private async all(filter: DeadLetterFilter): Promise<DeadLetter[]> {
    const stores = [...this.stores.values()].filter((s) => !filter.kind || s.kind === filter.kind);
    return (await Promise.all(stores.map((s) => s.list()))).flat();
  }

  async list(query: DeadLetterListQuery): Promise<DeadLetterPage> {
    return pageOf(await this.all(query), query);
  }

  async get(kind: DeadLetterKind, id: string): Promise<DeadLetterDetail | undefined> {
    return this.stores.get(kind)?.get(id);
  }

  async replay(kind: DeadLetterKind, id: string, actor: DeadLetterActor, reason?: string): Promise<ReplayOutcome> {
    const store = this.stores.get(kind);
    const before = await store?.get(id);
    if (!store || !before) return { kind, id, outcome: 'not_found', detail: `no ${kind} dead letter ${id}` };
    const outcome = await store.replay(id);
    if (outcome.outcome !== 'not_found') {
      const { payload: _payload, ...letter } = before;
      await this.audit({
        target: { type: 'dead_letter', id: `${kind}:${id}` },
        organization: { id: letter.members.length === 1 ? letter.members[0] : 'shared-soc' },
        actor,
        action: outcome.outcome === 'replayed' ? 'dead_letter_replayed' : 'dead_letter_replay_refused',
        before: letter,
        after: { outcome: outcome.outcome, detail: outcome.detail },
        ...(reason ? { reason } : {}),
      });
    }
    return outcome;
  }

  /** Replays every dead letter of the filter (a kind is required), oldest first, up to `maxReplayPerRequest`. */
  async replayMatching(
    filter: DeadLetterFilter & { kind: DeadLetterKind },
    actor: DeadLetterActor,
    reason?: string,
  ): Promise<{ outcomes: ReplayOutcome[]; remaining: number }> {
    const matching = (await this.all(filter)).filter((l) => matchesFilter(l, filter)).sort(compareDeadLetters);
    const outcomes: ReplayOutcome[] = [];
    for (const letter of matching.slice(0, maxReplayPerRequest)) outcomes.push(await this.replay(letter.kind, letter.id, actor, reason));
    return { outcomes, remaining: Math.max(0, matching.length - maxReplayPerRequest) };
  }

  async discard(kind: DeadLetterKind, id: string, actor: DeadLetterActor, reason: string): Promise<boolean> {
    const store = this.stores.get(kind);
    const before = await store?.get(id);
    if (!store || !before) return false;
    // Audited first: a discarded payload is gone, the record of who discarded it and why must not be.
    const { payload: _payload, ...letter } = before;
    await this.audit({
      target: { type: 'dead_letter', id: `${kind}:${id}` },
      organization: { id: letter.members.length === 1 ? letter.members[0] : 'shared-soc' },
      actor,
      action: 'dead_letter_discarded',
      before: letter,
      after: { outcome: 'discarded' },
      reason,
    });
    return store.discard(id);
  }

  async stats(): Promise<DeadLetterStats[]> {
    return Promise.all([...this.stores.values()].map((s) => s.stats()));
  }

  async warnings(thresholds: DeadLetterThresholds, now = Date.now()): Promise<string[]> {
    return deadLetterWarnings(await this.stats(), thresholds, now);
  }
}
