import type { Client } from '@elastic/elasticsearch';
import type { BulkOperationContainer, BulkResponseItem } from '@elastic/elasticsearch/lib/api/types';
import type { Detection } from '@soc/contracts';
import {
  alertId,
  alertKey,
  alertRaisedBy,
  bringsNewObservable,
  canRaiseAlert,
  foldDetection,
  newAlert,
  placeDetection,
  type AlertPlacement,
  type RiskAssessment,
  type StoredAlert,
} from '@soc/alerts';

/** One detection to place, with the risk the caller assessed for it. */
export interface DetectionToPlace {
  detection: Detection;
  risk: RiskAssessment;
}

/**
 * What became of one detection of a batch: its placement; `deferred` (not placed: a later
 * detection of a key whose alert an earlier one of the batch raised, see `upsertAlerts`); or
 * `failed` with the error of its key (a conflict that did not settle, a refused write, a failed
 * request).
 */
export type BatchPlacement = AlertPlacement | { outcome: 'deferred' } | { outcome: 'failed'; error: Error };

/** Attempts per alert key before its detections fail with "too many concurrent updates". */
const maxAttempts = 10;

/** Where one alert key of the batch stands. */
interface KeyRun {
  key: string;
  /** Indices into the batch of this key's detections, in the batch's order. */
  items: number[];
  /** The first of `items` not placed yet. */
  next: number;
  generation: number;
  attempts: number;
}

/** One key's walk over the generation read for it: the placements it would make, and the write that makes them. */
interface Walk {
  run: KeyRun;
  placements: Array<[number, BatchPlacement]>;
  /** The index (into `run.items`) after the last detection the walk placed. */
  end: number;
  /** The walk stopped at a detection that belongs to the next generation. */
  nextGeneration: boolean;
  /** The walk stopped after a detection that raised the alert; the rest of the key is deferred. */
  raised: boolean;
  write?: { create: boolean; alert: StoredAlert; seqNo?: number; primaryTerm?: number };
}

/**
 * Places a batch of detections into the alerts index with one `mget` and one `bulk` per round
 * (docs/ALERTING.md, "Batched intake"). Each detection gets the placement it would have had had the
 * batch's detections been placed one after another in order: the detections of one alert key are
 * folded in memory with the pure functions of `@soc/alerts`, so a key costs one read and one write
 * however many of its detections the batch holds.
 *
 * - Rounds: a key whose detections reach a closed generation's successor reads that generation in
 *   the next round (real-time `mget`, so nothing waits for a refresh), as the single upsert walks
 *   `-1`, `-2`, ….
 * - Optimistic concurrency per key: a new alert is written with `create`, a fold with `index` and
 *   the read's `if_seq_no`/`if_primary_term`. A conflict (409) re-reads and re-places only that
 *   key's detections, at most `maxAttempts` times; any other refused write fails only that key's
 *   detections. A failed request (Elasticsearch unreachable) fails the detections of the keys it
 *   was for (those placed in an earlier round keep their placement, which was written).
 * - A detection that raised its alert (`alertRaisedBy`: created it now, or an earlier delivery did
 *   and nothing else was folded in since) ends its key's part of the call: the key's later
 *   detections come back `deferred`. The caller runs the new alert's side effects first and then
 *   places them in a further call. Folding them in the same write would give the alert a second
 *   contribution, and a redelivery of the raising detection after its side effects failed would no
 *   longer be recognised as the one that raised it (`alertRaisedBy`), so they would never run.
 */
export async function upsertAlerts(
  client: Client,
  index: string,
  suppressionSeconds: number,
  batch: readonly DetectionToPlace[],
  now: string,
): Promise<BatchPlacement[]> {
  const results: Array<BatchPlacement | undefined> = new Array(batch.length);
  const byKey = new Map<string, KeyRun>();
  batch.forEach(({ detection }, i) => {
    const key = alertKey(detection);
    const run = byKey.get(key) ?? { key, items: [], next: 0, generation: 1, attempts: 0 };
    run.items.push(i);
    byKey.set(key, run);
  });
  let active = [...byKey.values()];
  const fail = (run: KeyRun, error: Error) => {
    for (const i of run.items.slice(run.next)) results[i] = { outcome: 'failed', error };
  };
  const settle = (walk: Walk): boolean => {
    for (const [i, placement] of walk.placements) results[i] = placement;
    walk.run.next = walk.end;
    if (walk.raised) {
      for (const i of walk.run.items.slice(walk.end)) results[i] = { outcome: 'deferred' };
      return false;
    }
    if (walk.nextGeneration) {
      walk.run.generation++;
      return true;
    }
    return false;
  };

  while (active.length > 0) {
    let read: Awaited<ReturnType<typeof client.mget<StoredAlert>>>;
    try {
      read = await client.mget<StoredAlert>({ index, ids: active.map((run) => alertId(run.key, run.generation)) });
    } catch (error) {
      for (const run of active) fail(run, error as Error);
      break;
    }
    const writing: Walk[] = [];
    const again: KeyRun[] = [];
    read.docs.forEach((doc, n) => {
      const run = active[n]!;
      // The alerts index not created yet (no alert ever written) reads as a missing alert, as the single get did.
      if ('error' in doc && doc.error && doc.error.type !== 'index_not_found_exception') {
        fail(run, new Error(`alert ${doc._id}: read refused: ${doc.error.type}: ${doc.error.reason ?? ''}`));
        return;
      }
      const found = 'found' in doc && doc.found && doc._source ? doc : undefined;
      const walk = walkKey(run, found && { alert: found._source!, seqNo: found._seq_no, primaryTerm: found._primary_term }, batch, suppressionSeconds, now);
      if (walk.write) writing.push(walk);
      else if (settle(walk)) again.push(run);
    });

    if (writing.length > 0) {
      const operations: Array<BulkOperationContainer | StoredAlert> = [];
      for (const { write } of writing) {
        const { alert, create, seqNo, primaryTerm } = write!;
        operations.push(
          create ? { create: { _index: index, _id: alert.id } } : { index: { _index: index, _id: alert.id, if_seq_no: seqNo, if_primary_term: primaryTerm } },
          alert,
        );
      }
      let response: Awaited<ReturnType<typeof client.bulk<StoredAlert>>>;
      try {
        response = await client.bulk<StoredAlert>({ operations });
      } catch (error) {
        // Whether any of it was written is unknown: the keys fail, and their retries find out.
        for (const walk of writing) fail(walk.run, error as Error);
        active = again;
        continue;
      }
      response.items.forEach((item, n) => {
        const walk = writing[n]!;
        const outcome = Object.values(item)[0] as BulkResponseItem;
        if (!outcome.error) {
          if (settle(walk)) again.push(walk.run);
        } else if (outcome.status === 409) {
          walk.run.attempts++;
          if (walk.run.attempts < maxAttempts) again.push(walk.run);
          else fail(walk.run, new Error(`alert key ${walk.run.key}: too many concurrent updates`));
        } else {
          fail(walk.run, new Error(`alert ${outcome._id}: write refused (${outcome.status}): ${outcome.error.type}: ${outcome.error.reason ?? ''}`));
        }
      });
    }
    active = again;
  }
  return results.map((result) => result ?? { outcome: 'failed', error: new Error('detection left unplaced') });
}

/**
 * A key's detections from `run.next` on, placed against the generation read (undefined: it does
 * not exist), in order, in memory: until the key is done, a detection needs the next generation,
 * or one raised the alert.
 */
function walkKey(
  run: KeyRun,
  read: { alert: StoredAlert; seqNo?: number; primaryTerm?: number } | undefined,
  batch: readonly DetectionToPlace[],
  suppressionSeconds: number,
  now: string,
): Walk {
  const walk: Walk = { run, placements: [], end: run.next, nextGeneration: false, raised: false };
  let current = read?.alert;
  for (; walk.end < run.items.length; walk.end++) {
    const i = run.items[walk.end]!;
    const { detection, risk } = batch[i]!;
    let placement: AlertPlacement;
    if (!current) {
      if (!canRaiseAlert(detection)) {
        walk.placements.push([i, { outcome: 'not_raised' }]);
        continue;
      }
      current = newAlert(detection, risk, run.generation, now);
      walk.write = { create: true, alert: current };
      placement = { outcome: 'created', alert: current };
    } else {
      const place = placeDetection(current, detection, suppressionSeconds);
      if (place === 'next-generation') {
        walk.nextGeneration = true;
        break;
      }
      if (place === 'duplicate') placement = { outcome: 'duplicate', alert: current };
      else {
        const merged = foldDetection(current, detection, risk, now);
        placement = { outcome: 'folded', alert: merged, new_observables: bringsNewObservable(current, detection) };
        // Only a read alert is folded into here: a created one ends the walk (it raised the alert).
        walk.write = { create: false, alert: merged, seqNo: read!.seqNo, primaryTerm: read!.primaryTerm };
        current = merged;
      }
    }
    walk.placements.push([i, placement]);
    if (alertRaisedBy(placement, detection)) {
      walk.raised = true;
      walk.end++;
      break;
    }
  }
  return walk;
}
