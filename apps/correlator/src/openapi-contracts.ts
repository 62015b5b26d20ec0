import { z } from 'zod';
import type { ContractTable } from '@soc/platform';
import { tuningInputSchema } from '@soc/rule-catalogue';
import { expireQuerySchema, importQuerySchema, listQuerySchema as indicatorListQuerySchema } from './http/indicators.controller';
import {
  customRuleBodySchema,
  enabledBodySchema,
  folderBodySchema,
  levelBodySchema,
  listQuerySchema as ruleListQuerySchema,
  whyQuerySchema,
} from './http/rules.controller';

/*
 * The answers of the correlator's routes as zod schemas, for the OpenAPI document and the
 * generated client. Loose objects: a client must not break on a field a newer server adds.
 */
const iso = z.string().describe('ISO 8601 time');
/** An indicator as JSON (its times ISO 8601 strings). */
const indicatorSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  value: z.string(),
  source: z.string(),
  confidence: z.number().int(),
  tlp: z.string(),
  valid_from: iso,
  valid_until: iso.optional(),
  revoked: z.boolean(),
  labels: z.array(z.string()),
  description: z.string().optional(),
  reference: z.string().optional(),
  port: z.number().int().optional(),
});
const ruleSchema = z.looseObject({
  id: z.string(),
  title: z.string(),
  kind: z.enum(['detection', 'correlation']),
  origin: z.string(),
  document: z.string(),
  folder: z.string(),
  level: z.string().optional(),
  enabled: z.boolean(),
  enabled_by: z.unknown(),
  version: z.string(),
  author: z.string().optional(),
  references: z.array(z.string()),
  licence: z.string().optional(),
  tunings: z.number().int(),
});
/** One rule in full: its YAML as stored and as compiled, overrides and tunings. */
const ruleDetailSchema = ruleSchema
  .extend({ effective_yaml: z.string(), source_yaml: z.string(), tuning_list: z.array(z.looseObject({ id: z.string() })) })
  .loose();
const appliedCatalogueSchema = z.looseObject({
  revision: z.number().int(),
  rules: z.number().int(),
  refused: z.array(z.looseObject({ document: z.string(), kept_previous: z.boolean(), errors: z.array(z.string()) })),
  applied_at: iso,
  compile_ms: z.number(),
});
/** A subscribed TAXII feed and how its pulls went (no secret: `auth` is only its kind). */
const taxiiFeedSchema = z.looseObject({
  id: z.string(),
  source: z.string(),
  api_root: z.string(),
  collection_id: z.string(),
  interval_seconds: z.number(),
  auth: z.string(),
  cursor: z.string().nullable(),
  last_attempt_at: z.string().nullable(),
  last_success_at: z.string().nullable(),
  last_error: z.object({ at: z.string(), reason: z.string() }).nullable(),
  consecutive_failures: z.number().int(),
  next_pull_at: z.string().nullable(),
  last_pull: z.looseObject({}).nullable(),
  totals: z.looseObject({}),
});
const revision = z.looseObject({ revision: z.number().int() });
const health = z.looseObject({ status: z.string() });
/** Rule changes: 409 when another change won the race, 422 for a rule that does not compile, 503 while the catalogue is busy. */
const ruleChangeErrors = [409, 422];

export const correlatorContracts: ContractTable = {
  HealthController_live: { responses: { 200: { description: 'the process is up', schema: health } } },
  HealthController_ready: { errors: [503], responses: { 200: { description: 'Redis answers', schema: health } } },
  MetricsController_scrape: {
    responses: { 200: { description: 'the metrics', content: { 'text/plain': { type: 'string', description: 'Prometheus text exposition' } } } },
  },
  IndicatorsController_import: {
    query: importQuerySchema,
    bodyContent: { 'text/plain': { type: 'string', description: 'the feed document (CSV, STIX 2.1 or MISP JSON, as `format` says)' } },
    responses: {
      200: { description: 'how many were imported, and each refused entry', schema: z.object({ imported: z.number().int(), errors: z.array(z.string()) }) },
    },
  },
  IndicatorsController_list: {
    query: indicatorListQuerySchema,
    responses: {
      200: { description: 'a page of indicators ("0": the last page)', schema: z.object({ indicators: z.array(indicatorSchema), next_cursor: z.string() }) },
    },
  },
  IndicatorsController_get: {
    responses: {
      200: {
        description: 'the indicator, its sightings per member and the replica copy',
        schema: z.looseObject({
          indicator: indicatorSchema,
          sightings: z.array(z.looseObject({ memberId: z.string(), count: z.number().int(), lastSeen: iso })),
          replica: z.looseObject({ version: z.string(), copy: indicatorSchema.nullable() }),
        }),
      },
    },
  },
  IndicatorsController_revoke: { responses: { 200: { description: 'the indicator, revoked', schema: indicatorSchema } } },
  IndicatorsController_expire: { query: expireQuerySchema, responses: { 200: { description: 'the indicator, expired', schema: indicatorSchema } } },
  RulesController_list: {
    query: ruleListQuerySchema,
    responses: {
      200: { description: 'the rule catalogue', schema: z.looseObject({ revision: z.number().int(), total: z.number().int(), rules: z.array(ruleSchema) }) },
    },
  },
  RulesController_revision: {
    responses: {
      200: {
        description: "the catalogue's revision and this replica's",
        schema: z.looseObject({ revision: z.number().int(), replica: appliedCatalogueSchema }),
      },
    },
  },
  RulesController_get: { responses: { 200: { description: 'the rule with its source and tunings', schema: ruleDetailSchema } } },
  RulesController_setEnabled: {
    body: enabledBodySchema,
    errors: ruleChangeErrors,
    responses: { 200: { description: 'the new revision and the rule', schema: revision.extend({ rule: ruleSchema }) } },
  },
  RulesController_setLevel: { body: levelBodySchema, errors: ruleChangeErrors, responses: { 200: { description: 'the new revision', schema: revision } } },
  RulesController_addTuning: {
    body: tuningInputSchema,
    errors: ruleChangeErrors,
    responses: { 201: { description: 'the new revision and the tuning', schema: revision.extend({ tuning: z.looseObject({ id: z.string() }) }) } },
  },
  RulesController_removeTuning: { query: whyQuerySchema, errors: ruleChangeErrors, responses: { 200: { description: 'the new revision', schema: revision } } },
  RulesController_setFolder: {
    body: folderBodySchema,
    errors: ruleChangeErrors,
    responses: { 200: { description: 'the new revision and how many rules changed', schema: revision.extend({ rules: z.number().int() }) } },
  },
  RulesController_putCustomRule: {
    body: customRuleBodySchema,
    errors: ruleChangeErrors,
    responses: {
      200: {
        description: 'the new revision and the rules of the document',
        schema: revision.extend({ document: z.string(), rules: z.array(z.string()), created: z.boolean() }),
      },
    },
  },
  RulesController_deleteCustomRule: {
    query: whyQuerySchema,
    errors: ruleChangeErrors,
    responses: { 200: { description: 'the new revision', schema: revision } },
  },
  TaxiiFeedsController_list: {
    responses: { 200: { description: 'the configured TAXII feeds and their last polls', schema: z.object({ feeds: z.array(taxiiFeedSchema) }) } },
  },
};
