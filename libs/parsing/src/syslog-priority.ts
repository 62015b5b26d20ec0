import { isDigitCode } from './calendar';
import { parseFailure, type ParseFailure } from './parse-result';

/** Facility keywords as in syslog.conf(5) and rsyslog's `%syslogfacility-text%`. */
export const syslogFacilityNames = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'security',
  'console',
  'solaris-cron',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
] as const;

/** Severity keywords as in syslog.conf(5) and rsyslog's `%syslogseverity-text%`. */
export const syslogSeverityNames = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

/** RFC 3164 §4.3.3: a message without PRI is treated as user.notice. */
export const defaultPriority = 13;

export interface PriAt {
  value: number;
  end: number;
}

/** Reads `<PRIVAL>` at the start of a line. Undefined when the line has no PRI at all. */
export function parsePri(line: string): PriAt | ParseFailure | undefined {
  if (line.charCodeAt(0) !== 0x3c /* < */) return undefined;
  let cursor = 1;
  let value = 0;
  while (cursor < line.length && cursor <= 4 && isDigitCode(line.charCodeAt(cursor))) {
    value = value * 10 + (line.charCodeAt(cursor) - 48);
    cursor++;
  }
  const digits = cursor - 1;
  if (digits === 0) return parseFailure("invalid PRI: expected 1 to 3 digits after '<'");
  if (digits > 3) return parseFailure('invalid PRI: more than 3 digits');
  if (line.charCodeAt(cursor) !== 0x3e /* > */) return parseFailure("invalid PRI: expected '>' after the digits");
  if (value > 191) return parseFailure(`invalid PRI: ${value} is out of range 0..191`);
  return { value, end: cursor + 1 };
}

export interface SyslogPriorityFields {
  priority: number;
  facility: { code: number; name: string };
  severity: { code: number; name: string };
}

export function describePriority(priority: number): SyslogPriorityFields {
  const facility = priority >> 3;
  const severity = priority & 7;
  return {
    priority,
    facility: { code: facility, name: syslogFacilityNames[facility] },
    severity: { code: severity, name: syslogSeverityNames[severity] },
  };
}
