import { z } from 'zod';
import { exceptionInputSchema } from '@soc/alerts';
import { alertSchema, socEventSchema } from '@soc/contracts';
import { deadLetterKinds, deadLetterListQuerySchema } from '@soc/dead-letters';
import type { ContractTable } from '@soc/platform';
import { klReportQuerySchema, statisticsQuerySchema } from '@soc/statistics';
import { campaignListQuerySchema } from './campaigns/campaign-view';
import { discardSchema, replayManySchema, replayOneSchema } from './dead-letters/dead-letters.controller';
import { incidentViewSchema } from './incidents/incident-deadlines';
import { incidentsQuerySchema } from './incidents/incidents.controller';
import {
  alertListQuerySchema,
  assignBodySchema,
  bulkBodySchema,
  commentBodySchema,
  exceptionFromAlertBodySchema,
  statusBodySchema,
} from './triage/triage.schemas';
import { webhookDeadLettersQuerySchema, webhookDeliveriesQuerySchema } from './webhooks/webhooks.controller';

/*
 * The answers of the alerting routes as zod schemas, for the OpenAPI document (and the generated
 * client). Loose objects: an answer may carry fields a newer server adds, and a client must not
 * break on them; the fields listed are the ones the product promises.
 */
const iso = z.string().describe('ISO 8601 time');
/** An alert as stored, with its triage fields (comments) beyond the detection's. */
export const alertAnswerSchema = alertSchema
  .extend({ comments: z.array(z.object({ by: z.string(), by_name: z.string().optional(), at: iso, text: z.string() })).optional() })
  .loose();
export const alertPageSchema = z.looseObject({ total: z.number().int(), alerts: z.array(alertAnswerSchema), next_cursor: z.string().optional() });
export const alertWithEventsSchema = alertAnswerSchema.extend({ events: z.array(socEventSchema) }).loose();
export const auditEntrySchema = z.looseObject({
  id: z.string(),
  target: z.object({ type: z.string(), id: z.string() }),
  organization: z.object({ id: z.string() }),
  actor: z.looseObject({ sub: z.string(), role: z.string(), name: z.string().optional() }),
  action: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  reason: z.string().optional(),
  at: iso,
});
export const commentSchema = z.looseObject({ by: z.string(), by_name: z.string().optional(), at: iso, text: z.string() });
export const bulkResultSchema = z.looseObject({
  results: z.array(z.looseObject({ id: z.string(), ok: z.boolean(), status: z.number().int(), error: z.string().optional(), message: z.string().optional() })),
});
/** An exception in full (SOC roles, its own member), or the member view of a global one: no owner, reason, values. */
export const exceptionSchema = z.looseObject({
  id: z.string(),
  scope: exceptionInputSchema.shape.scope,
  rule_id: z.string(),
  conditions: z.array(z.looseObject({ field: z.string(), op: z.string() })),
  owner: z.string().optional(),
  reason: z.string().optional(),
  expires_at: iso,
  expired_at: iso.optional(),
  created_at: iso.optional(),
  created_by: z.string().optional(),
  source_alert_id: z.string().optional(),
});
export const webhookDeadLetterSchema = z.looseObject({
  job_id: z.string(),
  member: z.string(),
  url: z.string(),
  type: z.string(),
  alert_id: z.string(),
  attempts: z.number().int(),
  failed_reason: z.string().optional(),
  failed_at: iso.optional(),
});
export const webhookDeliverySchema = z.looseObject({
  job_id: z.string(),
  member: z.string(),
  alert_id: z.string(),
  type: z.string(),
  url: z.string(),
  status: z.enum(['delivered', 'retrying', 'failed']),
  attempts: z.number().int(),
  max_attempts: z.number().int(),
  queued_at: iso,
  last_attempt_at: iso,
  response_code: z.number().int().optional(),
  last_error: z.string().optional(),
});
export const benchmarkSchema = z.looseObject({
  member: z.string(),
  from: z.string(),
  to: z.string(),
  granularity: z.string(),
  buckets: z.array(
    z.looseObject({
      bucket: z.string(),
      own: z.object({ days: z.number(), attempts: z.number(), attempts_per_day: z.number() }).nullable(),
      national: z.union([
        z.object({ suppressed: z.literal(false), municipalities: z.number(), q1: z.number(), median: z.number(), q3: z.number() }),
        z.object({ suppressed: z.literal(true), reason: z.string() }),
      ]),
      band: z.string().nullable(),
    }),
  ),
  trend: z.looseObject({ days: z.number(), mean_per_day: z.number(), slope_per_week: z.number(), direction: z.enum(['rising', 'falling', 'flat']) }),
});
/** The benchmark's query: the statistics period, and (SOC roles) whose benchmark; JSON only. */
const benchmarkQuerySchema = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  granularity: z.enum(['day', 'week', 'month', 'year']).optional(),
  member: z.string().optional().describe("a member: omitted or its own id; SOC roles: required, the municipality's kommunekode"),
});
const statisticsAnswer = (rows: 'cells' | 'municipalities') =>
  z.looseObject({
    from: z.string(),
    to: z.string(),
    granularity: z.string(),
    threshold: z.number(),
    categories: z.array(z.unknown()),
    min_municipalities: z.number(),
    final_after_days: z.number(),
    source: z.unknown(),
    [rows]: z.array(z.looseObject({})),
  });
const csv = { 'text/csv': { type: 'string' } };
/** `GET /campaigns/{id}`: the campaign alert, its linked member alerts, the spread over its members, its promoted indicator. */
export const campaignDetailSchema = z.looseObject({
  campaign: alertAnswerSchema,
  alerts: z.array(alertAnswerSchema).describe('member alerts linked to the campaign (campaign.id) and early warnings on its address, oldest first_seen first'),
  spread: z
    .array(
      z.looseObject({
        member: z.string(),
        first_seen: iso.nullable().describe('earliest first_seen of its linked alerts; null when none is linked'),
        last_seen: iso.nullable(),
        alert_ids: z.array(z.string()),
        early_warning: z.boolean().describe('one of its alerts is an early warning'),
      }),
    )
    .describe('every member in the order the campaign reached it; members without a linked alert last'),
  early_warning_indicator: z.string().nullable().describe('the shared indicator an actor campaign promoted (`campaign:source.ip=<ip>`), else null'),
});
const deadLetterSchema = z.looseObject({
  ref: z.string(),
  kind: z.enum(deadLetterKinds),
  id: z.string(),
  at: iso,
  members: z.array(z.string()),
  reason: z.string(),
});
const replayOutcomeSchema = z.looseObject({ kind: z.enum(deadLetterKinds), id: z.string(), outcome: z.string() });
const text = { 'text/plain': { type: 'string', description: 'Prometheus text exposition' } };
const health = z.looseObject({ status: z.string() });
const statisticsErrors = [403];

export const alertingContracts: ContractTable = {
  AlertsController_list: {
    query: alertListQuerySchema,
    responses: { 200: { description: "a page of alerts in the caller's scope", schema: alertPageSchema } },
  },
  AlertsController_bulk: { body: bulkBodySchema, responses: { 200: { description: 'one result per id, in order', schema: bulkResultSchema } } },
  AlertsController_get: { responses: { 200: { description: 'the alert with the events behind it', schema: alertWithEventsSchema } } },
  AlertsController_auditTrail: {
    responses: { 200: { description: 'the audit trail, oldest first', schema: z.object({ entries: z.array(auditEntrySchema) }) } },
  },
  AlertsController_status: {
    body: statusBodySchema,
    errors: [409],
    responses: { 200: { description: 'the alert after the change', schema: alertAnswerSchema } },
  },
  AlertsController_assign: {
    body: assignBodySchema,
    errors: [409],
    responses: { 200: { description: 'the alert after the change', schema: alertAnswerSchema } },
  },
  LiveAlertsController_stream: {
    errors: [406],
    responses: {
      200: {
        description:
          "server-sent events: `event: alert`, `data:` one alert as GET /alerts lists it (the caller's scope, as it sees it), `id:` the newest updated_at sent (send it back as Last-Event-ID to resume); the stream ends after 240 s and the client reconnects",
        content: { 'text/event-stream': { type: 'string' } },
      },
    },
  },
  AlertsController_comment: { body: commentBodySchema, responses: { 201: { description: 'the comment as stored', schema: commentSchema } } },
  ExceptionsController_list: {
    responses: {
      200: {
        description: 'the exceptions the caller may see',
        schema: z.object({ exceptions: z.array(exceptionSchema.extend({ suppressed_count: z.number().int() })) }),
      },
    },
  },
  ExceptionsController_create: { body: exceptionInputSchema, responses: { 201: { description: 'the exception', schema: exceptionSchema } } },
  ExceptionsController_expire: { errors: [409], responses: { 200: { description: 'the exception, expired', schema: exceptionSchema } } },
  ExceptionsController_fromAlert: { body: exceptionFromAlertBodySchema, responses: { 201: { description: 'the exception', schema: exceptionSchema } } },
  CampaignsController_list: {
    query: campaignListQuerySchema,
    responses: {
      200: {
        description: 'campaign alerts, open (new, acknowledged, in_progress) first, then closed; newest first_seen first within each',
        schema: z.looseObject({
          total: z.number().int().describe('campaigns matching the state, open and closed'),
          open: z.number().int().describe('open campaigns among them'),
          campaigns: z.array(alertAnswerSchema),
        }),
      },
    },
  },
  CampaignsController_get: {
    responses: {
      200: { description: 'the campaign with its member alerts and spread (404 not_found: no campaign alert has this id)', schema: campaignDetailSchema },
    },
  },
  IncidentsController_waiting: {
    query: incidentsQuerySchema,
    responses: { 200: { description: 'waiting incident items, critical first', schema: z.object({ items: z.array(incidentViewSchema.loose()) }) } },
  },
  WebhooksController_recentDeliveries: {
    query: webhookDeliveriesQuerySchema,
    responses: {
      200: {
        description: "recent notifications in the caller's scope and their outcome, newest attempt first",
        schema: z.object({ deliveries: z.array(webhookDeliverySchema) }),
      },
    },
  },
  WebhooksController_deadLetters: {
    query: webhookDeadLettersQuerySchema,
    responses: { 200: { description: "failed notifications in the caller's scope", schema: z.object({ dead_letters: z.array(webhookDeadLetterSchema) }) } },
  },
  DeadLettersController_list: {
    query: deadLetterListQuerySchema,
    responses: {
      200: {
        description: 'a page of dead letters',
        schema: z.looseObject({ dead_letters: z.array(deadLetterSchema), total: z.number().int(), next_offset: z.number().int().optional() }),
      },
    },
  },
  DeadLettersController_stats: {
    responses: {
      200: {
        description: 'count and oldest per kind',
        schema: z.object({ kinds: z.array(z.looseObject({ kind: z.enum(deadLetterKinds), count: z.number().int(), oldest_at: iso.optional() })) }),
      },
    },
  },
  DeadLettersController_get: { responses: { 200: { description: 'the dead letter with its payload', schema: deadLetterSchema } } },
  DeadLettersController_replayMany: {
    body: replayManySchema,
    responses: {
      200: { description: 'one outcome per dead letter replayed', schema: z.object({ outcomes: z.array(replayOutcomeSchema), remaining: z.number().int() }) },
    },
  },
  DeadLettersController_replay: { body: replayOneSchema, responses: { 200: { description: 'the outcome', schema: replayOutcomeSchema } } },
  DeadLettersController_discard: { body: discardSchema, responses: { 200: { description: 'the outcome', schema: replayOutcomeSchema } } },
  DeadLettersMetricsController_scrape: { responses: { 200: { description: 'the metrics', content: text } } },
  HealthController_live: { responses: { 200: { description: 'the process is up', schema: health } } },
  HealthController_ready: { errors: [503], responses: { 200: { description: 'Redis and Elasticsearch answer', schema: health } } },
  StatisticsController_attempts: {
    query: statisticsQuerySchema,
    errors: statisticsErrors,
    responses: { 200: { description: 'attempt cells (JSON, or CSV with format=csv)', schema: statisticsAnswer('cells'), content: csv } },
  },
  StatisticsController_regions: {
    query: statisticsQuerySchema,
    responses: { 200: { description: 'cells per region', schema: statisticsAnswer('cells'), content: csv } },
  },
  StatisticsController_categories: {
    query: statisticsQuerySchema,
    responses: { 200: { description: 'cells per category', schema: statisticsAnswer('cells'), content: csv } },
  },
  StatisticsController_municipalities: {
    query: statisticsQuerySchema,
    responses: { 200: { description: 'cells per municipality (SOC roles)', schema: statisticsAnswer('municipalities'), content: csv } },
  },
  StatisticsReportController_report: {
    query: klReportQuerySchema,
    responses: {
      200: {
        description: "KL's monthly report as HTML, PDF or CSV",
        content: { 'text/html': { type: 'string' }, 'application/pdf': { type: 'string', contentMediaType: 'application/pdf' }, ...csv },
      },
    },
  },
  MemberBenchmarkController_benchmark: {
    query: benchmarkQuerySchema,
    responses: { 200: { description: "the member's figures against the national ones", schema: benchmarkSchema } },
  },
};
