import { csvText } from './chart-csv';

describe('csvText', () => {
  it('writes RFC 4180 CSV under the given columns, header first, CRLF line ends, empty fields for what a row lacks', () => {
    expect(
      csvText({
        columns: ['bucket', 'suppressed', 'reason', 'median'],
        rows: [
          { bucket: '2026-10-01', suppressed: false, median: 12.5 },
          { bucket: '2026-10-02', suppressed: true, reason: 'fewer than 5 municipalities or withheld to protect such a cell' },
        ],
      }),
    ).toBe('bucket,suppressed,reason,median\r\n2026-10-01,false,,12.5\r\n2026-10-02,true,fewer than 5 municipalities or withheld to protect such a cell,\r\n');
  });

  it('quotes a field holding a comma, a quote or a line break, doubling inner quotes', () => {
    expect(csvText({ columns: ['name'], rows: [{ name: 'a,b' }, { name: 'say "hi"' }, { name: 'two\nlines' }, { name: null }] })).toBe(
      'name\r\n"a,b"\r\n"say ""hi"""\r\n"two\nlines"\r\n\r\n',
    );
  });
});
