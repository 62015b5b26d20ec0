import { chooseLogFormat, isPlainTextBody, requestReferenceTime, requestTimeZone } from './request-log-format';

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

describe('requestReferenceTime', () => {
  const arrival = new Date('2026-12-02T12:00:00Z');

  it('takes X-Log-Reference-Time first, then the Date header, then arrival', () => {
    const date = 'Sat, 31 Dec 2005 23:00:00 GMT';
    expect(requestReferenceTime({ 'x-log-reference-time': '2005-06-01T00:00:00+02:00', date }, arrival).toISOString()).toBe('2005-05-31T22:00:00.000Z');
    expect(requestReferenceTime({ date }, arrival).toISOString()).toBe('2005-12-31T23:00:00.000Z');
    expect(requestReferenceTime({}, arrival)).toBe(arrival);
  });

  it('ignores a Date header it cannot read', () => {
    expect(requestReferenceTime({ date: 'yesterday' }, arrival)).toBe(arrival);
  });

  it.each([['2005-06-01'], ['2005-06-01T00:00:00'], ['2005-13-01T00:00:00Z'], ['last year'], [['2005-06-01T00:00:00Z', '2006-06-01T00:00:00Z']]])(
    'refuses X-Log-Reference-Time %j with 400 invalid_reference_time naming the header',
    (value) => {
      expect(() => requestReferenceTime({ 'x-log-reference-time': value }, arrival)).toThrow(
        expect.objectContaining({ status: 400, response: expect.objectContaining({ error: 'invalid_reference_time', field: 'X-Log-Reference-Time' }) }),
      );
    },
  );
});

describe('requestTimeZone', () => {
  it('takes the header first, then the member\'s zone, then the collector\'s', () => {
    expect(requestTimeZone({ 'x-log-time-zone': ' Asia/Tokyo ' }, 'America/New_York', 'Europe/Copenhagen')).toBe('Asia/Tokyo');
    expect(requestTimeZone({}, 'America/New_York', 'Europe/Copenhagen')).toBe('America/New_York');
    expect(requestTimeZone({}, undefined, 'Europe/Copenhagen')).toBe('Europe/Copenhagen');
  });

  it.each([['Mars/Olympus_Mons'], [''], [['UTC', 'UTC']]])('refuses the header %j with 400 invalid_time_zone naming the header', (value) => {
    expect(() => requestTimeZone({ 'x-log-time-zone': value }, undefined, 'UTC')).toThrow(
      expect.objectContaining({ status: 400, response: expect.objectContaining({ error: 'invalid_time_zone', field: 'X-Log-Time-Zone' }) }),
    );
  });
});
