import { attemptCells } from './attempt-statistics';
import { publishCell } from './publication';

const cellOf = (municipalities: number) =>
  attemptCells(
    Array.from({ length: municipalities }, (_, i) => ({ memberId: `m${i}`, day: '2026-03-02', attempts: 300, byCategory: {} })),
    { threshold: 200, granularity: 'day', categories: [] },
  )[0];

describe('publishCell', () => {
  it('withholds every figure of a cell with fewer municipalities than the minimum', () => {
    expect(publishCell(cellOf(4), 5)).toEqual({ bucket: '2026-03-02', group: 'all', suppressed: true, reason: 'fewer than 5 municipalities' });
  });

  it('publishes a cell with enough municipalities unchanged', () => {
    expect(publishCell(cellOf(5), 5)).toEqual({ ...cellOf(5), suppressed: false });
  });
});
