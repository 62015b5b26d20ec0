import type { CompiledDetectionRule } from './compiled-rule';
import { compileDetection } from './detection-compiler';
import { resolveLogsource } from './logsource-filter';
import { FieldReaders, MatchContext } from './match-context';
import { NeedleRegistry } from './needle-scanner';
import { RuleIndex, scannersFor } from './rule-index';
import { loadRules, SigmaDetectionRule } from './rule-loader';
import { compileOrThrow, detectionRule, ecsEvent, matches, securityEvent } from './testing/rules';

let slot = 0;
const rule = (handle: string, datasets: string[], codes: string[] | null): CompiledDetectionRule =>
  ({
    handle,
    slot: slot++,
    target: { family: 'windows', datasets },
    detection: { test: () => true, eventCodes: codes && new Set(codes), fields: [], gates: [], atoms: [] },
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

/** A detection rule with its own id, for rule sets of several rules. */
const sshRule = (n: number, detection: string, logsource = 'product: linux\n    service: sshd'): string =>
  detectionRule(detection, logsource).replace('00000000-0000-4000-8000-000000000001', `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`);

/** Compiles rules the way the rule set does (one registry of needles), to look at the index's plans. */
const compiledRules = (texts: string[], needles = new NeedleRegistry()): CompiledDetectionRule[] => {
  const readers = new FieldReaders();
  return loadRules(texts.map((text, i) => ({ name: `r${i}.yml`, text }))).rules.map((rule, slot) => {
    const detectionRule = rule as SigmaDetectionRule;
    const target = resolveLogsource(detectionRule.logsource);
    if ('error' in target) throw new Error(target.error);
    const result = compileDetection(detectionRule, target.target, readers, needles);
    if ('errors' in result) throw new Error(result.errors.map((e) => e.message).join('\n'));
    return { rule: detectionRule, handle: detectionRule.id!, target: target.target, detection: result.detection, taps: [], slot };
  });
};

describe('number gates', () => {
  const text = detectionRule(`selection:
    EventID: 4624
    LogonType: 10
condition: selection`);

  it('skips a rule on a number by its digits: LogonType 10 is not visited for a type 3 logon', () => {
    const needles = new NeedleRegistry();
    const index = new RuleIndex(compiledRules([text], needles), needles);
    const plan = index.plan('windows.security', '4624');
    expect(plan.always).toEqual([]);
    expect([...plan.gated.values()].flat()).toHaveLength(1);
  });

  it('still matches every text the numeric comparison reads as the number, and only those', () => {
    const ruleSet = compileOrThrow(text);
    const logon = (type: unknown) => securityEvent('4624', {}, { winlog: { event_data: { LogonType: type } } });
    for (const type of ['10', '010', '10.0', '9.99999999999999999999', 10]) expect(matches(ruleSet, logon(type))).toBe(true);
    for (const type of ['3', '100', '1', '1.0', '11', 'ten']) expect(matches(ruleSet, logon(type))).toBe(false);
  });
});

describe('substring gates', () => {
  const base = `selection:
    event.category: authentication
    event.outcome: failure
condition: selection`;
  const tuned = (account: string) => `selection:
    event.category: authentication
    event.outcome: failure
tuning:
    user.name|startswith: ${account}
condition: selection and tuning`;

  it('gates a tuned copy by what sets it apart, not by what every rule of its log source needs', () => {
    const rules = compiledRules([sshRule(1, base), ...['svc_backup1', 'svc_sql2', 'oracle3'].map((account, i) => sshRule(i + 2, tuned(account)))]);
    const plan = new RuleIndex(rules).plan('linux.sshd', undefined);
    const gatesOf = (handle: string) => [...plan.gated].filter(([, list]) => list.some((r) => r.handle === handle)).map(([test]) => test);
    const [, ...copies] = rules.map((r) => r.handle);
    for (const copy of copies) {
      const [test] = gatesOf(copy);
      expect(gatesOf(copy)).toHaveLength(1);
      // The copy's own atom: its user.name prefix, which no other rule has.
      expect(plan.gated.get(test)?.map((r) => r.handle)).toEqual([copy]);
      expect(plan.gateFields.find((reader) => reader.label === 'user.name')).toBeDefined();
    }
  });

  it('shares one substring test between rules asking the same question', () => {
    const rules = compiledRules([sshRule(1, base), sshRule(2, tuned('svc_backup'))]);
    const tests = rules.map((r) => r.detection.gates.map((gate) => gate.map((atom) => atom.test)));
    expect(tests[0]).toHaveLength(2);
    expect(tests[1]).toHaveLength(3);
    expect(tests[1]).toEqual(expect.arrayContaining(tests[0]));
  });

  /**
   * Gates decide which rules are visited; a wrong gate silently loses detections. So the rule set,
   * with its index and shared scanner, must agree with testing every rule of the dataset on every
   * event, for conditions that make gates in every way (and, or, not, all, keywords, null).
   */
  it('never skips a rule that matches', () => {
    const detections = [
      base,
      tuned('svc_backup'),
      tuned('SVC_SQL'),
      `selection:
    event.outcome: failure
tuning:
    - user.name|startswith: adm_
    - user.name|endswith: _adm
condition: selection and tuning`,
      `first:
    user.name|contains: back
second:
    source.ip|startswith: '10.'
condition: 1 of them`,
      `selection:
    event.category: authentication
filter:
    user.name|startswith: svc_
condition: selection and not filter`,
      `selection:
    message|contains|all:
        - failed
        - invalid user
condition: selection`,
      `keywords:
    - 'Accepted publickey'
    - 'Failed password'
narrow:
    user.name: root
condition: keywords and narrow`,
      `selection:
    user.name:
        - root
        - null
    event.outcome: success
condition: selection`,
      `selection:
    user.name|re: '^svc_b'
    event.outcome: failure
condition: selection`,
      `selection:
    user.name|cased: Root
condition: selection`,
      `selection:
    event.action: SSH_LOGIN
    event.outcome: failure
tuning:
    user.name|startswith: svc_
condition: selection and tuning`,
    ];
    const texts = detections.map((d, i) => sshRule(i + 1, d));
    const ruleSet = compileOrThrow(texts.join('---\n'));
    // Each rule compiled with a registry of its own, to be tested alone without any index.
    const alone = texts.map((text) => {
      const needles = new NeedleRegistry();
      const [rule] = compiledRules([text], needles);
      return { rule, context: new MatchContext(needles), scanners: scannersFor([rule], needles) };
    });
    const users = ['root', 'Root', 'svc_backup7', 'SVC_SQL', 'adm_eve', 'eve_adm', 'alice', undefined];
    const messages = ['Failed password for root', 'failed password for invalid user svc_backup', 'Accepted publickey for alice', undefined];
    let matched = 0;
    for (const user of users) {
      for (const [outcome, action] of [
        ['failure', 'ssh_login'],
        ['failure', 'SSH_Login'],
        ['success', 'ssh_login'],
      ]) {
        for (const message of messages) {
          for (const category of [['authentication'], ['Authentication', 'session'], []]) {
            for (const ip of ['10.1.2.3', '203.0.113.7']) {
              const event = ecsEvent({
                event: { dataset: 'linux.sshd', category, outcome, action },
                ...(user === undefined ? {} : { user: { name: user } }),
                ...(message === undefined ? {} : { message }),
                source: { ip },
              });
              const expected = alone
                .filter(({ rule, context, scanners }) => {
                  context.reset(event, scanners);
                  return rule.detection.test(context);
                })
                .map(({ rule }) => rule.handle);
              expect([...ruleSet.matchingRules(event)].sort()).toEqual(expected.sort());
              matched += expected.length;
            }
          }
        }
      }
    }
    expect(matched).toBeGreaterThan(100);
  });
});
