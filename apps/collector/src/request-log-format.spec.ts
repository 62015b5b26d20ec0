import { chooseLogFormat, isPlainTextBody } from './request-log-format';

describe('chooseLogFormat', () => {
  it('takes the header first, then the key, then auto', () => {
    expect(chooseLogFormat('sshd', 'windows-json')).toBe('sshd');
    expect(chooseLogFormat(undefined, 'windows-json')).toBe('windows-json');
    expect(chooseLogFormat(undefined, undefined)).toBe('auto');
  });

  it('reads the header in any case and with spaces around it', () => {
    expect(chooseLogFormat(' Apache-Access ', undefined)).toBe('apache-access');
  });

  it.each([['fortigate'], [''], ['auto,ecs'], [['sshd', 'ecs']]])('refuses the header %j with 400 invalid_format naming the header', (value) => {
    expect(() => chooseLogFormat(value, 'sshd')).toThrow(expect.objectContaining({ status: 400, response: expect.objectContaining({ error: 'invalid_format', field: 'X-Log-Format' }) }));
  });

  it('ignores a stored format it does not know (a key written by a newer collector)', () => {
    expect(chooseLogFormat(undefined, 'evtx-xml')).toBe('auto');
  });
});

describe('isPlainTextBody', () => {
  it.each([
    ['text/plain', true],
    ['text/plain; charset=utf-8', true],
    ['TEXT/PLAIN', true],
    ['application/x-ndjson', false],
    ['application/json', false],
    ['text/plainish', false],
  ])('%s → %s', (type, expected) => {
    expect(isPlainTextBody({ 'content-type': type })).toBe(expected);
  });
});
