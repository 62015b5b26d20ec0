import type { Client } from '@elastic/elasticsearch';
import type { Redis } from '@soc/redis';
import { IndexNames } from '@soc/storage';
import { deploymentId } from './cleanup';

/**
 * Where every accepted event of one deployment ended up: indexed in Elasticsearch, or in a dead
 * letter. The events stream is the ground truth of what the collector accepted (it answers 202
 * only once Redis has the batch), so each accepted event is followed by its `event.id`.
 */
export interface EventAccount {
  /** Events in the events stream: what the collector accepted. */
  accepted: Map<string, AcceptedEvent>;
  /** Ids of events in the deployment's event indices. */
  indexed: Set<string>;
  /** Ids of events kept in a dead letter (any dead-letter stream of the deployment, indexer's side). */
  deadLettered: Set<string>;
}

export interface AcceptedEvent {
  id: string;
  organizationId: unknown;
  /** A short view of the event for failure messages. */
  preview: string;
}

export async function acceptedEvents(redis: Redis, stream: string): Promise<Map<string, AcceptedEvent>> {
  const accepted = new Map<string, AcceptedEvent>();
  for (const [, fields] of (await redis.xrange(stream, '-', '+')) as Array<[string, string[]]>) {
    for (const event of eventsIn(fieldOf(fields, 'b'))) {
      const id = idOf(event);
      if (id) accepted.set(id, { id, organizationId: (event.organization as { id?: unknown } | undefined)?.id, preview: previewOf(event) });
    }
  }
  return accepted;
}

/**
 * Event ids in the deployment's dead-letter streams: `<stream>:dead-letter` (whole batches the
 * indexer gave up on) and any other `*dead-letter*` stream of the deployment that holds events
 * (the ingest dead letter of unparsable syslog input holds raw text, no event, and is skipped).
 * Entries of a consumer group other than the indexer are not about indexing and are skipped.
 */
export async function deadLetteredEventIds(redis: Redis, env: Record<string, string>): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const key of await redis.keys(`*${deploymentId(env)}*dead-letter*`)) {
    if ((await redis.type(key)) !== 'stream') continue;
    for (const [, fields] of (await redis.xrange(key, '-', '+')) as Array<[string, string[]]>) {
      const group = fieldOf(fields, 'group');
      if (group !== undefined && group !== 'indexer') continue;
      for (let i = 1; i < fields.length; i += 2)
        for (const event of eventsIn(fields[i])) {
          const id = idOf(event);
          if (id) ids.add(id);
        }
    }
  }
  return ids;
}

export async function indexedEventIds(es: Client, env: Record<string, string>): Promise<Set<string>> {
  const index = new IndexNames(env.INDEX_PREFIX).eventsPattern;
  await es.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
  const ids = new Set<string>();
  for await (const hit of es.helpers.scrollSearch({
    index,
    ignore_unavailable: true,
    allow_no_indices: true,
    size: 1000,
    _source: false,
    query: { match_all: {} },
  })) {
    for (const doc of hit.body.hits.hits) ids.add(doc._id!);
  }
  return ids;
}

export async function accountEvents(redis: Redis, es: Client, env: Record<string, string>): Promise<EventAccount> {
  const [accepted, indexed, deadLettered] = await Promise.all([
    acceptedEvents(redis, env.EVENTS_STREAM),
    indexedEventIds(es, env),
    deadLetteredEventIds(redis, env),
  ]);
  return { accepted, indexed, deadLettered };
}

/** Accepted events that are neither indexed nor dead-lettered (yet), and those that are both. */
export function unsettled(account: EventAccount): { missing: AcceptedEvent[]; both: AcceptedEvent[]; unknown: string[] } {
  const missing: AcceptedEvent[] = [];
  const both: AcceptedEvent[] = [];
  for (const event of account.accepted.values()) {
    const indexed = account.indexed.has(event.id);
    const dead = account.deadLettered.has(event.id);
    if (!indexed && !dead) missing.push(event);
    if (indexed && dead) both.push(event);
  }
  const unknown = [...account.indexed].filter((id) => !account.accepted.has(id));
  return { missing, both, unknown };
}

/** The event as JSON with long strings cut, so a failure message stays readable. */
function previewOf(event: Record<string, unknown>): string {
  return JSON.stringify(event, (_key, value: unknown) => (typeof value === 'string' && value.length > 80 ? `<${value.length} chars>` : value)).slice(0, 600);
}

function fieldOf(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** The events a stream field holds: a batch `{events: [...]}`, one event, or an array of events. */
function eventsIn(text: string | undefined): Array<Record<string, unknown>> {
  if (text === undefined || (text[0] !== '{' && text[0] !== '[')) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  const list = Array.isArray(value) ? value : Array.isArray((value as { events?: unknown }).events) ? (value as { events: unknown[] }).events : [value];
  return list.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null && idOf(e as Record<string, unknown>) !== undefined);
}

function idOf(event: Record<string, unknown>): string | undefined {
  const id = (event.event as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}
