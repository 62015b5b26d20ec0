import type { CompiledDetectionRule } from './compiled-rule';
import { RuleIndex } from './rule-index';
import { compileOrThrow, detectionRule, matches, securityEvent } from './testing/rules';

let slot = 0;
const rule = (handle: string, datasets: string[], codes: string[] | null): CompiledDetectionRule =>
  ({
    handle,
    slot: slot++,
    target: { family: 'windows', datasets },
    detection: { test: () => true, eventCodes: codes && new Set(codes), fields: [], atoms: null },
    taps: [],
  }) as unknown as CompiledDetectionRule;

describe(RuleIndex.name, () => {
  const index = new RuleIndex([
    rule('failed-logon', ['windows.security'], ['4625']),
    rule('any-security', ['windows.security'], null),
    rule('logon', ['windows.security'], ['4624', '4625']),
    rule('sysmon', ['windows.sysmon_operational'], ['1']),
  ]);
  const handles = (dataset: unknown, code: unknown) => RuleIndex.rulesOf(index.plan(dataset, code)).map((r) => r.handle);

  it('hands an event only the rules of its dataset that accept its code', () => {
    expect(handles('windows.security', '4625')).toEqual(['failed-logon', 'any-security', 'logon']);
    expect(handles('windows.security', '4624')).toEqual(['any-security', 'logon']);
    expect(handles('windows.security', '4688')).toEqual(['any-security']);
    expect(handles('windows.sysmon_operational', '1')).toEqual(['sysmon']);
  });

  it('hands an event without a code only the rules that need none', () => {
    expect(handles('windows.security', undefined)).toEqual(['any-security']);
  });

  it('hands an event without a dataset nothing', () => {
    expect(handles(undefined, '4625')).toEqual([]);
  });

  it('reads a numeric code like its text', () => {
    expect(handles('windows.security', 4625)).toEqual(['failed-logon', 'any-security', 'logon']);
  });

  it('tests every rule of the dataset when the code is written unusually', () => {
    expect(handles('windows.security', '04625')).toEqual(['failed-logon', 'any-security', 'logon']);
    const rules = compileOrThrow(detectionRule('selection:\n    EventID: 4625\ncondition: selection'));
    expect(matches(rules, securityEvent('04625', {}))).toBe(true);
  });
});
