import type { Client } from '@elastic/elasticsearch';
import type { Redis } from '@soc/redis';
import { IndexNames } from '@soc/storage';
import { indexedEventIds } from './event-accounting';
import type { DeliveryLedger } from './chaos-load';
import { relpLabel, relpLinePattern } from './chaos-relp';

/** What the events stream holds (the collector's acknowledged writes), by the test's labels (`labels.chaos`, or a RELP line's number). */
export interface StoredEvents {
  /** Label → the distinct event ids stored under it (more than one: the request was stored twice). */
  idsByLabel: Map<string, Set<string>>;
  /** Every stored event id (replayed dead letters add entries, not ids). */
  ids: Set<string>;
}

export async function storedEvents(redis: Redis, stream: string): Promise<StoredEvents> {
  const idsByLabel = new Map<string, Set<string>>();
  const ids = new Set<string>();
  let start = '-';
  for (;;) {
    const entries = (await redis.xrange(stream, start, '+', 'COUNT', 500)) as Array<[string, string[]]>;
    for (const [, fields] of entries) {
      const field = fields.indexOf('b');
      if (field < 0) continue;
      const batch = JSON.parse(fields[field + 1]) as {
        events: Array<{ event?: { id?: string; original?: string }; message?: string; labels?: { chaos?: string } }>;
      };
      for (const event of batch.events) {
        const id = event.event?.id;
        if (!id) continue;
        ids.add(id);
        const relp = relpLinePattern.exec(event.event?.original ?? event.message ?? '');
        const label = event.labels?.chaos ?? (relp ? relpLabel(Number(relp[1])) : `(unlabelled ${id})`);
        idsByLabel.set(label, (idsByLabel.get(label) ?? new Set()).add(id));
      }
    }
    if (entries.length < 500) break;
    start = `(${entries[entries.length - 1][0]}`;
  }
  return { idsByLabel, ids };
}

/** What the deployment's event indices hold: the distinct ids and the number of documents. */
export async function indexedEvents(es: Client, env: Record<string, string>): Promise<{ ids: Set<string>; documents: number }> {
  const ids = await indexedEventIds(es, env);
  const index = new IndexNames(env.INDEX_PREFIX).eventsPattern;
  const { count } = await es.count({ index, ignore_unavailable: true, allow_no_indices: true });
  return { ids, documents: count };
}

/**
 * The verdict on "every acknowledged event is indexed exactly once", each list naming the events
 * that break it (empty lists: it holds).
 */
export interface ExactlyOnceVerdict {
  /** Acknowledged with 202 but not in the events stream: lost by the collector or Redis. */
  acknowledgedNotStored: string[];
  /** In the stream although every attempt of its request was answered with a refusal (429, 503 backlog, refused connection). */
  storedAfterRefusal: string[];
  /** In the stream but not indexed. */
  storedNotIndexed: string[];
  /** Indexed but never stored by this deployment's collectors. */
  indexedUnknown: string[];
  /** More documents than distinct ids: an event indexed twice (in two indices). */
  extraDocuments: number;
  /** Stored under more than one event id although no attempt of its request was unsure. */
  storedTwiceUnexplained: string[];
  /** Stored more than once after an unsure attempt and a retry: at-least-once HTTP, counted. */
  storedTwiceAfterUnsureAttempt: string[];
}

export function exactlyOnceVerdict(ledger: DeliveryLedger, stored: StoredEvents, indexed: { ids: Set<string>; documents: number }): ExactlyOnceVerdict {
  const twice = [...stored.idsByLabel].filter(([, ids]) => ids.size > 1).map(([label]) => label);
  return {
    acknowledgedNotStored: [...ledger.acknowledged].filter((label) => !stored.idsByLabel.has(label)),
    storedAfterRefusal: [...stored.idsByLabel.keys()].filter((label) => !ledger.acknowledged.has(label) && !ledger.unsure.has(label)),
    storedNotIndexed: [...stored.ids].filter((id) => !indexed.ids.has(id)),
    indexedUnknown: [...indexed.ids].filter((id) => !stored.ids.has(id)),
    extraDocuments: indexed.documents - indexed.ids.size,
    storedTwiceUnexplained: twice.filter((label) => !ledger.unsure.has(label)),
    storedTwiceAfterUnsureAttempt: twice.filter((label) => ledger.unsure.has(label)),
  };
}
