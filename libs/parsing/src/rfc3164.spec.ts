import { parseRfc3164 } from './rfc3164';
import type { SyslogMessage } from './syslog-message';

const now = new Date('2025-06-15T12:00:00Z');

function parseOk(line: string, options: { now?: Date; timeZone?: string } = {}): SyslogMessage {
  const result = parseRfc3164(line, { now: options.now ?? now, timeZone: options.timeZone ?? 'UTC' });
  if (!result.ok) throw new Error(result.reason);
  return result.message;
}

/** Like toMatchObject, but `undefined` means "absent". */
function expectFields(message: SyslogMessage, fields: Partial<SyslogMessage>): void {
  const actual = Object.fromEntries(Object.keys(fields).map((key) => [key, message[key as keyof SyslogMessage]]));
  expect(actual).toEqual(fields);
}

function reason(line: string): string {
  const result = parseRfc3164(line, { now, timeZone: 'UTC' });
  return result.ok ? 'accepted' : result.reason;
}

describe(parseRfc3164.name, () => {
  it('parses the RFC 3164 §5.4 example', () => {
    expect(parseOk("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8")).toEqual({
      format: 'rfc3164',
      priority: 34,
      priorityAssumed: false,
      timestamp: '2024-10-11T22:14:15.000Z',
      assumedTimeZone: 'UTC',
      hostname: 'mymachine',
      appName: 'su',
      message: "'su root' failed for lonvick on /dev/pts/8",
    });
  });

  it('reads TAG[pid]: and a tag without pid or colon', () => {
    expectFields(parseOk('<13>Jun  1 10:00:00 host sshd[123]: Accepted x'), { appName: 'sshd', procId: '123', message: 'Accepted x' });
    expectFields(parseOk('<13>Jun  1 10:00:00 host tag This msg'), { appName: 'tag', message: 'This msg' });
    expectFields(parseOk('<13>Jun  1 10:00:00 host sshd(pam_unix)[12750]: session opened'), { appName: 'sshd(pam_unix)', procId: '12750' });
  });

  it('assumes user.notice without PRI', () => {
    expectFields(parseOk('Feb 18 16:01:59 serverX -- MARK --'), {
      priority: 13,
      priorityAssumed: true,
      hostname: 'serverX',
      appName: '--',
      message: 'MARK --',
    });
  });

  it('recognises a missing hostname when the first word is already the tag', () => {
    expectFields(parseOk('<13>Nov 23 21:50:19 sshd[8148]: Disconnecting'), { hostname: undefined, appName: 'sshd', procId: '8148' });
    expectFields(parseOk('Mar  3 00:17:22 [sshd]: User root from 1.2.3.4'), { hostname: undefined, appName: 'sshd', message: 'User root from 1.2.3.4' });
    expectFields(parseOk('<132>Nov 13 13:17:41 CEF:0|a|b|c|d|e|1|'), { hostname: undefined, appName: undefined, message: 'CEF:0|a|b|c|d|e|1|' });
  });

  it('ends a tag at the colon before CEF (`ASM:CEF:0|...`)', () => {
    expectFields(parseOk('Sep 10 16:03:01 172.30.0.20 ASM:CEF:0|F5|ASM|11|x|y|8|a=b'), {
      hostname: '172.30.0.20',
      appName: 'ASM',
      message: 'CEF:0|F5|ASM|11|x|y|8|a=b',
    });
  });

  it('accepts ISO-8601 timestamps with and without offset', () => {
    expect(parseOk('<14>2010-08-30T23:00:05Z X4711 tag: m').timestamp).toBe('2010-08-30T23:00:05.000Z');
    expect(parseOk('2015-04-16T18:02:50.321974+00:00 host sshd[2716]: m').timestamp).toBe('2015-04-16T18:02:50.321974Z');
    const local = parseOk('<14>2024-07-01T10:00:00 host tag: m', { timeZone: 'Europe/Copenhagen' });
    expect(local).toMatchObject({ timestamp: '2024-07-01T08:00:00.000Z', assumedTimeZone: 'Europe/Copenhagen' });
  });

  it('reads single-digit days with one or two spaces, upper-case months and a leading space', () => {
    for (const line of [
      '<38>Mar  7 19:06:53 example tag: m',
      '<38>Mar 7 19:06:53 example tag: m',
      '<38> Mar  7 19:06:53 example tag: m',
      '<38>MAR  7 19:06:53 example tag: m',
    ]) {
      expectFields(parseOk(line), { timestamp: '2025-03-07T19:06:53.000Z', hostname: 'example', appName: 'tag' });
    }
  });

  it('reads a year before or after the time, and a stray colon after the time', () => {
    expectFields(parseOk('<38>Mar 7 2008 19:06:53: example tag: m'), { timestamp: '2008-03-07T19:06:53.000Z', hostname: 'example' });
    expectFields(parseOk('<6>AUG 10 22:18:24 2009  host [audit] m'), { timestamp: '2009-08-10T22:18:24.000Z', hostname: 'host', appName: 'audit' });
  });

  it('takes the year from "now", rolling back over New Year and forward for a clock slightly ahead', () => {
    expect(parseOk('<13>Dec 31 23:59:59 h t: m', { now: new Date('2025-01-01T00:00:30Z') }).timestamp).toBe('2024-12-31T23:59:59.000Z');
    expect(parseOk('<13>Jan  1 00:00:05 h t: m', { now: new Date('2024-12-31T23:59:58Z') }).timestamp).toBe('2025-01-01T00:00:05.000Z');
    expect(parseOk('<13>Nov  5 10:00:00 h t: m', { now: new Date('2025-03-01T00:00:00Z') }).timestamp).toBe('2024-11-05T10:00:00.000Z');
    expect(parseOk('<13>Jun 16 11:00:00 h t: m').timestamp).toBe('2025-06-16T11:00:00.000Z');
    expect(parseOk('<13>Feb 29 10:00:00 h t: m', { now: new Date('2025-03-01T00:00:00Z') }).timestamp).toBe('2024-02-29T10:00:00.000Z');
  });

  it('reads year-less local time across a DST change in the configured zone', () => {
    expect(parseOk('<13>Mar 30 01:30:00 h t: m', { timeZone: 'Europe/Copenhagen' }).timestamp).toBe('2025-03-30T00:30:00.000Z');
    expect(parseOk('<13>Mar 30 03:30:00 h t: m', { timeZone: 'Europe/Copenhagen' }).timestamp).toBe('2025-03-30T01:30:00.000Z');
  });

  it('reads Cisco sequence numbers, unsynchronised-clock marks and milliseconds', () => {
    expectFields(parseOk('<189>123: *Mar  1 18:46:11.123: %SYS-5-CONFIG_I: Configured from console'), {
      sequence: 123,
      timestamp: '2025-03-01T18:46:11.123Z',
      hostname: undefined,
      appName: '%SYS-5-CONFIG_I',
      message: 'Configured from console',
    });
  });

  it('accepts a PRI without timestamp, keeping the rest as tag and message', () => {
    expectFields(parseOk("<34>su: 'su root' failed"), { timestamp: undefined, hostname: undefined, appName: 'su', message: "'su root' failed" });
  });

  it('keeps odd tags as rsyslog does (no pid brackets, commas, long names)', () => {
    expectFields(parseOk('<131>Oct  8 23:05:06 10.321.1.123 05",result_code=200,b'), {
      hostname: '10.321.1.123',
      appName: '05",result_code=200,b',
      message: '',
    });
    expectFields(parseOk('<13>Oct  8 23:05:06 h tag[not a pid]: m'), { appName: 'tag[not', procId: undefined });
  });

  it.each([
    ['garbage', 'YIKES!', 'not syslog: no PRI and no recognisable timestamp'],
    ['a malformed PRI', '<8 5>Oct 11 22:14:15 h t: m', "invalid PRI: expected '>' after the digits"],
    ['a month without day', '<13>Oct xx 22:14:15 h t: m', "invalid BSD timestamp 'Oct xx 22:14:15 h t: m': expected the day of the month"],
    ['a day glued to the time', '<13>Oct 111 22:14:15 h t: m', "invalid BSD timestamp 'Oct 111 22:14:15 h t: m': expected a space after the day"],
    ['a time without seconds', '<13>Oct 11 22:14 h t: m', "invalid BSD timestamp 'Oct 11 22:14 h t: m': expected hh:mm:ss"],
    ['text glued to the time', '<13>Oct 11 22:14:15h t: m', "invalid BSD timestamp 'Oct 11 22:14:15h t: m': unexpected character after the time"],
    ['31 April', '<13>Apr 31 22:14:15 h t: m', "invalid BSD timestamp 'Apr 31 22:14:15 h t: m': date or time out of range"],
    ['an invalid ISO timestamp', '<13>2024-13-01T00:00:00Z h t: m', "invalid RFC 3339 timestamp '2024-13-01T00:00:00Z': date or time out of range"],
  ])('rejects %s', (_case, line, expected) => {
    expect(reason(line)).toBe(expected);
  });
});
