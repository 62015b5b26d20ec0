import { compareStreamIds, trimThreshold } from './stream-trim';

const now = 1_800_000_000_000;
const hour = 3_600_000;

describe('trimThreshold', () => {
  it('is the oldest id some group may still need, or the retention edge if that is older', () => {
    const groups = [
      { name: 'correlator', lastDeliveredId: `${now - 10}-0` },
      { name: 'indexer', lastDeliveredId: `${now - 5}-3`, oldestPendingId: `${now - 2 * hour}-7` },
    ];
    // The indexer still holds an entry two hours old: nothing from it on may go.
    expect(trimThreshold(groups, ['correlator', 'indexer'], now, hour)).toBe(`${now - 2 * hour}-7`);
    // Everyone is up to date: only the retention keeps entries.
    const caughtUp = groups.map((g) => ({ name: g.name, lastDeliveredId: `${now - 1}-0` }));
    expect(trimThreshold(caughtUp, ['correlator', 'indexer'], now, hour)).toBe(`${now - hour}-0`);
    // No retention: up to just after the last entry both were given (it was acknowledged too).
    expect(trimThreshold(caughtUp, ['correlator', 'indexer'], now, 0)).toBe(`${now - 1}-1`);
  });

  it('trims nothing while an expected group has not been created (it will start at the first entry)', () => {
    expect(trimThreshold([{ name: 'correlator', lastDeliveredId: `${now}-0` }], ['correlator', 'indexer'], now, 0)).toBeUndefined();
  });

  it('trims nothing while a group has delivered nothing yet', () => {
    const groups = [
      { name: 'correlator', lastDeliveredId: `${now}-0` },
      { name: 'indexer', lastDeliveredId: '0-0' },
    ];
    expect(trimThreshold(groups, ['correlator', 'indexer'], now, 0)).toBeUndefined();
  });

  it('ignores groups nobody expects (an operator inspecting with redis-cli)', () => {
    const groups = [
      { name: 'correlator', lastDeliveredId: `${now}-0` },
      { name: 'indexer', lastDeliveredId: `${now}-0` },
      { name: 'someone-debugging', lastDeliveredId: '0-0' },
    ];
    expect(trimThreshold(groups, ['correlator', 'indexer'], now, 1000)).toBe(`${now - 1000}-0`);
  });
});

describe('compareStreamIds', () => {
  it('orders by milliseconds, then sequence, as numbers', () => {
    expect(compareStreamIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareStreamIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareStreamIds('10-10', '10-10')).toBe(0);
  });
});
