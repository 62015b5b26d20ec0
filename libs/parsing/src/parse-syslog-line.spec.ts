import { parseSyslogLine, type SyslogLineOptions } from './parse-syslog-line';

const now = new Date('2025-11-28T12:00:00Z');

function parseOk(line: string | Buffer, options: Partial<SyslogLineOptions> = {}) {
  const result = parseSyslogLine(line, { now, ...options });
  if (!result.ok) throw new Error(result.reason);
  return result.event;
}

describe(parseSyslogLine.name, () => {
  it('parses RFC 3164 and extracts the sshd message: the full ECS event', () => {
    const line = '<38>Mar 29 14:15:41 ip-10-77-20-248 sshd[2414]: Failed password for invalid user pi from 181.25.206.27 port 50378 ssh2';
    expect(parseOk(`${line}\r\n`)).toEqual({
      '@timestamp': '2025-03-29T14:15:41.000Z',
      event: {
        original: line,
        timezone: 'UTC',
        module: 'linux',
        dataset: 'linux.sshd',
        category: ['authentication'],
        type: ['start'],
        action: 'ssh_login',
        outcome: 'failure',
      },
      host: { hostname: 'ip-10-77-20-248' },
      process: { name: 'sshd', pid: 2414 },
      log: {
        syslog: {
          priority: 38,
          facility: { code: 4, name: 'auth' },
          severity: { code: 6, name: 'info' },
          hostname: 'ip-10-77-20-248',
          appname: 'sshd',
          procid: '2414',
        },
      },
      message: 'Failed password for invalid user pi from 181.25.206.27 port 50378 ssh2',
      source: { address: '181.25.206.27', ip: '181.25.206.27', port: 50378 },
      user: { name: 'pi' },
      ssh: { method: 'password' },
    });
  });

  it('parses RFC 5424 with structured data and extracts by APP-NAME', () => {
    const event = parseOk(
      '<38>1 2019-07-08T17:40:16.954167-04:00 hostname.example.com sshd 57915 - [timeQuality tzKnown="1"] Failed unknown for invalid user redmond from 192.0.2.1 port 59197 ssh2',
    );
    expect(event).toMatchObject({
      '@timestamp': '2019-07-08T21:40:16.954167Z',
      event: { action: 'ssh_login', outcome: 'failure' },
      source: { ip: '192.0.2.1' },
      log: { syslog: { version: '1', structured_data: { timeQuality: { tzKnown: '1' } } } },
    });
  });

  it('parses CEF inside syslog and bare CEF, the CEF time winning over the syslog header', () => {
    expect(parseOk('<132>Sep 19 08:26:10 example.com CEF:0|security|threatmanager|1.0|100|detected|10|src=10.0.0.1 rt=1500000000000')).toMatchObject({
      '@timestamp': '2017-07-14T02:40:00.000Z',
      host: { hostname: 'example.com' },
      source: { ip: '10.0.0.1' },
      event: { module: 'cef', severity: 10 },
      log: { syslog: { facility: { name: 'local0' }, severity: { name: 'warning' } } },
    });
    expect(parseOk('CEF:0|v|p|1|id|name|Low|suser=bob')).toMatchObject({
      event: { module: 'cef', severity: 3, original: 'CEF:0|v|p|1|id|name|Low|suser=bob' },
      user: { name: 'bob' },
    });
  });

  it('unwraps `message repeated N times` and records the count', () => {
    const event = parseOk('Mar 29 23:18:33 h sshd[6402]: message repeated 5 times: [ Failed password for root from 218.60.136.106 port 56338 ssh2]');
    expect(event).toMatchObject({ event: { action: 'ssh_login', outcome: 'failure' }, source: { ip: '218.60.136.106' }, log: { repeat_count: 5 } });
  });

  it("reads year-less time in the member's zone", () => {
    expect(parseOk('<13>Jul  1 12:00:00 h t: m', { timeZone: 'Europe/Copenhagen' })['@timestamp']).toBe('2025-07-01T10:00:00.000Z');
  });

  it('accepts a Buffer and replaces invalid UTF-8 instead of failing', () => {
    const bytes = Buffer.concat([Buffer.from('<13>Jul  1 12:00:00 h t: caf'), Buffer.from([0xe9, 0xff])]);
    expect(parseOk(bytes).message).toBe('caf\uFFFD\uFFFD');
  });

  it.each([
    ['an empty line', '\r\n', 'empty line'],
    ['garbage', 'hello world', 'not syslog: no PRI and no recognisable timestamp'],
    ['a broken CEF header inside syslog', '<13>Sep 19 08:26:10 h CEF:0|only|three', "CEF header has 2 of 7 '|'-terminated fields"],
  ])('rejects %s', (_case, line, reason) => {
    expect(parseSyslogLine(line, { now })).toEqual({ ok: false, reason });
  });

  it('rejects an invalid "now" and an unknown time zone', () => {
    expect(parseSyslogLine('<13>x', { now: new Date('invalid') })).toEqual({ ok: false, reason: 'options.now must be a valid Date' });
    expect(parseSyslogLine('<13>x', { now, timeZone: 'Mars/Base' })).toEqual({ ok: false, reason: "unknown time zone 'Mars/Base'" });
  });

  it('turns an unexpected exception into a reason instead of throwing', () => {
    const options = {
      get now(): Date {
        throw new Error('boom');
      },
    };
    expect(parseSyslogLine('<13>x', options)).toEqual({ ok: false, reason: 'internal parser error: boom' });
  });
});
