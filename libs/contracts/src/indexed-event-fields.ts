/**
 * Every field the events index maps, with its Elasticsearch type: the one source of truth for
 * both the index mapping (libs/storage derives it) and the ingest check that an event is
 * indexable (`checkIndexedFields`), so the two cannot drift. Parents of these paths are
 * objects; every other field an event carries is stored in `_source` unindexed
 * (`dynamic: false`). Only core types, which exist in every Elasticsearch 8 distribution.
 */
export type IndexedFieldType = 'keyword' | 'text' | 'ip' | 'integer' | 'long' | 'date' | 'flattened';

export interface IndexedField {
  type: IndexedFieldType;
  /** `false`: kept and returned, not searchable (a text field only). */
  index?: false;
}

const keyword: IndexedField = { type: 'keyword' };
const endpoint = (prefix: string): Record<string, IndexedField> => ({
  [`${prefix}.ip`]: { type: 'ip' },
  [`${prefix}.port`]: { type: 'integer' },
  [`${prefix}.domain`]: keyword,
  [`${prefix}.address`]: keyword,
});

export const indexedEventFields: Readonly<Record<string, IndexedField>> = {
  '@timestamp': { type: 'date' },
  'event.id': keyword,
  'event.kind': keyword,
  'event.category': keyword,
  'event.type': keyword,
  'event.action': keyword,
  'event.outcome': keyword,
  'event.dataset': keyword,
  'event.module': keyword,
  'event.code': keyword,
  'event.severity': { type: 'long' },
  'event.ingested': { type: 'date' },
  'event.original': { type: 'text', index: false },
  'organization.id': keyword,
  'host.name': keyword,
  'host.hostname': keyword,
  'host.ip': { type: 'ip' },
  ...endpoint('source'),
  ...endpoint('destination'),
  'user.name': keyword,
  'user.domain': keyword,
  'user.id': keyword,
  'url.original': keyword,
  'url.full': keyword,
  'url.domain': keyword,
  'url.path': keyword,
  'url.query': keyword,
  'dns.question.name': keyword,
  'dns.question.type': keyword,
  'file.name': keyword,
  'file.path': keyword,
  'file.hash.md5': keyword,
  'file.hash.sha1': keyword,
  'file.hash.sha256': keyword,
  'process.name': keyword,
  'process.pid': { type: 'long' },
  'process.executable': keyword,
  'process.command_line': keyword,
  'process.parent.name': keyword,
  'process.parent.command_line': keyword,
  'http.request.method': keyword,
  'http.response.status_code': { type: 'integer' },
  'winlog.channel': keyword,
  'winlog.event_id': keyword,
  'winlog.event_data': { type: 'flattened' },
  message: { type: 'text' },
  labels: { type: 'flattened' },
  tags: keyword,
  // The product's own namespace (see reservedEventFields): the `@timestamp` an event claimed when
  // it lay outside the accepted window. A keyword, because it may be any year.
  'soc.claimed_timestamp': keyword,
};

/**
 * Fields only the collector sets. Whatever a payload carries at these paths (or under these
 * objects) is replaced or removed at stamping, whichever way it was spelled.
 */
export const reservedEventFields = {
  /** The member of the credential. */
  organization: 'organization',
  eventId: 'event.id',
  eventIngested: 'event.ingested',
  /** The product's namespace: nothing under it comes from a sender. */
  product: 'soc',
  claimedTimestamp: 'soc.claimed_timestamp',
} as const;

/** The tag of an event indexed at its arrival time because its own time was outside the window. */
export const timestampOutOfRangeTag = 'timestamp_out_of_range';
