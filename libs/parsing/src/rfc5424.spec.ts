import { parseRfc5424, parseStructuredData } from './rfc5424';
import type { SyslogMessage } from './syslog-message';

function parseOk(line: string): SyslogMessage {
  const result = parseRfc5424(line);
  if (!result.ok) throw new Error(result.reason);
  return result.message;
}

function reason(line: string): string {
  const result = parseRfc5424(line);
  return result.ok ? 'accepted' : result.reason;
}

describe(parseRfc5424.name, () => {
  it('parses the RFC 5424 §6.5 example 1 with NILVALUE PROCID and STRUCTURED-DATA', () => {
    expect(parseOk("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF'su root' failed for lonvick on /dev/pts/8")).toEqual({
      format: 'rfc5424',
      priority: 34,
      priorityAssumed: false,
      version: 1,
      timestamp: '2003-10-11T22:14:15.003Z',
      hostname: 'mymachine.example.com',
      appName: 'su',
      procId: undefined,
      msgId: 'ID47',
      message: "'su root' failed for lonvick on /dev/pts/8",
    });
  });

  it('converts offsets to UTC and keeps microseconds digit for digit', () => {
    expect(parseOk("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.").timestamp).toBe(
      '2003-08-24T12:14:15.000003Z',
    );
    expect(parseOk('<13>1 2024-03-31T02:30:00.5+02:00 h a p m - x').timestamp).toBe('2024-03-31T00:30:00.500Z');
  });

  it('reads several SD-ELEMENTs with escaped quote, backslash and bracket', () => {
    const message = parseOk(
      '<165>1 2003-10-11T22:14:15.003Z host app - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][meta q="say \\"hi\\"" path="C:\\\\temp" br="[x\\]" odd="a\\b"] An application event',
    );
    expect(message.structuredData).toEqual({
      'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' },
      meta: { q: 'say "hi"', path: 'C:\\temp', br: '[x]', odd: 'a\\b' },
    });
    expect(message.message).toBe('An application event');
  });

  it('keeps an SD-ELEMENT without parameters and a repeated PARAM-NAME as an array', () => {
    expect(parseOk('<13>1 - - - - - [origin][meta ip="10.0.0.1" ip="10.0.0.2"]').structuredData).toEqual({
      origin: {},
      meta: { ip: ['10.0.0.1', '10.0.0.2'] },
    });
  });

  it('accepts an unescaped bracket inside a quoted value (seen from real senders)', () => {
    expect(parseOk('<38>1 2019-07-08T17:40:17Z h sshd 1 - [xxx@123 test="[brackets]"] m').structuredData).toEqual({
      'xxx@123': { test: '[brackets]' },
    });
  });

  it('treats every NILVALUE as an absent field, including the timestamp', () => {
    const message = parseOk('<14>1 - - - - - -');
    expect(message.timestamp).toBeUndefined();
    expect([message.hostname, message.appName, message.procId, message.msgId, message.structuredData]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(message.message).toBe('');
  });

  it('does not let an SD-ID named __proto__ reach the prototype', () => {
    const data = parseOk('<13>1 - - - - - [__proto__ polluted="yes"] m').structuredData as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['no PRI', '1 2003-10-11T22:14:15Z h a p m -', "RFC 5424 message must start with '<PRI>'"],
    ['PRI without digits', '<>1 - - - - - -', "invalid PRI: expected 1 to 3 digits after '<'"],
    ['PRI with four digits', '<1234>1 - - - - - -', 'invalid PRI: more than 3 digits'],
    ['PRI not closed', '<13 1 - - - - - -', "invalid PRI: expected '>' after the digits"],
    ['PRI above 191', '<192>1 - - - - - -', 'invalid PRI: 192 is out of range 0..191'],
    ['VERSION not a number', '<13>x - - - - - -', 'RFC 5424 VERSION must be 1 to 3 digits followed by SP'],
    ['VERSION 2', '<13>2 - - - - - -', 'unsupported syslog VERSION 2'],
    ['timestamp without date', '<13>1 10:00:00Z h a p m -', "invalid RFC 3339 timestamp '10:00:00Z': expected YYYY-MM-DD"],
    ['lower-case t', '<13>1 2003-10-11t22:14:15Z h a p m -', "invalid RFC 3339 timestamp '2003-10-11t22:14:15Z': expected 'T' between date and time"],
    ['time without seconds', '<13>1 2003-10-11T22:14Z h a p m -', "invalid RFC 3339 timestamp '2003-10-11T22:14Z': expected hh:mm:ss"],
    ['30 February', '<13>1 2003-02-30T22:14:15Z h a p m -', "invalid RFC 3339 timestamp '2003-02-30T22:14:15Z': date or time out of range"],
    ['empty fraction', '<13>1 2003-10-11T22:14:15.Z h a p m -', "invalid RFC 3339 timestamp '2003-10-11T22:14:15.Z': no digits after '.'"],
    [
      'ten fraction digits',
      '<13>1 2003-10-11T22:14:15.1234567890Z h a p m -',
      "invalid RFC 3339 timestamp '2003-10-11T22:14:15.1234567890Z': more than 9 fraction digits",
    ],
    ['offset without colon', '<13>1 2003-10-11T22:14:15+0200 h a p m -', "invalid RFC 3339 timestamp '2003-10-11T22:14:15+0200': offset must be ±hh:mm"],
    ['offset hours 24', '<13>1 2003-10-11T22:14:15+24:00 h a p m -', "invalid RFC 3339 timestamp '2003-10-11T22:14:15+24:00': invalid offset"],
    ['no offset', '<13>1 2003-10-11T22:14:15 h a p m -', "invalid RFC 3339 timestamp '2003-10-11T22:14:15': missing offset (Z or ±hh:mm)"],
    [
      'text glued to the timestamp',
      '<13>1 2003-10-11T22:14:15Zh a p m -',
      "invalid RFC 3339 timestamp '2003-10-11T22:14:15Zh': unexpected character after the timestamp",
    ],
    ['year 10000 in UTC', '<13>1 9999-12-31T23:59:59-01:00 h a p m -', "invalid RFC 3339 timestamp '9999-12-31T23:59:59-01:00': outside the years 0001..9999"],
    ['nothing after the timestamp', '<13>1 2003-10-11T22:14:15Z', 'message ends after TIMESTAMP'],
    ['header cut short', '<13>1 - host app', 'message ends inside the APP-NAME field'],
    ['empty HOSTNAME', '<13>1 -  app p m -', 'HOSTNAME is empty (two consecutive spaces at offset 8)'],
    ['APP-NAME of 49 characters', `<13>1 - h ${'a'.repeat(49)} p m -`, 'APP-NAME is longer than 48 characters'],
    ['non-ASCII HOSTNAME', '<13>1 - hø a p m -', 'HOSTNAME contains a character outside printable US-ASCII at offset 9'],
    ['SD not bracketed', '<13>1 - h a p m x', "STRUCTURED-DATA must be '-' or start with '[' (found 'x')"],
    ['empty SD-ID', '<13>1 - h a p m []', 'SD-ID is empty at offset 17'],
    ['SD-ID of 33 characters', `<13>1 - h a p m [${'i'.repeat(33)}]`, 'SD-ID is longer than 32 characters'],
    ['empty PARAM-NAME', '<13>1 - h a p m [id ="x"]', 'PARAM-NAME is empty at offset 20'],
    ['PARAM-NAME without =', '<13>1 - h a p m [id name"x"]', "expected '=' after PARAM-NAME 'name'"],
    ['unquoted value', '<13>1 - h a p m [id name=x]', "expected '\"' to open the value of PARAM-NAME 'name'"],
    ['unterminated value', '<13>1 - h a p m [id name="x] msg', 'unterminated PARAM-VALUE starting at offset 25'],
    ['unclosed SD-ELEMENT', '<13>1 - h a p m [id name="x"', "expected ']' or SP in SD-ELEMENT 'id' at offset 28"],
    ['no SP before MSG', '<13>1 - h a p m -msg', 'expected SP after STRUCTURED-DATA at offset 17'],
  ])('rejects %s', (_case, line, expected) => {
    expect(reason(line)).toBe(expected);
  });
});

describe(parseStructuredData.name, () => {
  it('reports where STRUCTURED-DATA ends', () => {
    expect(parseStructuredData('[a b="c"] rest', 0)).toEqual({ data: { a: { b: 'c' } }, end: 9 });
  });
});
