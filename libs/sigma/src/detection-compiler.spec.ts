import { compileDetection } from './detection-compiler';
import { FieldReaders } from './match-context';
import { loadRules, SigmaDetectionRule } from './rule-loader';
import { compileOrThrow, detectionRule, ecsEvent, errorsOf, matches, securityEvent } from './testing/rules';

const compiled = (text: string) => {
  const rule = loadRules([{ name: 'test.yml', text }]).rules[0] as SigmaDetectionRule;
  const result = compileDetection(rule, { family: 'windows', datasets: ['windows.security'] }, new FieldReaders());
  if ('errors' in result) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.detection;
};

describe(compileDetection.name, () => {
  it('ANDs the fields of a map and ORs the maps of a list', () => {
    const rules = compileOrThrow(
      detectionRule(`
selection:
    - EventID: 4624
      LogonType: 10
    - EventID: 4625
condition: selection`),
    );
    expect(matches(rules, securityEvent('4624', { LogonType: '10' }))).toBe(true);
    expect(matches(rules, securityEvent('4624', { LogonType: '3' }))).toBe(false);
    expect(matches(rules, securityEvent('4625', {}))).toBe(true);
  });

  it('evaluates 1 of and all of over identifier patterns', () => {
    const rules = compileOrThrow(
      detectionRule(`
selection_eid:
    EventID: 4648
selection_local:
    - TargetServerName: localhost
    - IpAddress: '127.0.0.1'
filter_machine:
    SubjectUserName|endswith: '$'
filter_system:
    ProcessName|startswith: 'C:\\Windows\\System32\\'
condition: all of selection_* and not 1 of filter_*`),
    );
    expect(matches(rules, securityEvent('4648', { TargetServerName: 'localhost', SubjectUserName: 'bob', ProcessName: 'C:\\Users\\bob\\x.exe' }))).toBe(true);
    expect(matches(rules, securityEvent('4648', { TargetServerName: 'localhost', SubjectUserName: 'PC$' }))).toBe(false);
    expect(matches(rules, securityEvent('4648', { TargetServerName: 'localhost', ProcessName: 'C:\\Windows\\System32\\svchost.exe' }))).toBe(false);
    expect(matches(rules, securityEvent('4648', { TargetServerName: 'fileserver' }))).toBe(false);
  });

  it('leaves identifiers starting with an underscore out of them', () => {
    const rules = compileOrThrow(
      detectionRule(`
selection:
    EventID: 4625
_helper:
    TargetUserName: never
condition: all of them`),
    );
    expect(matches(rules, securityEvent('4625', { TargetUserName: 'bob' }))).toBe(true);
  });

  it('ORs a list of conditions', () => {
    const rules = compileOrThrow(
      detectionRule(`
failed:
    EventID: 4625
locked:
    EventID: 4740
condition:
    - failed
    - locked`),
    );
    expect(matches(rules, securityEvent('4740', {}))).toBe(true);
    expect(matches(rules, securityEvent('4624', {}))).toBe(false);
  });

  it('records the EventIDs a rule requires, for the index', () => {
    const detection = compiled(
      detectionRule(`
selection:
    EventID:
        - 4624
        - 4625
filter:
    EventID: 4625
    LogonType: 3
condition: selection and not filter`),
    );
    expect([...(detection.eventCodes ?? [])]).toEqual(['4624', '4625']);
    const open = compiled(detectionRule('selection:\n    EventID|startswith: 46\ncondition: selection'));
    expect(open.eventCodes).toBeNull();
  });

  it('restricts a Sysmon category to its EventID', () => {
    const rules = compileOrThrow(
      detectionRule("selection:\n    Image|endswith: '\\whoami.exe'\ncondition: selection", 'product: windows\n    category: process_creation'),
    );
    const sysmon = (code: string) =>
      ecsEvent({ event: { dataset: 'windows.sysmon_operational', code }, winlog: { event_data: { Image: 'C:\\Windows\\System32\\whoami.exe' } } });
    expect(matches(rules, sysmon('1'))).toBe(true);
    expect(matches(rules, sysmon('5'))).toBe(false);
  });

  it('rejects an unknown search identifier in the condition', () => {
    expect(errorsOf(detectionRule('selection:\n    EventID: 1\ncondition: selection and filter'))).toEqual([
      "detection.condition: unknown search identifier 'filter'",
    ]);
  });

  it('rejects an identifier pattern that matches nothing', () => {
    expect(errorsOf(detectionRule('selection:\n    EventID: 1\ncondition: selection and not 1 of filter*'))).toEqual([
      "detection.condition: '1 of filter*' matches no search identifier",
    ]);
  });

  it('rejects the legacy timeframe attribute', () => {
    expect(errorsOf(detectionRule('selection:\n    EventID: 1\ntimeframe: 5m\ncondition: selection'))).toEqual([
      "detection.timeframe: 'timeframe' belongs to the legacy aggregation syntax; write a correlation rule instead",
    ]);
  });

  it('rejects a condition syntax error, located at the condition', () => {
    expect(errorsOf(detectionRule('selection:\n    EventID: 1\ncondition: selection | count() > 5'))).toEqual([
      "detection.condition: legacy aggregation ('| count() by ...') is not supported; write a correlation rule instead",
    ]);
  });

  it('rejects an empty selection map', () => {
    expect(errorsOf(detectionRule('selection: {}\ncondition: selection'))).toEqual(['detection.selection: a selection map must not be empty']);
  });

  it('rejects a list mixing maps and keywords', () => {
    expect(errorsOf(detectionRule('selection:\n    - EventID: 1\n    - keyword\ncondition: selection'))).toEqual([
      'detection.selection: a search identifier list must hold only maps or only keywords',
    ]);
  });

  it('rejects an identifier that is neither a map nor a list', () => {
    expect(errorsOf(detectionRule('selection: null\ncondition: selection'))).toEqual([
      'detection.selection: a search identifier must be a map, a list of maps or a list of keywords',
    ]);
  });

  it('rejects modifiers other than all and cased on a keyword search', () => {
    expect(errorsOf(detectionRule("keywords:\n    '|re': 'x'\ncondition: keywords", 'product: linux'))).toEqual([
      "detection.keywords.|re: a keyword search takes only the 'all' and 'cased' modifiers",
    ]);
  });

  it('collects every error of a rule, not only the first', () => {
    expect(
      errorsOf(
        detectionRule(`
selection:
    CommandLine|foo: x
    Image|expand: '%Servers%'
condition: selection and missing`),
      ),
    ).toEqual([
      "detection.selection.CommandLine|foo: unknown modifier 'foo'",
      "detection.selection.Image|expand: modifier 'expand' is not supported: placeholders need a lookup the engine does not have",
      "detection.condition: unknown search identifier 'missing'",
    ]);
  });
});
