import {
  parseTaxiiEnvelope,
  taxiiAuthHeaders,
  taxiiCollectionUrl,
  taxiiContentTypeProblem,
  taxiiErrorReason,
  taxiiMediaType,
  taxiiObjectsUrl,
  type TaxiiEnvelope,
  type TaxiiFeed,
  type TaxiiObjectsQuery,
} from '@soc/indicators';

/** A TAXII request that failed: the reason is safe to store and log (it never holds credentials). */
export class TaxiiRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'TaxiiRequestError';
  }
}

/** One page of a collection as the server sent it. */
export interface TaxiiObjectsPage {
  readonly envelope: TaxiiEnvelope;
  /** `X-TAXII-Date-Added-Last`: when the server added the page's newest object; the next cursor. */
  readonly dateAddedLast?: string;
}

/**
 * Reads one TAXII 2.1 collection over HTTP (Node's fetch): the collection resource and pages of
 * its objects, with the feed's credentials and the TAXII media type. Every failure becomes a
 * `TaxiiRequestError` naming what went wrong.
 */
export class TaxiiCollectionClient {
  constructor(
    private readonly feed: TaxiiFeed,
    private readonly timeoutMs: number,
  ) {}

  /** The collection resource; refuses one the feed's credentials may not read. */
  async checkReadable(): Promise<void> {
    const url = taxiiCollectionUrl(this.feed.apiRoot, this.feed.collectionId);
    const body = await this.get(url, 'collection');
    let collection: { can_read?: unknown } | null;
    try {
      collection = JSON.parse(body) as { can_read?: unknown } | null;
    } catch (error) {
      throw new TaxiiRequestError(`collection at ${withoutQuery(url)} is not JSON: ${(error as Error).message}`);
    }
    if (collection?.can_read !== true) {
      throw new TaxiiRequestError(`collection ${this.feed.collectionId} is not readable with these credentials (can_read is ${String(collection?.can_read)})`);
    }
  }

  async objects(query: TaxiiObjectsQuery): Promise<TaxiiObjectsPage> {
    const url = taxiiObjectsUrl(this.feed.apiRoot, this.feed.collectionId, query);
    let dateAddedLast: string | undefined;
    const text = await this.get(url, 'objects', (headers) => {
      dateAddedLast = headers.get('x-taxii-date-added-last') ?? undefined;
    });
    const parsed = parseTaxiiEnvelope(text);
    if (!parsed.ok) throw new TaxiiRequestError(`${withoutQuery(url)}: ${parsed.reason}`);
    return { envelope: parsed.envelope, ...(dateAddedLast ? { dateAddedLast } : {}) };
  }

  private async get(url: string, what: string, onHeaders?: (headers: Headers) => void): Promise<string> {
    const where = withoutQuery(url);
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { accept: taxiiMediaType, ...taxiiAuthHeaders(this.feed.auth) },
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error', // a redirect could carry the credentials to another host
      });
    } catch (error) {
      throw new TaxiiRequestError(`cannot read the ${what} at ${where}: ${describeFetchError(error, this.timeoutMs)}`);
    }
    const body = await response.text().catch((error: Error) => {
      throw new TaxiiRequestError(`the ${what} at ${where} broke off: ${error.message}`, response.status);
    });
    if (!response.ok) {
      throw new TaxiiRequestError(`${what} at ${where}: ${taxiiErrorReason(response.status, response.statusText, body)}`, response.status);
    }
    const mediaProblem = taxiiContentTypeProblem(response.headers.get('content-type'));
    if (mediaProblem !== undefined) throw new TaxiiRequestError(`${what} at ${where}: ${mediaProblem}`, response.status);
    onHeaders?.(response.headers);
    return body;
  }
}

// The query can hold the next token and the cursor: long, and not what identifies the server.
function withoutQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  const e = error as Error & { cause?: Error & { code?: string } };
  if (e.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = e.cause;
  if (cause) return cause.code ? `${cause.code} ${cause.message}` : cause.message;
  return e.message;
}
