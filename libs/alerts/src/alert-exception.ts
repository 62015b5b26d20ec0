import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import type { Detection } from '@soc/contracts';

const cidr = z.string().refine((value) => {
  try {
    ipaddr.parseCIDR(value);
    return true;
  } catch {
    return false;
  }
}, 'must be a CIDR such as 192.0.2.0/24');

/**
 * One condition on a detection field: an observable's field (`source.ip`, `user.name`, …) or
 * one of the detection's own fields (`group_key`, `organization.id`, `rule.id`).
 */
export const exceptionConditionSchema = z.discriminatedUnion('op', [
  z.strictObject({ field: z.string().min(1), op: z.literal('equals'), value: z.string() }),
  z.strictObject({ field: z.string().min(1), op: z.literal('in'), values: z.array(z.string()).min(1).max(1000) }),
  z.strictObject({ field: z.string().min(1), op: z.literal('cidr'), value: cidr }),
]);

export const maxExceptionConditions = 20;

/** An exception as an analyst writes it: what it suppresses, who owns it, why, until when. */
export const exceptionInputSchema = z.strictObject({
  scope: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('global') }),
    z.strictObject({ kind: z.literal('member'), member_id: z.string().min(1) }),
  ]),
  rule_id: z.string().min(1),
  // No conditions would suppress the rule for every alert in the scope (with scope global: at every
  // member), silently. There is no such form: a rule nobody wants is changed in its reviewed rule file.
  conditions: z
    .array(exceptionConditionSchema, { error: 'must be a list of at least one condition' })
    .min(1, 'needs at least one condition (an exception without conditions would suppress the whole rule)')
    .max(maxExceptionConditions),
  owner: z.string().min(1),
  reason: z.string().min(3),
  expires_at: z.iso.datetime({ offset: true }),
});

export type ExceptionCondition = z.infer<typeof exceptionConditionSchema>;
export type ExceptionInput = z.infer<typeof exceptionInputSchema>;
export type AlertException = ExceptionInput & {
  id: string;
  created_at: string;
  created_by: string;
  expired_at?: string;
  source_alert_id?: string;
};

type Matchable = Pick<Detection, 'rule' | 'organization' | 'group_key' | 'observables'>;

/** The values a detection has for a field: its observables of that field, or its own field. */
function valuesOf(detection: Matchable, field: string): string[] {
  const own: Record<string, string> = { group_key: detection.group_key, 'organization.id': detection.organization.id, 'rule.id': detection.rule.id };
  const observed = detection.observables.filter((o) => o.field === field).map((o) => o.value);
  return field in own ? [own[field], ...observed] : observed;
}

function inCidr(value: string, range: string): boolean {
  try {
    const address = ipaddr.process(value);
    const [network, bits] = ipaddr.parseCIDR(range);
    return address.kind() === network.kind() && address.match([network, bits]);
  } catch {
    return false;
  }
}

function conditionHolds(detection: Matchable, condition: ExceptionCondition): boolean {
  const values = valuesOf(detection, condition.field);
  switch (condition.op) {
    case 'equals':
      return values.includes(condition.value);
    case 'in':
      return values.some((v) => condition.values.includes(v));
    case 'cidr':
      return values.some((v) => inCidr(v, condition.value));
  }
}

export function isActive(exception: AlertException, now: Date): boolean {
  return !exception.expired_at && Date.parse(exception.expires_at) > now.getTime();
}

// `conditions.length`: an exception stored before empty conditions were refused suppresses nothing.
const applies = (e: AlertException, detection: Matchable, now: Date) =>
  e.rule_id === detection.rule.id &&
  e.conditions.length > 0 &&
  (e.scope.kind === 'global' || e.scope.member_id === detection.organization.id) &&
  isActive(e, now) &&
  e.conditions.every((c) => conditionHolds(detection, c));

/** The first active exception that suppresses this detection: same rule, in scope, every condition holds. */
export function matchingException(exceptions: AlertException[], detection: Matchable, now = new Date()): AlertException | undefined {
  return exceptions.find((e) => applies(e, detection, now));
}

/**
 * Exceptions grouped by rule id, so a detection is checked only against its own rule's
 * exceptions (the worker's cache holds one; a national deployment has thousands).
 */
export class ExceptionIndex {
  private readonly byRule = new Map<string, AlertException[]>();

  constructor(exceptions: AlertException[]) {
    for (const e of exceptions) this.byRule.set(e.rule_id, [...(this.byRule.get(e.rule_id) ?? []), e]);
  }

  match(detection: Matchable, now = new Date()): AlertException | undefined {
    return this.byRule.get(detection.rule.id)?.find((e) => applies(e, detection, now));
  }
}
