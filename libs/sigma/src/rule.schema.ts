import { ruleLevels } from '@soc/contracts';
import { z } from 'zod';

/**
 * The shape of a Sigma rule document (detection rule or correlation rule), checked before anything
 * is compiled. Only the attributes the engine uses are checked strictly; Sigma allows custom
 * attributes (ours: `tests`, `cross_member`; Hayabusa's: `ruletype`, `sample-evtx`), so the objects
 * are loose. What a detection *means* (modifiers, fields, condition) is checked by the compiler,
 * which reports the same kind of located error.
 */

export const ruleStatuses = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] as const;

/** Sigma wants lists here; real rule sets also write one string or leave the key empty. */
const textList = z.preprocess(
  (value) => (value === null ? undefined : typeof value === 'string' ? [value] : value),
  z.array(z.string({ error: 'must be a list of text values' }), { error: 'must be a list of text values' }).default([]),
);

const optionalText = z.preprocess((value) => (value === null ? undefined : value), z.string({ error: 'must be text' }).optional());

const metadataShape = {
  title: z.string({ error: 'title is required and must be text' }).min(1, 'title must not be empty').max(256, 'title must be at most 256 characters'),
  id: z.string({ error: 'id must be text' }).min(1, 'id must not be empty').optional(),
  name: z.string({ error: 'name must be text' }).min(1, 'name must not be empty').optional(),
  status: z.enum(ruleStatuses, { error: `status must be one of ${ruleStatuses.join(', ')}` }).optional(),
  description: optionalText,
  author: optionalText,
  references: textList,
  tags: textList,
  falsepositives: textList,
  level: z.enum(ruleLevels, { error: `level must be one of ${ruleLevels.join(', ')}` }).optional(),
  // Field names are Sigma's (mapped per log source) or ECS paths; another taxonomy would be misread.
  taxonomy: z.enum(['sigma', 'ecs'], { error: "taxonomy must be 'sigma' or 'ecs'; other taxonomies are not supported" }).optional(),
};

export const logsourceSchema = z.looseObject(
  {
    product: z.string({ error: 'logsource.product must be text' }).optional(),
    service: z.string({ error: 'logsource.service must be text' }).optional(),
    category: z.string({ error: 'logsource.category must be text' }).optional(),
    definition: z.unknown().optional(),
  },
  { error: 'logsource is required: a map with product, service and/or category' },
);

const conditionSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
  error: 'detection.condition is required: a condition expression or a list of them',
});

export const detectionRuleDocumentSchema = z.looseObject({
  ...metadataShape,
  logsource: logsourceSchema.refine((l) => l.product !== undefined || l.service !== undefined || l.category !== undefined, {
    message: 'logsource needs at least one of product, service, category',
  }),
  detection: z.looseObject({ condition: conditionSchema }, { error: 'detection is required and must be a map of search identifiers and a condition' }),
});

export const correlationTypes = ['event_count', 'value_count', 'temporal', 'temporal_ordered'] as const;
export type CorrelationType = (typeof correlationTypes)[number];

const thresholdValue = z.number({ error: 'must be a number' }).int('must be an integer');

export const correlationConditionSchema = z.looseObject({
  gt: thresholdValue.optional(),
  gte: thresholdValue.optional(),
  lt: thresholdValue.optional(),
  lte: thresholdValue.optional(),
  eq: thresholdValue.optional(),
  neq: thresholdValue.optional(),
  field: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: 'field must be a field name or a list of them' }).optional(),
});

export const correlationSchema = z.looseObject(
  {
    // Checked against the supported types by the compiler, which names them in its message.
    type: z.string({ error: 'correlation.type is required' }),
    rules: z.array(z.string().min(1), { error: 'correlation.rules must be a list of rule ids or names' }).min(1, 'correlation.rules must not be empty'),
    'group-by': z.array(z.string().min(1), { error: 'group-by must be a list of field names' }).optional(),
    timespan: z
      .string({ error: 'correlation.timespan is required' })
      .regex(/^[1-9][0-9]*[smhd]$/, 'timespan must be a number followed by s, m, h or d, e.g. 5m'),
    condition: correlationConditionSchema.optional(),
    aliases: z
      .record(z.string(), z.record(z.string(), z.string(), { error: 'each alias maps rule names to field names' }), {
        error: 'aliases must map alias names to { rule name: field }',
      })
      .optional(),
    generate: z.boolean({ error: 'generate must be true or false' }).optional(),
  },
  { error: 'correlation must be a map' },
);

export const correlationRuleDocumentSchema = z.looseObject({
  ...metadataShape,
  correlation: correlationSchema,
  generate: z.boolean({ error: 'generate must be true or false' }).optional(),
  /** Ours: a correlation whose groups span members (campaigns); every other rule is grouped per member. */
  cross_member: z.boolean({ error: 'cross_member must be true or false' }).optional(),
});

export type Logsource = z.infer<typeof logsourceSchema>;
export type DetectionRuleDocument = z.infer<typeof detectionRuleDocumentSchema>;
export type CorrelationSpec = z.infer<typeof correlationSchema>;
export type CorrelationCondition = z.infer<typeof correlationConditionSchema>;
export type CorrelationRuleDocument = z.infer<typeof correlationRuleDocumentSchema>;
