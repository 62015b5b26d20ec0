import { cellColumns, cellRow } from './cell-rows';
import { toCsv } from './csv';

describe('toCsv', () => {
  it('writes a header and quotes fields holding separators, quotes or line breaks', () => {
    expect(
      toCsv(
        ['a', 'b', 'c'],
        [
          { a: 'Høje-Taastrup, Kommune', b: 'say "hi"', c: null },
          { a: 1, b: true },
        ],
      ),
    ).toBe('a,b,c\r\n"Høje-Taastrup, Kommune","say ""hi""",\r\n1,true,\r\n');
  });

  it('flattens a withheld cell to its bucket, group and reason only', () => {
    const csv = toCsv(cellColumns(['x']), [cellRow({ bucket: '2026-03-02', group: '1081', suppressed: true, reason: 'r' })]);
    expect(csv.split('\r\n')[1]).toBe('2026-03-02,1081,true,r,,,,,,,,,,,,,');
  });
});
