import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SocEvent } from '@soc/contracts';
import { commitCorrelation, type CorrelationEngine, type CorrelationResult, type CorrelationStores } from '../correlation-engine';
import { parseIndicator, type Indicator, type IndicatorInput } from '@soc/indicators';
import { compileRules, completeEvent, formatRuleError, loadRules, type RuleSet } from '@soc/sigma';

/** Test support: the project's real rules, events from partial ECS, indicators from input. */

const rulesDir = join(__dirname, '..', '..', '..', '..', 'rules');

export function realRules(...files: string[]): RuleSet {
  const loaded = loadRules(files.map((name) => ({ name, text: readFileSync(join(rulesDir, name), 'utf8') })));
  const compiled = compileRules(loaded.rules);
  const errors = [...loaded.errors, ...compiled.errors];
  if (errors.length > 0) throw new Error(errors.map(formatRuleError).join('\n'));
  return compiled.ruleSet;
}

let sequence = 0;

export function event(memberId: string, time: string, partial: Record<string, unknown>): SocEvent {
  sequence++;
  const result = completeEvent({ ...partial, '@timestamp': time, organization: { id: memberId } }, `ev-${memberId}-${sequence}`, 0);
  if ('problems' in result) throw new Error(result.problems.join('\n'));
  return result.event;
}

export function sshFailure(memberId: string, time: string, ip: string): SocEvent {
  return event(memberId, time, {
    event: { dataset: 'linux.sshd', category: ['authentication'], type: ['start'], outcome: 'failure', action: 'ssh_login' },
    source: { ip },
    user: { name: 'root' },
  });
}

export function indicator(input: Partial<IndicatorInput> & Pick<IndicatorInput, 'id' | 'type' | 'value'>): Indicator {
  const parsed = parseIndicator({ source: 'feodo', confidence: 75, tlp: 'green', valid_from: '2026-01-01T00:00:00Z', ...input });
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.indicator;
}

/** Members own 10.<n>.0.0/16: 0101 → 10.1.x, 0147 → 10.47.x, and so on. */
export const members = {
  ownerOfAddress(ip: string): string | undefined {
    const m = /^10\.(\d+)\./.exec(ip);
    return m ? `01${m[1].padStart(2, '0')}` : undefined;
  },
};

/** The same time plus minutes, as ISO. */
export function at(base: string, minutes: number): string {
  return new Date(Date.parse(base) + minutes * 60_000).toISOString();
}

/** Evaluates a batch and commits what fired, as the correlator does once the detections are enqueued. */
export async function evaluateAndCommit(
  engine: CorrelationEngine,
  events: readonly SocEvent[],
  stores: CorrelationStores,
  options: { now?: Date } = {},
): Promise<CorrelationResult> {
  const result = await engine.evaluate(events, stores, options);
  await commitCorrelation(stores, result.commit);
  return result;
}
