import { z } from 'zod';
import type { ContractTable } from '@soc/platform';
import { adminAuditQuerySchema, createKeySchema, listQuerySchema } from './forwarder-keys.controller';
import { createOwnKeySchema, ownAuditQuerySchema, ownListQuerySchema } from './forwarder-keys-member.controller';
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
/** One change to a key (never a secret or a hash): who, when, what, which key of which member. */
const forwarderKeyAuditEntrySchema = z.looseObject({
  id: z.string(),
  at: z.string(),
  actor: z.looseObject({ sub: z.string(), role: z.string(), name: z.string().optional() }),
  action: z.enum(['forwarder_key_created', 'forwarder_key_rotated', 'forwarder_key_revoked']),
  target: z.looseObject({ type: z.literal('forwarder_key'), id: z.string() }),
  organization: z.looseObject({ id: z.string() }),
  after: z.looseObject({ label: z.string(), replaced_by: z.string().optional() }),
});
const keyList = z.object({ keys: z.array(forwarderKeySchema) });
const auditList = z.object({ entries: z.array(forwarderKeyAuditEntrySchema) });
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
    responses: { 200: { description: 'the keys (never the secrets)', schema: keyList } },
  },
  ForwarderKeysController_audit: {
    query: adminAuditQuerySchema,
    responses: { 200: { description: 'the newest key changes, newest first', schema: auditList } },
  },
  ForwarderKeysController_create: { body: createKeySchema, responses: { 201: { description: 'the new key, its secret shown once', schema: issuedKeySchema } } },
  ForwarderKeysController_rotate: { responses: { 201: { description: 'the new secret; the old one stops working within 5 s', schema: issuedKeySchema } } },
  ForwarderKeysController_revoke: { responses: { 204: { description: 'revoked' } } },
  MemberForwarderKeysController_list: {
    query: ownListQuerySchema,
    responses: { 200: { description: "the caller's member's keys (never the secrets)", schema: keyList } },
  },
  MemberForwarderKeysController_audit: {
    query: ownAuditQuerySchema,
    responses: { 200: { description: "the newest changes to the caller's member's keys, newest first", schema: auditList } },
  },
  MemberForwarderKeysController_create: {
    body: createOwnKeySchema,
    responses: { 201: { description: "a new key of the caller's member, its secret shown once", schema: issuedKeySchema } },
  },
  MemberForwarderKeysController_rotate: {
    responses: {
      201: { description: "the new secret; the old one stops working within 5 s (another member's key: 404 as a missing one)", schema: issuedKeySchema },
    },
  },
  MemberForwarderKeysController_revoke: { responses: { 204: { description: "revoked (another member's key: 404 as a missing one)" } } },
  IngestionHealthController_health: {
    query: healthQuerySchema,
    responses: { 200: { description: "ingestion health of the caller's members", schema: z.object({ members: z.array(memberIngestionHealthSchema) }) } },
  },
  MetricsController_scrape: {
    responses: { 200: { description: 'the metrics', content: { 'text/plain': { type: 'string', description: 'Prometheus text exposition' } } } },
  },
};
