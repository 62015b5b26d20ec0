import { stringify } from 'yaml';
import { defaultAttackDefinition, parseAttackDefinition } from './attack-definition';

describe('parseAttackDefinition', () => {
  it('reads the default definition back from YAML, defaulting outside_own_ranges to false', () => {
    expect(parseAttackDefinition(stringify(defaultAttackDefinition))).toEqual(defaultAttackDefinition);
    const parsed = parseAttackDefinition('criteria:\n  - { id: ids, label: IDS, match: { tags: [ids] } }\n');
    expect(parsed.criteria[0].outside_own_ranges).toBe(false);
  });

  it('rejects a field Elasticsearch cannot match exactly', () => {
    expect(() => parseAttackDefinition('criteria:\n  - { id: a, label: A, match: { message: [x] } }\n', 'defs.yml')).toThrow(
      'defs.yml: criteria.0.match.message: not a field a criterion may test (event.kind, event.category, event.type, event.outcome, event.action, event.dataset, event.module, tags)',
    );
  });

  it('rejects a criterion that tests nothing', () => {
    expect(() => parseAttackDefinition('criteria:\n  - { id: a, label: A, match: {} }\n')).toThrow('criteria.0.match: must test at least one field');
  });

  it('rejects duplicate criterion ids', () => {
    const twice = 'criteria:\n  - { id: a, label: A, match: { tags: [x] } }\n  - { id: a, label: B, match: { tags: [y] } }\n';
    expect(() => parseAttackDefinition(twice)).toThrow('criteria: criterion ids must be unique');
  });

  it('rejects a badly formed id', () => {
    expect(() => parseAttackDefinition('criteria:\n  - { id: A-1, label: A, match: { tags: [x] } }\n')).toThrow(
      'criteria.0.id: must be lowercase letters, digits and _',
    );
  });

  it('rejects text that is not YAML', () => {
    expect(() => parseAttackDefinition('criteria: [', 'defs.yml')).toThrow(/^defs\.yml: not YAML: /);
  });
});
