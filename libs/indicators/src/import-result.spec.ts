import { formatImportError } from './import-result';

describe('formatImportError', () => {
  it('puts the location before the reason', () => {
    expect(formatImportError({ line: 12, reason: 'bad row' })).toBe('line 12: bad row');
    expect(formatImportError({ path: 'objects[3].pattern', objectId: 'indicator--1', reason: 'AND' })).toBe('objects[3].pattern (indicator--1): AND');
    expect(formatImportError({ objectId: 'indicator--1', reason: 'AND' })).toBe('indicator--1: AND');
    expect(formatImportError({ reason: 'empty' })).toBe('empty');
  });
});
