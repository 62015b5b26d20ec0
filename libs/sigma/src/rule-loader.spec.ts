import { formatRuleError } from './location';
import { loadRules } from './rule-loader';

const messages = (text: string): string[] => loadRules([{ name: 'rule.yml', text }]).errors.map((e) => `${e.location.path}: ${e.message}`);

const detection = `title: Failed logon
id: 5b0b75dc-9190-4047-b9a8-14164cee8a31
level: medium
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID: 4625
    condition: selection
`;

describe(loadRules.name, () => {
  it('loads a detection rule with its metadata', () => {
    const { rules, errors } = loadRules([{ name: 'rule.yml', text: `${detection}tags:\n    - attack.t1110\nreferences: https://example.org\n` }]);
    expect(errors).toEqual([]);
    expect(rules[0]).toMatchObject({ kind: 'detection', title: 'Failed logon', level: 'medium', tags: ['attack.t1110'], references: ['https://example.org'] });
  });

  it('loads a correlation rule and its base rules from one multi-document file', () => {
    const text = `title: Many failures
id: 0e95725d-7320-415d-80f7-004da920fc11
level: high
correlation:
    type: event_count
    rules: [failed]
    group-by: [IpAddress]
    timespan: 5m
    condition: { gte: 5 }
---
${detection.replace('title: Failed logon', 'title: Failed logon\nname: failed')}`;
    const { rules, errors } = loadRules([{ name: 'multi.yml', text }]);
    expect(errors).toEqual([]);
    expect(rules.map((r) => [r.kind, r.source.document])).toEqual([
      ['correlation', 1],
      ['detection', 2],
    ]);
    expect(rules[0]).toMatchObject({ generate: false, crossMember: false });
  });

  it('collects the errors of every file and document instead of stopping at the first', () => {
    const { rules, errors } = loadRules([
      { name: 'a.yml', text: 'title: [unclosed' },
      { name: 'b.yml', text: `${detection}---\ntitle: 5\n` },
      { name: 'c.yml', text: detection },
    ]);
    expect(rules).toHaveLength(2);
    expect(errors.map(formatRuleError)).toEqual([
      'a.yml:1:17 (yaml): invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      'b.yml:12:1 (document 2) (document): not a Sigma rule: neither detection: nor correlation: is present',
    ]);
  });

  it('locates a schema error at its path and line', () => {
    const { errors } = loadRules([{ name: 'rule.yml', text: detection.replace('level: medium', 'level: severe') }]);
    expect(errors.map(formatRuleError)).toEqual(['rule.yml:3:1 level: level must be one of informational, low, medium, high, critical']);
  });

  it('rejects a document that is not a map', () => {
    expect(messages('- a\n- b\n')).toEqual(['(document): a rule document must be a map']);
  });

  it('rejects Sigma 1 rule collections', () => {
    expect(messages('action: global\ntitle: x\n')).toEqual([
      "action: Sigma 1 rule collections ('action: global/reset/repeat') are not supported; write one rule per document",
    ]);
  });

  it('rejects Sigma filter documents', () => {
    expect(messages('title: x\nfilter:\n    rules: [a]\n')).toEqual(['filter: Sigma filter documents are not supported']);
  });

  it('rejects a document that is both a detection and a correlation rule', () => {
    expect(messages(`${detection}correlation:\n    type: event_count\n`)).toEqual([
      '(document): a document is either a detection rule (detection:) or a correlation rule (correlation:), not both',
    ]);
  });

  it('rejects a rule without a title', () => {
    expect(messages(detection.replace('title: Failed logon\n', ''))).toEqual(['title: title is required and must be text']);
  });

  it('rejects a rule without a log source', () => {
    expect(messages(detection.replace('logsource:\n    product: windows\n    service: security\n', ''))).toEqual([
      'logsource: logsource is required: a map with product, service and/or category',
    ]);
  });

  it('rejects an empty log source', () => {
    expect(messages(detection.replace('logsource:\n    product: windows\n    service: security\n', 'logsource:\n    definition: x\n'))).toEqual([
      'logsource: logsource needs at least one of product, service, category',
    ]);
  });

  it('rejects a detection without a condition', () => {
    expect(messages(detection.replace('    condition: selection\n', ''))).toEqual([
      'detection.condition: detection.condition is required: a condition expression or a list of them',
    ]);
  });

  it('rejects an unknown status', () => {
    expect(messages(`${detection}status: beta\n`)).toEqual(['status: status must be one of stable, test, experimental, deprecated, unsupported']);
  });

  it('rejects a taxonomy other than sigma or ecs', () => {
    expect(messages(`${detection}taxonomy: splunk_cim\n`)).toEqual(["taxonomy: taxonomy must be 'sigma' or 'ecs'; other taxonomies are not supported"]);
  });

  it('rejects tags that are not text', () => {
    expect(messages(`${detection}tags:\n    - { a: b }\n`)).toEqual(['tags[0]: must be a list of text values']);
  });

  describe('correlation rules', () => {
    const correlation = (body: string) => `title: C\nid: 0e95725d-7320-415d-80f7-004da920fc11\nlevel: high\ncorrelation:\n${body}`;

    it('rejects a malformed timespan', () => {
      expect(messages(correlation('    type: event_count\n    rules: [a]\n    timespan: 5 minutes\n'))).toEqual([
        'correlation.timespan: timespan must be a number followed by s, m, h or d, e.g. 5m',
      ]);
    });

    it('rejects an empty rule list', () => {
      expect(messages(correlation('    type: event_count\n    rules: []\n    timespan: 5m\n'))).toEqual([
        'correlation.rules: correlation.rules must not be empty',
      ]);
    });

    it('rejects a threshold that is not an integer', () => {
      expect(messages(correlation('    type: event_count\n    rules: [a]\n    timespan: 5m\n    condition:\n        gte: 2.5\n'))).toEqual([
        'correlation.condition.gte: must be an integer',
      ]);
    });

    it('rejects generate given twice with different values', () => {
      expect(messages(`generate: true\n${correlation('    type: event_count\n    rules: [a]\n    timespan: 5m\n    generate: false\n')}`)).toEqual([
        'generate: generate is given twice (top level and in correlation) with different values',
      ]);
    });

    it('reads generate and cross_member', () => {
      const { rules } = loadRules([
        { name: 'c.yml', text: `generate: true\ncross_member: true\n${correlation('    type: event_count\n    rules: [a]\n    timespan: 5m\n')}` },
      ]);
      expect(rules[0]).toMatchObject({ generate: true, crossMember: true });
    });
  });
});
