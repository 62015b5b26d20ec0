import { eventTimeMs } from './event-time';

/** A small seeded generator, so a failure names an input that can be replayed. */
function seeded(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % n;
  };
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

describe('eventTimeMs', () => {
  it('equals Date.parse on the form our parsers write, across years 0000-9999 and fractions of 0 to 12 digits', () => {
    const next = seeded(7);
    for (let i = 0; i < 50_000; i++) {
      const fraction = next(13); // 0 = none, 1..12 digits
      const text =
        `${pad(next(10_000), 4)}-${pad(1 + next(12), 2)}-${pad(1 + next(31), 2)}T` +
        `${pad(next(24), 2)}:${pad(next(60), 2)}:${pad(next(60), 2)}` +
        (fraction === 0 ? '' : `.${Array.from({ length: fraction }, () => next(10)).join('')}`) +
        'Z';
      expect([text, eventTimeMs(text)]).toEqual([text, Date.parse(text)]);
    }
  });

  it('equals Date.parse on what is not that form, or is out of range', () => {
    const odd = [
      '',
      'not a time',
      '2026-01-05T08:00:00.Z',
      '2026-01-05T08:00:00+01:00',
      '2026-01-05T08:00:00.123+02:00',
      '2026-01-05 08:00:00Z',
      '2026-01-05T24:00:00Z',
      '2026-01-05T24:00:01Z',
      '2026-01-05T23:60:00Z',
      '2026-01-05T23:59:60Z',
      '2026-13-05T08:00:00Z',
      '2026-00-05T08:00:00Z',
      '2026-01-00T08:00:00Z',
      '2026-01-32T08:00:00Z',
      '2026-02-29T08:00:00Z',
      '2026-04-31T00:00:00Z',
      '+012026-01-05T08:00:00Z',
      '2026-1-05T08:00:00Z',
      '2026-01-05T08:00:00.12a4Z',
      '2026-01-05T08:00:00.0325694749Z',
      '2026-01-05T08:00:0xZ',
      '2026-01-05',
      '2026-01-05T08:00Z',
      'Mon, 05 Jan 2026 08:00:00 GMT',
    ];
    for (const text of odd) expect([text, eventTimeMs(text)]).toEqual([text, Date.parse(text)]);
  });
});
