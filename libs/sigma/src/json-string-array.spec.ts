import { jsonStringArray } from './json-string-array';

describe('jsonStringArray', () => {
  it('is JSON.stringify for arrays of strings and nulls, escapes and surrogates included', () => {
    const pieces = [
      '',
      'root',
      '10.0.0.1',
      '2001:db8::1',
      'a"b',
      'back\\slash',
      'tab\there',
      'line\nbreak',
      '\u0000',
      'æøå',
      '😀',
      '\ud800',
      'x\udfffy',
      '\u007f',
      '\u2028',
    ];
    let state = 11;
    const next = (n: number) => {
      state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
      return state % n;
    };
    expect(jsonStringArray([])).toBe('[]');
    for (let i = 0; i < 5_000; i++) {
      const values = Array.from({ length: 1 + next(4) }, () =>
        next(8) === 0 ? null : Array.from({ length: 1 + next(3) }, () => pieces[next(pieces.length)]).join(''),
      );
      expect(jsonStringArray(values)).toBe(JSON.stringify(values));
    }
  });
});
