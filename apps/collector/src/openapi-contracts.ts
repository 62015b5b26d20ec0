import { z } from 'zod';
import type { ContractTable } from '@soc/platform';
import { createKeySchema, listQuerySchema } from './forwarder-keys.controller';
import { healthQuerySchema } from './ingestion-health.controller';

/*
 * The answers of the collector's routes as zod schemas, for the OpenAPI document and the
 * generated client. Loose objects: a client must not break on a field a newer server adds.
 */
const forwarderKeySchema = z.looseObject({
  id: z.string(),
  member_id: z.string(),
  label: z.string(),
  created_at: z.string(),
  format: z.string().optional(),
  dataset: z.string().optional(),
  time_zone: z.string().optional(),
});
/** Issued once: the key itself is shown only in this answer (Redis keeps its hash). */
const issuedKeySchema = forwarderKeySchema.extend({ key: z.string() });
export const memberIngestionHealthSchema = z.looseObject({
  member_id: z.string(),
  last_event_at: z.string().nullable(),
  events_per_second: z.number(),
  accepted: z.number().int(),
  parse_errors: z.number().int(),
  unparsed: z.number().int(),
  late_for_correlation: z.number().int(),
  refused: z.record(z.string(), z.number().int()),
});
const event = { type: 'object', description: 'an ECS event (docs/API.md, POST /v1/events)', additionalProperties: true };
const health = z.looseObject({ status: z.string() });

export const collectorContracts: ContractTable = {
  IngestController_ingest: {
    // What the handler reads: NDJSON, a JSON array or one object, or raw log lines (optionally gzip).
    bodyContent: {
      'application/x-ndjson': { type: 'string', description: 'one ECS event per line' },
      'application/json': { oneOf: [event, { type: 'array', items: event }] },
      'text/plain': { type: 'string', description: 'raw log lines, one event each' },
    },
    errors: [429],
    responses: { 202: { description: 'every event is in Redis', schema: z.looseObject({ accepted: z.number().int() }) } },
  },
  HealthController_live: { responses: { 200: { description: 'the process is up', schema: health } } },
  HealthController_ready: { errors: [503], responses: { 200: { description: 'Redis answers', schema: health } } },
  ForwarderKeysController_list: {
    query: listQuerySchema,
    responses: { 200: { description: 'the keys (never the secrets)', schema: z.object({ keys: z.array(forwarderKeySchema) }) } },
  },
  ForwarderKeysController_create: { body: createKeySchema, responses: { 201: { description: 'the new key, its secret shown once', schema: issuedKeySchema } } },
  ForwarderKeysController_rotate: { responses: { 201: { description: 'the new secret; the old one stops working', schema: issuedKeySchema } } },
  ForwarderKeysController_revoke: { responses: { 204: { description: 'revoked' } } },
  IngestionHealthController_health: {
    query: healthQuerySchema,
    responses: { 200: { description: "ingestion health of the caller's members", schema: z.object({ members: z.array(memberIngestionHealthSchema) }) } },
  },
  MetricsController_scrape: {
    responses: { 200: { description: 'the metrics', content: { 'text/plain': { type: 'string', description: 'Prometheus text exposition' } } } },
  },
};
