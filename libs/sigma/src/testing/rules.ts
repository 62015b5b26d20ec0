import type { SocEvent } from '@soc/contracts';
import { formatRuleError, RuleError } from '../location';
import { compileRules } from '../rule-compiler';
import { loadRules } from '../rule-loader';
import type { EngineOptions, EvaluateOptions, EvaluationResult, RuleSet } from '../rule-set';
import type { WindowStore } from '../window-store';
import { completeEvent } from '../rule-tests';

/** Test support: rules from YAML text, events from partial ECS. */

export function compileYaml(text: string, options: Partial<EngineOptions> = {}): { ruleSet: RuleSet; errors: RuleError[] } {
  const loaded = loadRules([{ name: 'test.yml', text }]);
  const compiled = compileRules(loaded.rules, options);
  return { ruleSet: compiled.ruleSet, errors: [...loaded.errors, ...compiled.errors] };
}

/** Compiles and fails loudly if the rule was rejected. */
export function compileOrThrow(text: string, options: Partial<EngineOptions> = {}): RuleSet {
  const { ruleSet, errors } = compileYaml(text, options);
  if (errors.length > 0) throw new Error(errors.map(formatRuleError).join('\n'));
  return ruleSet;
}

/** The messages of a rejected rule, to assert on. */
export function errorsOf(text: string): string[] {
  return compileYaml(text).errors.map((e) => `${e.location.path}: ${e.message}`);
}

/** A single-event rule with this detection (indented YAML under `detection:`) and log source. */
export function detectionRule(detection: string, logsource = 'product: windows\n    service: security'): string {
  return `title: Test rule
id: 00000000-0000-4000-8000-000000000001
level: medium
logsource:
    ${logsource}
detection:
${detection
  .trim()
  .split('\n')
  .map((line) => `    ${line}`)
  .join('\n')}
`;
}

let sequence = 0;

/** A valid `SocEvent` from partial ECS (id, ingested, member and time filled in). */
export function ecsEvent(partial: Record<string, unknown>): SocEvent {
  sequence++;
  const result = completeEvent(partial, `event-${sequence}`, Date.parse('2026-01-05T10:00:00.000Z'));
  if ('problems' in result) throw new Error(result.problems.join('\n'));
  return result.event;
}

/** A Windows Security event with raw event data. */
export function securityEvent(code: string, data: Record<string, string>, extra: Record<string, unknown> = {}): SocEvent {
  return ecsEvent({ event: { dataset: 'windows.security', code }, winlog: { channel: 'Security', event_data: data }, ...extra });
}

/** Whether the single rule `00000000-…-0001` matches. */
export function matches(ruleSet: RuleSet, event: SocEvent): boolean {
  return ruleSet.matchingRules(event).includes('00000000-0000-4000-8000-000000000001');
}

/** Evaluates a batch and marks what fired as spent, as the correlator does once the detections are enqueued. */
export async function evaluateAndMark(
  ruleSet: RuleSet,
  events: readonly SocEvent[],
  store: WindowStore,
  options: EvaluateOptions = {},
): Promise<EvaluationResult> {
  const result = await ruleSet.evaluate(events, store, options);
  if (result.fired.length > 0) await store.markFired(result.fired);
  return result;
}
