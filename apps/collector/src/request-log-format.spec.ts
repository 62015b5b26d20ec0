import { chooseLogFormat, isPlainTextBody, requestDataset, requestLogFormat, requestReferenceTime, requestTimeZone } from './request-log-format';

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
    expect(() => chooseLogFormat(value, 'sshd')).toThrow(
      expect.objectContaining({ status: 400, response: expect.objectContaining({ error: 'invalid_format', field: 'X-Log-Format' }) }),
    );
  });

  it('ignores a stored format it does not know (a key written by a newer collector)', () => {
    expect(chooseLogFormat(undefined, 'evtx-xml')).toBe('auto');
  });
});

describe('requestLogFormat', () => {
  it("takes the header over the key's format", () => {
    expect(requestLogFormat({ 'x-log-format': 'syslog' }, { memberId: '0751', format: 'nginx-access' })).toBe('syslog');
    expect(requestLogFormat({}, { memberId: '0751', format: 'nginx-access' })).toBe('nginx-access');
    expect(requestLogFormat({}, { memberId: '0751' })).toBe('auto');
  });
});

describe('requestDataset', () => {
  it("takes the header first, then the key's dataset, else none", () => {
    expect(requestDataset({ 'x-log-dataset': ' fortinet.firewall ' }, { memberId: '0751', dataset: 'system.auth' })).toBe('fortinet.firewall');
    expect(requestDataset({}, { memberId: '0751', dataset: 'system.auth' })).toBe('system.auth');
    expect(requestDataset({}, { memberId: '0751' })).toBeUndefined();
    expect(requestDataset({}, undefined)).toBeUndefined();
  });

  it.each([['Fortinet.Firewall'], ['firewall'], [''], ['fortinet.'], ['fortinet firewall'], [['a.b', 'c.d']]])(
    'refuses the header %j with 400 invalid_dataset naming the header',
    (value) => {
      expect(() => requestDataset({ 'x-log-dataset': value }, { memberId: '0751', dataset: 'system.auth' })).toThrow(
        expect.objectContaining({ status: 400, response: expect.objectContaining({ error: 'invalid_dataset', field: 'X-Log-Dataset' }) }),
      );
    },
  );

  it('ignores a stored dataset this collector would refuse (edited in Redis by hand)', () => {
    expect(requestDataset({}, { memberId: '0751', dataset: 'Not A Dataset' })).toBeUndefined();
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
  it("takes the header first, then the key's zone, then the member's, then the collector's", () => {
    const declared = { key: 'America/New_York', member: 'Asia/Tokyo' };
    expect(requestTimeZone({ 'x-log-time-zone': ' Europe/London ' }, declared, 'Europe/Copenhagen')).toBe('Europe/London');
    expect(requestTimeZone({}, declared, 'Europe/Copenhagen')).toBe('America/New_York');
    expect(requestTimeZone({}, { member: 'Asia/Tokyo' }, 'Europe/Copenhagen')).toBe('Asia/Tokyo');
    expect(requestTimeZone({}, {}, 'Europe/Copenhagen')).toBe('Europe/Copenhagen');
  });

  it("passes over a key's zone this runtime does not know, to the member's", () => {
    expect(requestTimeZone({}, { key: 'Mars/Olympus_Mons', member: 'Asia/Tokyo' }, 'UTC')).toBe('Asia/Tokyo');
  });

  it.each([['Mars/Olympus_Mons'], [''], [['UTC', 'UTC']]])('refuses the header %j with 400 invalid_time_zone naming the header', (value) => {
    expect(() => requestTimeZone({ 'x-log-time-zone': value }, {}, 'UTC')).toThrow(
      expect.objectContaining({ status: 400, response: expect.objectContaining({ error: 'invalid_time_zone', field: 'X-Log-Time-Zone' }) }),
    );
  });
});
