import { attackAttemptQuery, attackCategoryFilters } from './attack-query';
import { defaultAttackDefinition } from './attack-definition';
import { copenhagenDayOf, definitionFingerprint, extendCoverage, splitByCoverage } from './rollup-coverage';

describe('roll-up coverage', () => {
  it('splits a period into the covered days and the raw days before and after', () => {
    expect(splitByCoverage('2026-03-01', '2026-03-31', { from: '2026-03-10', to: '2026-03-20' })).toEqual({
      rollup: ['2026-03-10', '2026-03-20'],
      raw: [
        ['2026-03-01', '2026-03-09'],
        ['2026-03-21', '2026-03-31'],
      ],
    });
    expect(splitByCoverage('2026-03-01', '2026-03-31', { from: '2026-01-01', to: '2026-12-31' })).toEqual({ rollup: ['2026-03-01', '2026-03-31'], raw: [] });
    expect(splitByCoverage('2026-03-01', '2026-03-31', { from: '2026-03-31', to: '2026-04-30' })).toEqual({
      rollup: ['2026-03-31', '2026-03-31'],
      raw: [['2026-03-01', '2026-03-30']],
    });
  });

  it('reads raw events only when nothing is covered, or the coverage is empty or elsewhere', () => {
    const raw = { rollup: null, raw: [['2026-03-01', '2026-03-31']] };
    expect(splitByCoverage('2026-03-01', '2026-03-31', null)).toEqual(raw);
    expect(splitByCoverage('2026-03-01', '2026-03-31', { from: '2026-04-01', to: '2026-04-30' })).toEqual(raw);
    expect(splitByCoverage('2026-03-01', '2026-03-31', { from: '2026-03-11', to: '2026-03-10' })).toEqual(raw);
  });

  it('extends coverage only by a range that overlaps or touches it', () => {
    expect(extendCoverage({ from: '2026-03-10', to: '2026-03-20' }, '2026-03-21', '2026-03-25')).toEqual({ from: '2026-03-10', to: '2026-03-25' });
    expect(extendCoverage({ from: '2026-03-10', to: '2026-03-20' }, '2026-03-01', '2026-03-12')).toEqual({ from: '2026-03-01', to: '2026-03-20' });
    expect(extendCoverage({ from: '2026-03-10', to: '2026-03-20' }, '2026-03-23', '2026-03-25')).toEqual({ from: '2026-03-23', to: '2026-03-25' });
    expect(extendCoverage(null, '2026-03-23', '2026-03-25')).toEqual({ from: '2026-03-23', to: '2026-03-25' });
  });

  it('fingerprints the definition as Elasticsearch evaluates it, member ranges included', () => {
    const of = (ranges: string[]) => {
      const members = [{ memberId: '0101', ranges }];
      return definitionFingerprint(attackAttemptQuery(defaultAttackDefinition, members), attackCategoryFilters(defaultAttackDefinition, members));
    };
    expect(of(['10.0.0.0/16'])).toBe(of(['10.0.0.0/16']));
    expect(of(['10.0.0.0/16'])).not.toBe(of(['10.1.0.0/16']));
    expect(of(['10.0.0.0/16'])).toMatch(/^[0-9a-f]{16}$/);
  });

  it('counts an event on its Copenhagen calendar day', () => {
    expect(copenhagenDayOf('2026-03-31T22:30:00Z')).toBe('2026-04-01'); // 00:30 summer time
    expect(copenhagenDayOf('2026-01-31T22:30:00Z')).toBe('2026-01-31'); // 23:30 winter time
    expect(copenhagenDayOf('not a time')).toBeUndefined();
  });
});
