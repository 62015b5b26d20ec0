import { z } from 'zod';

/**
 * The kinds of dead letter the product keeps, each where its path gave up:
 * - `ingest`: input the collector could not read (`<EVENTS_STREAM>:ingest-dead-letter`);
 * - `stream`: an events-stream entry a consumer group failed too often, e.g. a batch the indexer
 *   could not index through ~50 min of Elasticsearch retries (`<EVENTS_STREAM>:dead-letter`);
 * - `index`: one event Elasticsearch refused for its own fault (`<EVENTS_STREAM>:index-dead-letter`);
 * - `webhook`: a notification that failed its last attempt (the webhooks queue's failed set).
 */
export const deadLetterKinds = ['ingest', 'stream', 'index', 'webhook'] as const;
export type DeadLetterKind = (typeof deadLetterKinds)[number];

/** One dead letter, whatever its kind: what the list shows (never the payload itself). */
export interface DeadLetter {
  kind: DeadLetterKind;
  /** The id in its own store (a stream entry id, a job id): stable until replayed or discarded. */
  id: string;
  /** When it was dead-lettered (ISO 8601). */
  at: string;
  /** The members its payload belongs to (a stream batch may carry several). */
  members: string[];
  reason: string;
  /** Failed deliveries before it was given up, when the store knows them. */
  attempts?: number;
  /** Where it came from: the transport, the consumer group, the webhook type and URL. */
  source: string;
  /** A short, bounded description of the payload (size, event count, first bytes). */
  summary: string;
}

/** One dead letter with its payload in full (soc_admin only). */
export interface DeadLetterDetail extends DeadLetter {
  payload: unknown;
}

export type ReplayOutcome =
  | { kind: DeadLetterKind; id: string; outcome: 'replayed'; detail: string }
  | { kind: DeadLetterKind; id: string; outcome: 'refused' | 'not_found' | 'not_replayable'; detail: string };

/** What an app reports per kind at each scrape and readiness answer. */
export interface DeadLetterStats {
  kind: DeadLetterKind;
  count: number;
  /** The oldest one's time, when there is one. */
  oldest_at?: string;
}

const isoTime = z.iso.datetime({ offset: true });

/** The filter of list, replay-many and the CLI (`reason` matches a substring, case-insensitively). */
export const deadLetterFilterSchema = z.strictObject({
  kind: z.enum(deadLetterKinds).optional(),
  member: z.string().min(1).max(100).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  reason: z.string().min(1).max(500).optional(),
});
export type DeadLetterFilter = z.infer<typeof deadLetterFilterSchema>;

export const deadLetterListQuerySchema = deadLetterFilterSchema.extend({
  size: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type DeadLetterListQuery = z.infer<typeof deadLetterListQuerySchema>;

export function matchesFilter(letter: DeadLetter, filter: DeadLetterFilter): boolean {
  if (filter.kind && letter.kind !== filter.kind) return false;
  if (filter.member && !letter.members.includes(filter.member)) return false;
  const at = Date.parse(letter.at);
  if (filter.from && at < Date.parse(filter.from)) return false;
  if (filter.to && at > Date.parse(filter.to)) return false;
  if (filter.reason && !letter.reason.toLowerCase().includes(filter.reason.toLowerCase())) return false;
  return true;
}

/** Oldest first, then by kind and id: a stable order that paging by offset can rely on. */
export function compareDeadLetters(a: DeadLetter, b: DeadLetter): number {
  return a.at.localeCompare(b.at) || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id);
}

export interface DeadLetterPage {
  dead_letters: DeadLetter[];
  total: number;
  next_offset?: number;
}

export function pageOf(letters: DeadLetter[], query: DeadLetterListQuery): DeadLetterPage {
  const matching = letters.filter((l) => matchesFilter(l, query)).sort(compareDeadLetters);
  const page = matching.slice(query.offset, query.offset + query.size);
  const next = query.offset + page.length;
  return { dead_letters: page, total: matching.length, ...(next < matching.length ? { next_offset: next } : {}) };
}

/** The time a Redis stream entry id carries (`<ms>-<seq>`). */
export function streamIdTime(id: string): string {
  return new Date(Number(id.split('-')[0])).toISOString();
}

/** At most `max` characters of a payload, with its full length, control characters shown escaped. */
export function summarise(text: string, max = 160): string {
  const escaped = JSON.stringify(text.length > max ? text.slice(0, max) : text).slice(1, -1);
  return text.length > max ? `${text.length} bytes: ${escaped}…` : `${text.length} bytes: ${escaped}`;
}

/** When the counts and ages call for an operator (docs/OPERATIONS.md "Dead letters"). */
export interface DeadLetterThresholds {
  /** More than this many dead letters of one kind is a warning (0: any). */
  maxCount: number;
  /** A dead letter older than this is a warning. */
  maxAgeSeconds: number;
}

/** The reasons the app is `degraded`, one per kind over a threshold; empty when none is. */
export function deadLetterWarnings(stats: DeadLetterStats[], thresholds: DeadLetterThresholds, now: number): string[] {
  const warnings: string[] = [];
  for (const { kind, count, oldest_at: oldest } of stats) {
    if (count > thresholds.maxCount) warnings.push(`${count} ${kind} dead letters (more than ${thresholds.maxCount})`);
    else if (oldest && count > 0 && now - Date.parse(oldest) > thresholds.maxAgeSeconds * 1000) {
      warnings.push(`${kind} dead letter waiting since ${oldest} (older than ${thresholds.maxAgeSeconds} s)`);
    }
  }
  return warnings;
}
