import { isScanCursor } from './scan-cursor';

describe(isScanCursor.name, () => {
  it.each(['0', '1', '4096', '18446744073709551615'])('accepts %s, a cursor Redis can hand out', (cursor) => {
    expect(isScanCursor(cursor)).toBe(true);
  });

  it.each([
    ['2^64, one past the largest', '18446744073709551616'],
    ['a number Redis cannot parse', '99999999999999999999999'],
    ['a sign', '-1'],
    ['leading zeros', '007'],
    ['an exponent', '1e3'],
    ['spaces', ' 1'],
    ['nothing', ''],
  ])('refuses %s', (_name, cursor) => {
    expect(isScanCursor(cursor)).toBe(false);
  });
});
