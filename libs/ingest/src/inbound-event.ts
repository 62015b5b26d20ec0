import { describeZodError, inboundEventSchema, type FieldProblem, type InboundEvent } from '@soc/contracts';
import { canonicaliseEvent, type EventLimits } from './canonical-event';
import { checkIndexedFields } from './indexed-field-check';

export type InboundEventResult = { ok: true; event: InboundEvent } | { ok: false; problems: FieldProblem[] };

/**
 * The one way an inbound event is admitted, whatever transport or parser it came from:
 * canonical shape (dotted keys expanded, bounded), then every mapped field indexable, then the
 * event contract. Only an event that passes all three may be stamped (`stampEvent`).
 */
export function readInboundEvent(value: unknown, limits: EventLimits): InboundEventResult {
  const canonical = canonicaliseEvent(value, limits);
  if (!canonical.ok) return canonical;
  return admitCanonicalEvent(canonical.event);
}

/** The rest of `readInboundEvent` for an event `canonicaliseEvent` already returned. */
export function admitCanonicalEvent(canonical: Record<string, unknown>): InboundEventResult {
  const problems = checkIndexedFields(canonical);
  if (problems.length > 0) return { ok: false, problems };
  const parsed = inboundEventSchema.safeParse(canonical);
  return parsed.success ? { ok: true, event: parsed.data } : { ok: false, problems: describeZodError(parsed.error) };
}

/** The problems as one line, for a dead letter's reason. */
export function describeProblems(problems: FieldProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join('; ');
}
