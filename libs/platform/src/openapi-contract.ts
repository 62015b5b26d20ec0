import { z } from 'zod';
import type { RouteAccess } from './route-access';

/**
 * What one route takes and answers, written next to the app's routes (one table per app,
 * `apps/<app>/src/openapi-contracts.ts`) from the same zod schemas the handlers parse with, so
 * the OpenAPI document describes the validation that runs. The platform adds the errors every
 * route of its kind can give (`standardErrorsOf`); `errors` lists the route's own.
 */
export interface RouteContract {
  /** The query string's schema (an object): one OpenAPI parameter per property. */
  query?: z.ZodType;
  /** The JSON request body's schema. */
  body?: z.ZodType;
  /** A request body that is not (only) JSON: media type → JSON Schema (the collector's ingest). */
  bodyContent?: Record<string, JsonSchema>;
  /** Success answers by status; a schema for a JSON body, or a media type and its schema. */
  responses: Record<number, ResponseContract>;
  /** The route's own error statuses, beyond `standardErrorsOf` (409 conflict, 429 rate limit, …). */
  errors?: number[];
}

export interface ResponseContract {
  description: string;
  /** The JSON body (with neither this nor `content`: an empty body, e.g. 204). */
  schema?: z.ZodType;
  /** Bodies of other media types (metrics text, CSV, a PDF report): media type → JSON Schema. */
  content?: Record<string, JsonSchema>;
}

export type JsonSchema = Record<string, unknown>;
/** Contracts by operation id, `<Controller>_<method>` as in the document. */
export type ContractTable = Record<string, RouteContract>;

/** The component every error response refers to: `{ error, message, … }` (libs/platform/src/error-response.ts). */
export const errorSchemaName = 'Error';
export const errorSchema: JsonSchema = {
  type: 'object',
  description: 'Every error of every app: a stable code, a sentence for people, and details by error (e.g. `problems`: one entry per failing field of a 400)',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'a stable code: invalid_body, invalid_query, unauthorized, forbidden, not_found, …' },
    message: { type: 'string' },
    problems: {
      type: 'array',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
  additionalProperties: true,
};

const errorDescriptions: Record<number, string> = {
  400: 'the request is invalid: `problems` names each failing field',
  401: 'no credentials, or credentials that are not valid',
  403: "the caller's role may not call this route",
  404: "no such object in the caller's scope (another member's object answers the same)",
  409: 'the object is in a state that does not allow this',
  413: 'the request body is larger than the limit',
  414: 'a path parameter is longer than 100 characters',
  415: 'a media type the route does not take',
  422: 'the change does not compile: `message` lists every located error',
  429: 'rate limited: retry after Retry-After seconds',
  503: 'a back-end (Redis, Elasticsearch, the identity provider) is unavailable: retry after Retry-After seconds',
};

/**
 * The errors any route of its shape can give: 400 when it parses input, 401 when it takes
 * credentials, 403 when roles decide, 404 (and 414, too long) for a path id, 413 and 415 (a media
 * type it does not take) for a body, and 503 when it reaches a back-end (every authenticated route
 * does: a token check may ask the identity provider).
 */
export function standardErrorsOf(access: RouteAccess, contract: RouteContract, hasPathId: boolean): number[] {
  const statuses = new Set(contract.errors ?? []);
  const hasBody = contract.body !== undefined || contract.bodyContent !== undefined;
  if (hasBody || contract.query || hasPathId) statuses.add(400);
  if (access.auth !== 'none') statuses.add(401).add(503);
  if ('roles' in access) statuses.add(403);
  if (hasPathId) statuses.add(404).add(414);
  if (hasBody) statuses.add(413).add(415);
  return [...statuses].sort((a, b) => a - b);
}

/** The error response of a status, its body the shared Error component. */
export function errorResponse(status: number): Record<string, unknown> {
  return {
    description: errorDescriptions[status] ?? 'an error',
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${errorSchemaName}` } } },
  };
}

/**
 * A zod schema as JSON Schema 2020-12, the dialect of OpenAPI 3.1 (no `$schema` inside the
 * document; `input` for what a route takes, with its defaults optional, `output` for answers).
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

/** A query schema's properties as OpenAPI parameters (`form` style: `?status=open&size=50`). */
export function queryParametersOf(query: z.ZodType): JsonSchema[] {
  const schema = jsonSchemaOf(query, 'input');
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: 'query', required: required.has(name), schema: rest, ...(description ? { description } : {}) };
  });
}

/** The success responses of a contract as OpenAPI response objects. */
export function successResponsesOf(contract: RouteContract): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(contract.responses).map(([status, response]) => {
      const json = response.schema ? { 'application/json': { schema: jsonSchemaOf(response.schema, 'output') } } : undefined;
      const other = mediaContent(response.content);
      return [status, json || other ? { description: response.description, content: { ...json, ...other } } : { description: response.description }];
    }),
  );
}

/** The request body of a contract, or undefined. */
export function requestBodyOf(contract: RouteContract): Record<string, unknown> | undefined {
  if (contract.body) return { required: true, content: { 'application/json': { schema: jsonSchemaOf(contract.body, 'input') } } };
  const content = mediaContent(contract.bodyContent);
  return content ? { required: true, content } : undefined;
}

function mediaContent(content: Record<string, JsonSchema> | undefined): Record<string, unknown> | undefined {
  if (!content) return undefined;
  return Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema }]));
}
