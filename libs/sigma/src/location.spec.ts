import { LineCounter, parseDocument } from 'yaml';
import { formatPath, formatRuleError, RuleSource } from './location';

describe(RuleSource.name, () => {
  const text = 'title: x\ndetection:\n    selection:\n        - Image: a\n        - CommandLine|contains: b\n    condition: selection\n';
  const lines = new LineCounter();
  const source = new RuleSource('rules/x.yml', 1, parseDocument(text, { lineCounter: lines }), lines);

  it('locates a map key by path, with line and column', () => {
    expect(source.locate(['detection', 'selection', 1, 'CommandLine|contains'])).toEqual({
      file: 'rules/x.yml',
      document: 1,
      path: 'detection.selection[1].CommandLine|contains',
      line: 5,
      column: 11,
    });
  });

  it('falls back to the deepest node a path reaches', () => {
    expect(source.locate(['detection', 'missing']).line).toBe(2);
  });

  it('locates without lines when the rule did not come from YAML', () => {
    expect(new RuleSource('api', 1).locate(['title'])).toEqual({ file: 'api', document: 1, path: 'title' });
  });
});

describe(formatRuleError.name, () => {
  it('names file, line, column, document and path', () => {
    expect(formatRuleError({ location: { file: 'a.yml', document: 2, path: 'detection.condition', line: 7, column: 5 }, message: 'bad' })).toBe(
      'a.yml:7:5 (document 2) detection.condition: bad',
    );
  });
});

describe(formatPath.name, () => {
  it('writes list indexes in brackets', () => {
    expect(formatPath(['correlation', 'rules', 0])).toBe('correlation.rules[0]');
    expect(formatPath([])).toBe('(document)');
  });
});
