import { parseCsvLine } from './csv-line';

describe('parseCsvLine', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['"a","b,c",d', ['a', 'b,c', 'd']],
    ['"say ""hi""",x', ['say "hi"', 'x']],
    ['""', ['']],
    ['a,,', ['a', '', '']],
    ['', ['']],
    ['"a",', ['a', '']],
    ['ab"c,d', ['ab"c', 'd']],
    ['"32-bit,elf,mips,Mozi","https://urlhaus.abuse.ch/url/3520667/"', ['32-bit,elf,mips,Mozi', 'https://urlhaus.abuse.ch/url/3520667/']],
  ])('splits %j', (line, fields) => {
    expect(parseCsvLine(line)).toEqual({ ok: true, fields });
  });

  it('rejects an unterminated quoted field', () => {
    expect(parseCsvLine('a,"b,c')).toEqual({ ok: false, reason: 'unterminated quoted field starting at column 3' });
  });

  it('rejects text after a closing quote', () => {
    expect(parseCsvLine('"a"b,c')).toEqual({ ok: false, reason: "unexpected 'b' after closing quote at column 4" });
  });
});
