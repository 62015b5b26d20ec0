import { parseCef, parseCefExtension, type CefRecord } from './cef';

function parseOk(text: string): CefRecord {
  const result = parseCef(text);
  if (!result.ok) throw new Error(result.reason);
  return result.record;
}

describe(parseCef.name, () => {
  it('reads the seven header fields and the extension', () => {
    expect(parseOk('CEF:0|security|threatmanager|1.0|100|worm successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232')).toEqual({
      version: 0,
      deviceVendor: 'security',
      deviceProduct: 'threatmanager',
      deviceVersion: '1.0',
      deviceEventClassId: '100',
      name: 'worm successfully stopped',
      severity: '10',
      extensions: { src: '10.0.0.1', dst: '2.1.2.2', spt: '1232' },
    });
  });

  it('unescapes \\| and \\\\ in the header and keeps other backslashes', () => {
    const record = parseOk('CEF:0|vendor\\|x|C:\\\\dir|1\\n|id|a \\| b \\\\ c|5|');
    expect([record.deviceVendor, record.deviceProduct, record.deviceVersion, record.name]).toEqual(['vendor|x', 'C:\\dir', '1\\n', 'a | b \\ c']);
  });

  it('accepts a message without extension', () => {
    expect(parseOk('CEF:0|v|p|1|id|name|Low|').extensions).toEqual({});
  });

  it.each([
    ['not CEF', 'LEEF:1.0|x', "CEF message must start with 'CEF:'"],
    ['a truncated header', 'CEF:0|vendor|product|1.0|100|name', "CEF header has 5 of 7 '|'-terminated fields"],
    ['an escaped seventh pipe', 'CEF:0|v|p|1|id|name|5\\|', "CEF header has 6 of 7 '|'-terminated fields"],
    ['a version that is not a number', 'CEF:x|v|p|1|id|name|5|', "CEF version 'x' is not a number"],
  ])('rejects %s', (_case, text, reason) => {
    expect(parseCef(text)).toEqual({ ok: false, reason });
  });
});

describe(parseCefExtension.name, () => {
  it('lets values contain spaces and runs each value to the next key', () => {
    expect(parseCefExtension('act=blocked a | dst=1.1.1.1 msg=Aug 14 sshd[1]: x')).toEqual({ act: 'blocked a |', dst: '1.1.1.1', msg: 'Aug 14 sshd[1]: x' });
  });

  it('unescapes \\=, \\\\, \\n and \\r in values', () => {
    expect(parseCefExtension('request=/a?b\\=1 path=C:\\\\x msg=line1\\nline2\\rend')).toEqual({ request: '/a?b=1', path: 'C:\\x', msg: 'line1\nline2\rend' });
  });

  it('ends a value at an unescaped ` key=` and drops empty values', () => {
    expect(parseCefExtension('msg=PAM failure; logname= uid=0 src= suser=root')).toEqual({ msg: 'PAM failure;', uid: '0', suser: 'root' });
  });

  it('keeps an unescaped = inside a value when no key precedes it', () => {
    expect(parseCefExtension('request=/search?q=1&r=2 cs1=x')).toEqual({ request: '/search?q=1&r=2', cs1: 'x' });
  });

  it('skips leading spaces and text before the first key', () => {
    expect(parseCefExtension('  eventId=31 msg=Started')).toEqual({ eventId: '31', msg: 'Started' });
  });

  it('reads a long extension in linear time', () => {
    const long = `msg=${'word '.repeat(200_000)}end=1`;
    const started = Date.now();
    expect(parseCefExtension(long).end).toBe('1');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
