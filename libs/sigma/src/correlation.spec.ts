import { compileCorrelation, parseTimespan } from './correlation';
import { compileYaml } from './testing/rules';

const baseRule = `title: Failed logon
id: 5b0b75dc-9190-4047-b9a8-14164cee8a31
name: failed_logon
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID: 4625
    condition: selection
`;

const correlation = (body: string, head = 'title: Many failures\nid: 0e95725d-7320-415d-80f7-004da920fc11\nlevel: high\n') =>
  `${head}correlation:\n${body}---\n${baseRule}`;

const errors = (text: string): string[] => compileYaml(text).errors.map((e) => `${e.location.path}: ${e.message}`);

describe(compileCorrelation.name, () => {
  it('compiles a correlation over a base rule referenced by name', () => {
    const { ruleSet, errors: problems } = compileYaml(
      correlation('    type: event_count\n    rules: [failed_logon]\n    group-by: [IpAddress]\n    timespan: 5m\n    condition: { gte: 5 }\n'),
    );
    expect(problems).toEqual([]);
    expect(ruleSet.rules.map((r) => [r.kind, r.id, r.generates])).toEqual([
      ['detection', '5b0b75dc-9190-4047-b9a8-14164cee8a31', false],
      ['correlation', '0e95725d-7320-415d-80f7-004da920fc11', true],
    ]);
  });

  it('lets the base rule produce its own detections when generate is true', () => {
    const { ruleSet } = compileYaml(
      correlation(
        '    type: event_count\n    rules: [5b0b75dc-9190-4047-b9a8-14164cee8a31]\n    timespan: 5m\n    condition: { gte: 5 }\n',
        'title: C\nid: c1\nlevel: high\ngenerate: true\n',
      ).replace('name: failed_logon', 'name: failed_logon\nlevel: low'),
    );
    expect(ruleSet.rules.find((r) => r.kind === 'detection')?.generates).toBe(true);
  });

  it('rejects a correlation without an id', () => {
    expect(
      errors(correlation('    type: event_count\n    rules: [failed_logon]\n    timespan: 5m\n    condition: { gte: 5 }\n', 'title: x\nlevel: high\n')),
    ).toEqual(['id: a correlation rule needs an id: its detections are identified by it']);
  });

  it('rejects a correlation without a level', () => {
    expect(
      errors(correlation('    type: event_count\n    rules: [failed_logon]\n    timespan: 5m\n    condition: { gte: 5 }\n', 'title: x\nid: c1\n')),
    ).toEqual(['level: level is required for a rule that produces detections']);
  });

  it('rejects an unsupported correlation type', () => {
    expect(errors(correlation('    type: value_sum\n    rules: [failed_logon]\n    timespan: 5m\n    condition: { field: bytes, gt: 5 }\n'))).toEqual([
      "correlation.type: correlation type 'value_sum' is not supported (supported: event_count, value_count, temporal, temporal_ordered)",
    ]);
  });

  it('rejects a reference to no loaded rule', () => {
    expect(errors(correlation('    type: event_count\n    rules: [failed_logon, nothing]\n    timespan: 5m\n    condition: { gte: 5 }\n'))).toEqual([
      "correlation.rules[1]: no loaded rule has the id or name 'nothing'",
    ]);
  });

  it('rejects a rule listed twice', () => {
    expect(errors(correlation('    type: temporal\n    rules: [failed_logon, failed_logon]\n    timespan: 5m\n'))).toEqual([
      "correlation.rules[1]: rule 'failed_logon' is listed twice",
    ]);
  });

  it('rejects a reference to a rejected rule', () => {
    const text = correlation('    type: event_count\n    rules: [failed_logon]\n    timespan: 5m\n    condition: { gte: 5 }\n').replace(
      'EventID: 4625',
      'EventID|nope: 4625',
    );
    expect(errors(text)).toEqual([
      "detection.selection.EventID|nope: unknown modifier 'nope'",
      "correlation.rules[0]: rule 'failed_logon' was rejected (see its errors)",
    ]);
  });

  it('rejects chained correlations', () => {
    const text = `${correlation('    type: event_count\n    rules: [failed_logon]\n    timespan: 5m\n    condition: { gte: 5 }\n').replace('title: Many failures', 'title: Many failures\nname: many')}
---
title: Chained
id: c2
level: high
correlation:
    type: temporal
    rules: [many, failed_logon]
    timespan: 1h
`;
    expect(errors(text)).toEqual(["correlation.rules[0]: 'many' is a correlation rule; chained correlations are not supported"]);
  });

  it('rejects conditions that need a closed window', () => {
    expect(errors(correlation('    type: event_count\n    rules: [failed_logon]\n    timespan: 5m\n    condition: { lt: 5 }\n'))).toEqual([
      "correlation.condition.lt: condition 'lt' is not supported: windows fire when they reach a threshold, so only gt and gte can be decided before a window closes",
      'correlation.condition: the condition needs gt or gte',
    ]);
  });

  it('rejects an event_count without a condition', () => {
    expect(errors(correlation('    type: event_count\n    rules: [failed_logon]\n    timespan: 5m\n'))).toEqual([
      'correlation.condition: a event_count correlation needs a condition',
    ]);
  });

  it('rejects a value_count condition without field', () => {
    expect(errors(correlation('    type: value_count\n    rules: [failed_logon]\n    timespan: 5m\n    condition: { gte: 5 }\n'))).toEqual([
      'correlation.condition: a value_count condition needs field: the field whose distinct values are counted',
    ]);
  });

  it('rejects field in an event_count condition', () => {
    expect(errors(correlation('    type: event_count\n    rules: [failed_logon]\n    timespan: 5m\n    condition: { gte: 5, field: User }\n'))).toEqual([
      'correlation.condition.field: field belongs to value_count conditions, not event_count',
    ]);
  });

  it('rejects a condition on temporal_ordered', () => {
    expect(errors(correlation('    type: temporal_ordered\n    rules: [failed_logon]\n    timespan: 5m\n    condition: { gte: 1 }\n'))).toEqual([
      'correlation.condition: temporal_ordered takes no condition: all rules must match, in order',
    ]);
  });

  it('rejects a group-by field without a mapping for a base rule', () => {
    const text = correlation('    type: event_count\n    rules: [failed_logon]\n    group-by: [c-ip]\n    timespan: 5m\n    condition: { gte: 5 }\n');
    expect(errors(text)).toEqual([
      "correlation.group-by[0]: field 'c-ip' has no mapping for windows log sources (see libs/sigma/FIELD-MAPPING.md) (in the events of rule '5b0b75dc-9190-4047-b9a8-14164cee8a31')",
    ]);
  });

  it('rejects an alias naming a rule the correlation does not reference', () => {
    const text = correlation(
      '    type: event_count\n    rules: [failed_logon]\n    group-by: [address]\n    timespan: 5m\n    condition: { gte: 5 }\n    aliases:\n        address:\n            failed_logon: IpAddress\n            other_rule: source.ip\n',
    );
    expect(errors(text)).toEqual([
      "correlation.aliases.address.other_rule: alias 'address' names rule 'other_rule', which this correlation does not reference",
    ]);
  });

  it('rejects an alias without a field for one of the rules', () => {
    const text = `${correlation(
      '    type: temporal\n    rules: [failed_logon, success]\n    group-by: [address]\n    timespan: 5m\n    aliases:\n        address:\n            failed_logon: IpAddress\n',
    )}---\n${baseRule.replace('name: failed_logon', 'name: success').replace('4625', '4624').replace('5b0b75dc-9190-4047-b9a8-14164cee8a31', 'a4c1b3d4-0000-4000-8000-000000000001')}`;
    expect(errors(text)).toEqual(["correlation.aliases.address: alias 'address' has no field for rule 'a4c1b3d4-0000-4000-8000-000000000001'"]);
  });
});

describe(parseTimespan.name, () => {
  it('reads seconds, minutes, hours and days', () => {
    expect([parseTimespan('30s'), parseTimespan('5m'), parseTimespan('2h'), parseTimespan('1d')]).toEqual([30_000, 300_000, 7_200_000, 86_400_000]);
  });
});
