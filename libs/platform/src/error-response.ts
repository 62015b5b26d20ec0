import { HttpException, HttpStatus } from '@nestjs/common';
import { IdentityProviderUnavailableError } from '@soc/auth';

/** Every error answer of every app: a stable code, a sentence for people, and field details. */
export interface ErrorBody {
  error: string;
  message: string;
  [detail: string]: unknown;
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** True when the cause is ours or a back-end's, not the request's: logged with its detail. */
  internal: boolean;
}

export interface ErrorContext {
  /** The app's request body limit, named in a 413. */
  bodyLimitBytes: number;
}

/** Seconds a client should wait before retrying a 503. */
export const retryAfterSeconds = 5;

const internalError: ErrorBody = { error: 'internal', message: 'internal error' };
const unavailableError: ErrorBody = { error: 'unavailable', message: 'a back-end service is unavailable; retry after Retry-After seconds' };

/**
 * The one answer for any error thrown while serving a request. HttpExceptions keep their code
 * and details (Nest's own shapes are rewritten into `{error, message}`); Fastify's errors get a
 * code each; Elasticsearch and Redis errors never show their text: unavailability is a 503 with
 * Retry-After, a query Elasticsearch refuses is a generic 400, anything else is a 500 `internal`.
 */
export function errorResponseOf(error: unknown, context: ErrorContext): ErrorResponse {
  if (error instanceof HttpException) return fromHttpException(error);
  const fastify = fastifyError(error, context);
  if (fastify) return fastify;
  if (isElasticsearchError(error)) return fromElasticsearch(error);
  if (isBackendUnavailable(error)) return respond(HttpStatus.SERVICE_UNAVAILABLE, unavailableError, true);
  return respond(HttpStatus.INTERNAL_SERVER_ERROR, internalError, true);
}

function respond(status: number, body: ErrorBody, internal: boolean): ErrorResponse {
  const headers: Record<string, string> = status === HttpStatus.SERVICE_UNAVAILABLE ? { 'retry-after': String(retryAfterSeconds) } : {};
  return { status, body, headers, internal };
}

/** `bad_request`, `not_found`, …: the code of a status that came without one. */
export function codeOfStatus(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  if (!name) return status >= 500 ? 'internal' : 'bad_request';
  return name.toLowerCase();
}

function fromHttpException(exception: HttpException): ErrorResponse {
  const status = exception.getStatus();
  // A 500 never carries detail outward, whoever built it.
  if (status >= 500 && status !== HttpStatus.SERVICE_UNAVAILABLE) return respond(status, internalError, true);
  const response = exception.getResponse();
  if (typeof response === 'string') return respond(status, { error: codeOfStatus(status), message: response }, false);
  const { statusCode, error, message, ...details } = response as Record<string, unknown>;
  // Nest's own shape `{statusCode, message, error: 'Bad Request'}` has a title, not a code.
  const code = typeof error === 'string' && statusCode === undefined ? error : codeOfStatus(status);
  return respond(status, { error: code, message: messageOf(message, details, status), ...details }, false);
}

/** The message given, or one that names the first problem when only `problems` came. */
function messageOf(message: unknown, details: Record<string, unknown>, status: number): string {
  if (typeof message === 'string' && message !== '') return message;
  if (Array.isArray(message) && message.length > 0) return message.map(String).join('; ');
  const problems = details['problems'];
  if (Array.isArray(problems) && problems.length > 0) {
    const first = problems[0] as { path?: unknown; line?: unknown; message?: unknown };
    const where = [first.line !== undefined ? `line ${String(first.line)}` : '', typeof first.path === 'string' ? first.path : ''].filter(Boolean).join(' ');
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    return `${where ? `${where}: ` : ''}${String(first.message ?? 'invalid')}${more}`;
  }
  return (HttpStatus[status] ?? 'error').toLowerCase().replace(/_/g, ' ');
}

/** Fastify's own request errors (body parsing, limits, URLs), by code. */
function fastifyError(error: unknown, context: ErrorContext): ErrorResponse | undefined {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string' || !code.startsWith('FST_')) return undefined;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return respond(413, { error: 'payload_too_large', message: `the request body is larger than ${context.bodyLimitBytes} bytes` }, false);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return respond(415, { error: 'unsupported_media_type', message: "this endpoint does not accept the request's Content-Type" }, false);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return respond(400, { error: 'invalid_content_length', message: "the body's length differs from its Content-Length header" }, false);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return respond(400, { error: 'invalid_body', message: 'the body is empty but Content-Type is application/json' }, false);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return respond(400, { error: 'invalid_json', message: 'the body is not valid JSON' }, false);
    case 'FST_ERR_BAD_URL':
      return respond(400, { error: 'invalid_url', message: 'the URL is not validly percent-encoded' }, false);
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return respond(414, { error: 'uri_too_long', message: 'a path parameter is longer than 100 characters' }, false);
    case 'FST_ERR_NOT_FOUND':
      return respond(404, { error: 'not_found', message: 'no such route' }, false);
    default: {
      const status = (error as { statusCode?: unknown }).statusCode;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        return respond(status, { error: codeOfStatus(status), message: codeOfStatus(status).replace(/_/g, ' ') }, false);
      }
      return respond(HttpStatus.INTERNAL_SERVER_ERROR, internalError, true);
    }
  }
}

interface ElasticsearchError {
  name: string;
  meta?: { statusCode?: number; body?: { error?: { type?: string; caused_by?: { type?: string }; root_cause?: Array<{ type?: string }> } } };
}

/** The client's error classes (`@elastic/transport`), recognised by name: this lib does not depend on the client. */
const elasticsearchErrorNames = new Set(['ResponseError', 'ConnectionError', 'NoLivingConnectionsError', 'TimeoutError', 'RequestAbortedError']);

function isElasticsearchError(error: unknown): error is ElasticsearchError {
  return error instanceof Error && elasticsearchErrorNames.has(error.name) && 'meta' in error;
}

/** Elasticsearch refusals that are the request's fault: its query, not the cluster. */
const queryFaultTypes = new Set([
  'search_phase_execution_exception',
  'illegal_argument_exception',
  'parse_exception',
  'parsing_exception',
  'x_content_parse_exception',
  'query_shard_exception',
  'too_many_clauses',
  'number_format_exception',
]);

function fromElasticsearch(error: ElasticsearchError): ErrorResponse {
  if (error.name !== 'ResponseError') return respond(HttpStatus.SERVICE_UNAVAILABLE, unavailableError, true);
  const status = error.meta?.statusCode ?? 500;
  if (status === 429 || status === 502 || status === 503 || status === 504) return respond(HttpStatus.SERVICE_UNAVAILABLE, unavailableError, true);
  const found = error.meta?.body?.error;
  const types = [found?.type, found?.caused_by?.type, ...(found?.root_cause ?? []).map((c) => c.type)];
  if (status === 400 && types.some((t) => t !== undefined && queryFaultTypes.has(t))) {
    // Validation should have caught it; the detail is logged, never sent.
    return respond(400, { error: 'invalid_query', message: 'the search back-end cannot answer this query; narrow or change its parameters' }, true);
  }
  return respond(HttpStatus.INTERNAL_SERVER_ERROR, internalError, true);
}

/** ioredis (and BullMQ through it) without a connection; a Redis reply error is a bug, not this. */
const unavailableRedisMessages = [
  'Connection is closed.',
  "Stream isn't writeable and enableOfflineQueue options is false",
  // A Redis Cluster client (docs/SCALING.md): not connected to the cluster yet, or a failover outlasted its retries.
  "Cluster isn't ready and enableOfflineQueue options is false",
];
const unavailableRedisReplies = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY|OOM)\b/;
const unavailableSocketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);

function isBackendUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError' || error.name === 'AbortError' || error.name === 'ClusterAllFailedError') return true;
  // The identity provider's keys could not be fetched (libs/auth): the token may be fine, retry later.
  if (error instanceof IdentityProviderUnavailableError) return true;
  if (unavailableRedisMessages.includes(error.message) || error.message.startsWith('Too many Cluster redirections.')) return true;
  if (error.name === 'ReplyError' && unavailableRedisReplies.test(error.message)) return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && unavailableSocketCodes.has(code);
}
