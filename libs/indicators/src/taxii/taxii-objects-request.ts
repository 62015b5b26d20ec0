import type { TaxiiEnvelope } from './taxii-envelope';

/** The URL parameters of one `GET {api-root}/collections/{id}/objects/` request. */
export interface TaxiiObjectsQuery {
  /** Only objects the server added to the collection after this instant (RFC 3339, as the server wrote it). */
  readonly addedAfter?: string;
  /** Page size the client asks for; the server may answer fewer. */
  readonly limit?: number;
  /** The opaque `next` of the previous envelope. */
  readonly next?: string;
  /** `match[type]`: only these STIX object types. */
  readonly types?: readonly string[];
}

/** `{api-root}/collections/{id}/`, with exactly one slash between the parts. */
export function taxiiCollectionUrl(apiRoot: string, collectionId: string): string {
  const root = apiRoot.endsWith('/') ? apiRoot : `${apiRoot}/`;
  return `${root}collections/${encodeURIComponent(collectionId)}/`;
}

/** The objects URL of a collection with the query's parameters. */
export function taxiiObjectsUrl(apiRoot: string, collectionId: string, query: TaxiiObjectsQuery): string {
  const url = new URL(`${taxiiCollectionUrl(apiRoot, collectionId)}objects/`);
  if (query.addedAfter !== undefined) url.searchParams.set('added_after', query.addedAfter);
  if (query.limit !== undefined) url.searchParams.set('limit', String(query.limit));
  if (query.next !== undefined) url.searchParams.set('next', query.next);
  if (query.types !== undefined && query.types.length > 0) url.searchParams.set('match[type]', query.types.join(','));
  return url.toString();
}

export type TaxiiNextPage =
  { readonly done: true } | { readonly done: false; readonly query: TaxiiObjectsQuery } | { readonly done: false; readonly error: string };

/**
 * What to ask after a page (TAXII 2.1, Get Objects, pagination): nothing when `more` is not set;
 * the same query with `next` when the server gave one; otherwise the same query with `added_after`
 * moved to the page's `X-TAXII-Date-Added-Last`. A server that says `more` but gives neither, or
 * repeats the position it was asked for, would loop forever: that is an error.
 */
export function nextTaxiiPage(query: TaxiiObjectsQuery, envelope: TaxiiEnvelope, dateAddedLast: string | undefined): TaxiiNextPage {
  if (!envelope.more) return { done: true };
  if (envelope.next !== undefined) {
    if (envelope.next === query.next) return { done: false, error: `the server answered the same next '${envelope.next}' it was asked for` };
    return { done: false, query: { ...query, next: envelope.next } };
  }
  if (dateAddedLast === undefined) {
    return { done: false, error: 'the server says more objects follow but sends neither next nor X-TAXII-Date-Added-Last' };
  }
  if (dateAddedLast === query.addedAfter) {
    return { done: false, error: `the server says more objects follow but X-TAXII-Date-Added-Last stays at ${dateAddedLast}` };
  }
  const { next: _next, ...rest } = query;
  return { done: false, query: { ...rest, addedAfter: dateAddedLast } };
}
