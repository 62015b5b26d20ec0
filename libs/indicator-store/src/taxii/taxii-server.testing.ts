import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const MEDIA_TYPE = 'application/taxii+json;version=2.1';

/** One request the server answered, for assertions (`added_after` sent, how many pulls). */
export interface TaxiiServerRequest {
  readonly path: string;
  readonly query: Record<string, string>;
  readonly status: number;
  /** When it arrived (epoch ms). */
  readonly at: number;
}

export interface TestTaxiiServerOptions {
  readonly collectionId?: string;
  /** Basic-auth credentials the server requires (none: anonymous). */
  readonly credentials?: { readonly username: string; readonly password: string };
  /** Largest page the server answers whatever `limit` asks. */
  readonly maxPageSize?: number;
  /** `next`: pages carry a next token; `date-added-last`: `more` only, the client moves `added_after`. */
  readonly pagination?: 'next' | 'date-added-last';
}

interface StoredObject {
  readonly dateAddedMicros: bigint;
  readonly object: Record<string, unknown>;
}

/**
 * A small TAXII 2.1 server for tests (node:http): discovery, one API root, one collection and its
 * objects endpoint with `added_after`, `limit`, `next`, `match[type]`, the envelope and the
 * `X-TAXII-Date-Added-First/Last` headers, basic authentication and TAXII error messages. Each
 * added object gets its own date_added, microseconds apart, as real servers record them.
 */
export class TestTaxiiServer {
  readonly requests: TaxiiServerRequest[] = [];
  readonly collectionId: string;
  /** From this many answered objects requests on, the objects endpoint answers 503 (a server failing mid-pull). */
  failObjectsAfter?: number;
  private readonly objects: StoredObject[] = [];
  private clockMicros = BigInt(Date.UTC(2026, 0, 1)) * 1000n;
  private server?: Server;
  private port = 0;

  constructor(private readonly options: TestTaxiiServerOptions = {}) {
    this.collectionId = options.collectionId ?? '91a7b528-80eb-42ed-a74d-c6fbd5a26116';
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}/api1/`;
  }

  get discoveryUrl(): string {
    return `http://127.0.0.1:${this.port}/taxii2/`;
  }

  /** Requests for the collection resource: one at the start of every pull. */
  get pullStarts(): TaxiiServerRequest[] {
    return this.requests.filter((r) => r.path === `/api1/collections/${this.collectionId}/`);
  }

  /** Requests to the objects endpoint, in order. */
  get objectRequests(): TaxiiServerRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/objects/'));
  }

  /** Adds objects to the collection (each a new date_added); returns the last date_added. */
  add(objects: readonly unknown[]): string {
    for (const object of objects) {
      this.clockMicros += 1_000n + BigInt(Math.floor(Math.random() * 900));
      this.objects.push({ dateAddedMicros: this.clockMicros, object: object as Record<string, unknown> });
    }
    return formatMicros(this.clockMicros);
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => this.answer(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    const query = Object.fromEntries(url.searchParams);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      this.requests.push({ path: url.pathname, query, status, at: Date.now() });
      response.writeHead(status, { 'content-type': MEDIA_TYPE, ...headers });
      response.end(JSON.stringify(body));
    };
    const fail = (status: number, title: string, description: string, headers: Record<string, string> = {}): void =>
      send(status, { title, description, http_status: String(status) }, headers);

    if (!this.authorised(request.headers.authorization)) {
      return fail(401, 'Unauthorized', 'missing or wrong credentials', { 'www-authenticate': 'Basic realm="taxii"' });
    }
    if (!(request.headers.accept ?? '').includes('application/taxii+json')) {
      return fail(406, 'Not Acceptable', `send Accept: ${MEDIA_TYPE}`);
    }
    const collection = {
      id: this.collectionId,
      title: 'Test collection',
      can_read: true,
      can_write: false,
      media_types: ['application/stix+json;version=2.1'],
    };
    switch (url.pathname) {
      case '/taxii2/':
        return send(200, { title: 'Test TAXII server', default: this.apiRoot, api_roots: [this.apiRoot] });
      case '/api1/':
        return send(200, { title: 'API root 1', versions: [MEDIA_TYPE], max_content_length: 10_485_760 });
      case '/api1/collections/':
        return send(200, { collections: [collection] });
      case `/api1/collections/${this.collectionId}/`:
        return send(200, collection);
      case `/api1/collections/${this.collectionId}/objects/`:
        return this.sendObjects(url.searchParams, send, fail);
      default:
        return fail(404, 'Not Found', `no resource at ${url.pathname}`);
    }
  }

  private sendObjects(
    params: URLSearchParams,
    send: (status: number, body: unknown, headers?: Record<string, string>) => void,
    fail: (status: number, title: string, description: string) => void,
  ): void {
    if (this.failObjectsAfter !== undefined && this.objectRequests.length >= this.failObjectsAfter) {
      return fail(503, 'Service Unavailable', 'the collection is being rebuilt');
    }
    const addedAfterText = params.get('added_after');
    const addedAfter = addedAfterText === null ? undefined : parseMicros(addedAfterText);
    if (addedAfter === null) return fail(400, 'Bad Request', `added_after '${addedAfterText}' is no timestamp`);
    const types = params.get('match[type]')?.split(',');
    const limit = Math.min(Number(params.get('limit') ?? 1000), this.options.maxPageSize ?? 1000);
    const offset = params.has('next') ? Number(params.get('next')) : 0;
    if (!Number.isInteger(offset) || offset < 0) return fail(400, 'Bad Request', `unknown next '${params.get('next')}'`);

    const matching = this.objects
      .filter((o) => addedAfter === undefined || o.dateAddedMicros > addedAfter)
      .filter((o) => types === undefined || types.includes(String(o.object['type'])));
    const page = matching.slice(offset, offset + limit);
    const more = offset + page.length < matching.length;
    if (page.length === 0) return send(200, {});
    const envelope: Record<string, unknown> = { more, objects: page.map((o) => o.object) };
    // The token is the offset into the same filtered list: the client repeats the same added_after.
    if (more && this.options.pagination !== 'date-added-last') envelope['next'] = String(offset + page.length);
    send(200, envelope, {
      'x-taxii-date-added-first': formatMicros(page[0]!.dateAddedMicros),
      'x-taxii-date-added-last': formatMicros(page[page.length - 1]!.dateAddedMicros),
    });
  }

  private authorised(header: string | undefined): boolean {
    const { credentials } = this.options;
    if (credentials === undefined) return true;
    const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    return header === expected;
  }
}

// 2026-01-01T00:00:00.123456Z: TAXII timestamps carry microseconds; Date only milliseconds.
function formatMicros(micros: bigint): string {
  const millis = Number(micros / 1000n);
  const fraction = String(micros % 1_000_000n).padStart(6, '0');
  return `${new Date(millis).toISOString().slice(0, 19)}.${fraction}Z`;
}

function parseMicros(text: string): bigint | null {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?Z$/.exec(text);
  if (!match) return null;
  const seconds = Date.parse(`${match[1]}Z`);
  if (Number.isNaN(seconds)) return null;
  return BigInt(seconds) * 1000n + BigInt((match[2] ?? '').padEnd(6, '0'));
}
