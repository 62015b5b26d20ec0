import { describeZodError, SocEvent, socEventSchema } from '@soc/contracts';
import { z } from 'zod';
import { RuleLocation } from './location';
import type { SigmaRule } from './rule-loader';
import type { RuleSet } from './rule-set';
import { InMemoryWindowStore } from './in-memory-window-store';

/**
 * Our rules carry their own test events in a custom top-level `tests` attribute (Sigma allows custom
 * attributes):
 *
 *   tests:
 *     - description: ten failures from one address within five minutes
 *       expect: match            # or no_match
 *       events:
 *         - '@timestamp': '2026-01-05T10:00:00Z'
 *           event: { dataset: linux.sshd, category: [authentication], outcome: failure }
 *           source: { ip: 203.0.113.7 }
 *
 * A detection rule is tested event by event: with `match` every event must match it alone, with
 * `no_match` none may. A correlation rule is tested on all of a case's events as one batch in a fresh
 * window store: `match` wants at least one detection of the rule, `no_match` none.
 *
 * Events are partial ECS and get what the collector would add: `event.id`, `event.ingested`,
 * `organization.id` ('test-member') and, when absent, a `@timestamp` one second after the previous
 * event's. They must then be valid `SocEvent`s, so the tests also check the parser conventions.
 */
export const ruleTestCaseSchema = z.strictObject({
  description: z.string({ error: 'description is required' }).min(1),
  expect: z.enum(['match', 'no_match'], { error: "expect must be 'match' or 'no_match'" }),
  events: z.array(z.record(z.string(), z.unknown()), { error: 'events must be a list of events' }).min(1, 'events must not be empty'),
});

export const ruleTestsSchema = z.array(ruleTestCaseSchema, { error: 'tests must be a list of test cases' }).min(1, 'tests must not be empty');

export type RuleTestCase = z.infer<typeof ruleTestCaseSchema>;

export interface RuleTestFailure {
  /** The rule's id, or its name for base rules. */
  rule: string;
  location: RuleLocation;
  message: string;
}

const baseTime = Date.parse('2026-01-05T10:00:00.000Z');
const testMember = 'test-member';

export async function runRuleTests(rules: readonly SigmaRule[], ruleSet: RuleSet): Promise<RuleTestFailure[]> {
  const failures: RuleTestFailure[] = [];
  const known = new Set(ruleSet.rules.map((r) => r.id));
  for (const rule of rules) {
    if (!('tests' in rule.document)) continue;
    const handle = rule.id ?? rule.name ?? rule.title;
    const fail = (path: (string | number)[], message: string): void => {
      failures.push({ rule: handle, location: rule.source.locate(['tests', ...path]), message });
    };
    const parsed = ruleTestsSchema.safeParse(rule.document.tests);
    if (!parsed.success) {
      for (const problem of describeZodError(parsed.error)) fail(problem.path === '(root)' ? [] : problem.path.split('.').map(segment), problem.message);
      continue;
    }
    if (!known.has(handle)) {
      fail([], 'the rule was rejected or is unused, so its tests cannot run');
      continue;
    }
    for (const [caseIndex, testCase] of parsed.data.entries()) {
      const events: SocEvent[] = [];
      let previous = baseTime - 1_000;
      for (const [eventIndex, partial] of testCase.events.entries()) {
        const completed = completeEvent(partial, `${handle}/${caseIndex}/${eventIndex}`, previous + 1_000);
        if ('problems' in completed) {
          for (const problem of completed.problems) fail([caseIndex, 'events', eventIndex], `not a valid event: ${problem}`);
          continue;
        }
        previous = Date.parse(completed.event['@timestamp']);
        events.push(completed.event);
      }
      if (events.length !== testCase.events.length) continue;
      const where = [caseIndex];
      const label = `'${testCase.description}'`;
      if (rule.kind === 'correlation') {
        const result = await ruleSet.evaluate(events, new InMemoryWindowStore(), { now: new Date(baseTime) });
        const fired = result.detections.filter((d) => d.rule.id === handle).length;
        if (testCase.expect === 'match' && fired === 0) fail(where, `${label}: expected a detection, got none (${result.late} late)`);
        if (testCase.expect === 'no_match' && fired > 0) fail(where, `${label}: expected no detection, got ${fired}`);
      } else {
        events.forEach((event, eventIndex) => {
          const matched = ruleSet.matchingRules(event).includes(handle);
          if (testCase.expect === 'match' && !matched) fail([caseIndex, 'events', eventIndex], `${label}: event ${eventIndex} should match`);
          if (testCase.expect === 'no_match' && matched) fail([caseIndex, 'events', eventIndex], `${label}: event ${eventIndex} should not match`);
        });
      }
    }
  }
  return failures;
}

function segment(text: string): string | number {
  return /^\d+$/.test(text) ? Number(text) : text;
}

/** Adds what the collector adds, then checks the result is a valid `SocEvent`. */
export function completeEvent(partial: Record<string, unknown>, id: string, defaultTime: number): { event: SocEvent } | { problems: string[] } {
  const timestamp = typeof partial['@timestamp'] === 'string' ? partial['@timestamp'] : new Date(defaultTime).toISOString();
  const meta = isRecord(partial.event) ? partial.event : {};
  const candidate = {
    ...partial,
    '@timestamp': timestamp,
    event: { id, ingested: timestamp, ...meta },
    organization: isRecord(partial.organization) ? partial.organization : { id: testMember },
  };
  const parsed = socEventSchema.safeParse(candidate);
  if (!parsed.success) return { problems: describeZodError(parsed.error).map((p) => `${p.path}: ${p.message}`) };
  return { event: parsed.data };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
