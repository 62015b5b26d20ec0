import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * The event fields a criterion may test: only keyword fields of the event mapping, so a
 * criterion is always an exact `terms` match Elasticsearch can answer without scripts.
 */
export const criterionFields = [
  'event.kind',
  'event.category',
  'event.type',
  'event.outcome',
  'event.action',
  'event.dataset',
  'event.module',
  'tags',
] as const;

const criterionSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lowercase letters, digits and _'),
  label: z.string().min(1),
  /** Every listed field must hold one of its values (AND across fields, OR within a field). */
  match: z.record(z.string(), z.array(z.string().min(1)).min(1)).superRefine((match, context) => {
    if (Object.keys(match).length === 0) context.addIssue({ code: 'custom', message: 'must test at least one field' });
    for (const field of Object.keys(match)) {
      if (!(criterionFields as readonly string[]).includes(field)) {
        context.addIssue({ code: 'custom', path: [field], message: `not a field a criterion may test (${criterionFields.join(', ')})` });
      }
    }
  }),
  /** Count the event only when `source.ip` is outside the event's own member's network ranges. */
  outside_own_ranges: z.boolean().default(false),
});

export const attackDefinitionSchema = z.strictObject({
  criteria: z
    .array(criterionSchema)
    .min(1)
    .refine((criteria) => new Set(criteria.map((c) => c.id)).size === criteria.length, 'criterion ids must be unique'),
});

export type AttackCriterion = z.infer<typeof criterionSchema>;
export type AttackDefinition = z.infer<typeof attackDefinitionSchema>;

/** The definition KL's figures use unless `STATISTICS_DEFINITION_FILE` replaces it (docs/STATISTICS.md). */
export const defaultAttackDefinition: AttackDefinition = {
  criteria: [
    {
      id: 'failed_authentication',
      label: "Failed authentication from outside the member's own networks",
      match: { 'event.category': ['authentication'], 'event.outcome': ['failure'] },
      outside_own_ranges: true,
    },
    {
      id: 'blocked_connection',
      label: 'Inbound connection denied by a firewall or IDS',
      match: { 'event.category': ['network', 'intrusion_detection'], 'event.type': ['denied'] },
      outside_own_ranges: true,
    },
    {
      id: 'indicator_hit',
      label: 'Event matching a threat indicator',
      match: { tags: ['indicator_match'] },
      outside_own_ranges: false,
    },
    {
      id: 'detection',
      label: 'Alert raised by a member security product (IDS, EDR, antivirus)',
      match: { 'event.kind': ['alert'] },
      outside_own_ranges: false,
    },
  ],
};

/** Reads a definition file's text (YAML or JSON); the error names every bad path at once. */
export function parseAttackDefinition(text: string, source = 'attack definition'): AttackDefinition {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new Error(`${source}: not YAML: ${(error as Error).message}`);
  }
  const result = attackDefinitionSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${source}: ${problems.join('; ')}`);
  }
  return result.data;
}
