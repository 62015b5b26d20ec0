import { attackAttemptQuery, attackCategoryFilters } from './attack-query';
import { defaultAttackDefinition } from './attack-definition';
import { copenhagenDayOf, copenhagenDayOfMs, definitionFingerprint, extendCoverage, splitByCoverage } from './rollup-coverage';

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
    expect(copenhagenDayOf('')).toBeUndefined();
  });

  // The day is memoised per UTC hour: these pin it at the hours where it changes.
  const intl = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' });
  const intlDay = (ms: number) => intl.format(ms);
  const at = (iso: string) => copenhagenDayOf(iso);

  it('changes day at Copenhagen midnight, in winter and in summer time', () => {
    expect([at('2026-01-15T22:59:59.999Z'), at('2026-01-15T23:00:00.000Z')]).toEqual(['2026-01-15', '2026-01-16']);
    expect([at('2026-07-15T21:59:59.999Z'), at('2026-07-15T22:00:00.000Z')]).toEqual(['2026-07-15', '2026-07-16']);
    // The new year, both ways round the memo (the later hour asked first).
    expect([at('2026-12-31T23:00:00Z'), at('2026-12-31T22:59:59Z')]).toEqual(['2027-01-01', '2026-12-31']);
  });

  it('follows the switch to summer time (last Sunday of March) and back (last Sunday of October)', () => {
    // 29 March 2026 01:00 UTC: 02:00 CET becomes 03:00 CEST; that day's midnight was 23:00 UTC the day before.
    expect([at('2026-03-28T22:59:59Z'), at('2026-03-28T23:00:00Z'), at('2026-03-29T00:59:59Z'), at('2026-03-29T01:00:00Z')]).toEqual([
      '2026-03-28',
      '2026-03-29',
      '2026-03-29',
      '2026-03-29',
    ]);
    // The first midnight in summer time is at 22:00 UTC.
    expect([at('2026-03-29T21:59:59Z'), at('2026-03-29T22:00:00Z')]).toEqual(['2026-03-29', '2026-03-30']);
    // 25 October 2026 01:00 UTC: 03:00 CEST becomes 02:00 CET; the day began 22:00 UTC the day before, the next at 23:00 UTC.
    expect([at('2026-10-24T21:59:59Z'), at('2026-10-24T22:00:00Z'), at('2026-10-25T22:59:59Z'), at('2026-10-25T23:00:00Z')]).toEqual([
      '2026-10-24',
      '2026-10-25',
      '2026-10-25',
      '2026-10-26',
    ]);
  });

  it('gives what Intl gives, minute by minute through both switches and the days around them', () => {
    const starts = [Date.UTC(2026, 2, 27), Date.UTC(2026, 9, 23), Date.UTC(2031, 2, 29), Date.UTC(1980, 3, 5)];
    for (const start of starts) {
      for (let ms = start; ms < start + 4 * 86_400_000; ms += 60_000) {
        for (const t of [ms, ms + 59_999]) expect([t, copenhagenDayOfMs(t)]).toEqual([t, intlDay(t)]);
      }
    }
  });

  it('gives what Intl gives before 1900, when Copenhagen kept local mean time (not a whole hour)', () => {
    // Around midnight of 1 January 1890 in Copenhagen, second by second: the day changes inside a UTC hour.
    const hour = Date.UTC(1889, 11, 31, 23);
    let changesInsideTheHour = false;
    for (let ms = hour - 3_600_000; ms < hour + 3_600_000; ms += 1000) {
      expect([ms, copenhagenDayOfMs(ms)]).toEqual([ms, intlDay(ms)]);
      if (ms >= hour && intlDay(ms) !== intlDay(hour)) changesInsideTheHour = true;
    }
    expect(changesInsideTheHour).toBe(true);
  });

  it('stays right when more hours are asked than the memo keeps', () => {
    const start = Date.UTC(2026, 0, 1, 0, 30);
    for (let hour = 0; hour < 3000; hour += 1) {
      const ms = start + hour * 3_600_000;
      expect([ms, copenhagenDayOfMs(ms)]).toEqual([ms, intlDay(ms)]);
    }
  });
});
