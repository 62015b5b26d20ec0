import { buildImportReport } from './import-report';
import { compileRules } from './rule-compiler';
import { loadRules } from './rule-loader';

const single = (id: string, title: string, extra = 'level: medium\n') => `title: ${title}
id: ${id}
${extra}logsource: { product: linux, service: sshd }
detection:
    selection: { event.outcome: failure }
    condition: selection
`;

const errors = (files: { name: string; text: string }[]): string[] =>
  compileRules(loadRules(files).rules).errors.map((e) => `${e.location.file} ${e.location.path}: ${e.message}`);

describe(compileRules.name, () => {
  it('rejects an id used twice, naming where it was first used', () => {
    const id = '9e255bc2-13c5-4fb6-b8ab-7ef92a9f6b97';
    expect(
      errors([
        { name: 'a.yml', text: single(id, 'A') },
        { name: 'b.yml', text: single(id, 'B') },
      ]),
    ).toEqual([`b.yml id: id '${id}' is already used by a.yml:2`]);
  });

  it('rejects a rule that produces detections but has no id', () => {
    expect(errors([{ name: 'a.yml', text: single('x', 'A').replace('id: x\n', '') }])).toEqual(['a.yml id: a rule that produces detections needs an id']);
  });

  it('rejects a rule that produces detections but has no level', () => {
    expect(errors([{ name: 'a.yml', text: single('9e255bc2-13c5-4fb6-b8ab-7ef92a9f6b97', 'A', '') }])).toEqual([
      'a.yml level: level is required for a rule that produces detections',
    ]);
  });

  it('leaves out a base rule whose only correlation was rejected, and reports it as unused', () => {
    const text = `title: C
id: 0e95725d-7320-415d-80f7-004da920fc11
level: high
correlation: { type: value_sum, rules: [base], timespan: 5m, condition: { field: bytes, gt: 5 } }
---
${single('9e255bc2-13c5-4fb6-b8ab-7ef92a9f6b97', 'Base', 'name: base\n')}`;
    const { ruleSet } = compileRules(loadRules([{ name: 'c.yml', text }]).rules);
    expect(ruleSet.rules).toEqual([]);
    const report = buildImportReport([{ name: 'c.yml', text }]);
    expect(report.rejected.map((r) => [r.document, r.reasons.map((e) => e.message)])).toEqual([
      [1, ["correlation type 'value_sum' is not supported (supported: event_count, value_count, temporal, temporal_ordered)"]],
      [2, ['base rule of a correlation that was rejected, so nothing uses it']],
    ]);
    expect(report.reasons).toEqual({ 'unsupported correlation type': 1, 'unresolved or rejected rule reference': 1 });
  });
});
