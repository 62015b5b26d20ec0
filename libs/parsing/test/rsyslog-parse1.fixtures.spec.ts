import { readdirSync } from 'node:fs';
import type { InboundEvent } from '@soc/contracts';
import { parseSyslogLine } from '@soc/parsing';
import { readSharedLines, schemaIssues, sharedDataPath } from './shared-data';

/**
 * rsyslog's parser test suite: each case is a raw line and the expected rendering through the
 * template in parse1.conf, `%PRI%,%syslogfacility-text%,%syslogseverity-text%,%timestamp%,
 * %hostname%,%programname%,%syslogtag%,%msg%`. We render our event with the same template and
 * compare the strings.
 */

const directory = ['syslog-cef-fixtures', 'rsyslog-parse1'];
const now = new Date('2025-11-28T12:00:00Z');
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface Parse1Case {
  file: string;
  lineNumber: number;
  input: string;
  expected: string;
}

/** The rsyslog test driver turns `\ooo` into the byte; the expected output shows TAB as `#011`. */
function decodeInput(raw: string): string {
  return raw.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8))).replace(/\\$/, '');
}

function readCases(): Parse1Case[] {
  const files = readdirSync(sharedDataPath(...directory)).filter((name) => name.endsWith('.parse1'));
  const cases: Parse1Case[] = [];
  for (const file of files.sort()) {
    const lines = readSharedLines(...directory, file);
    let input: { text: string; lineNumber: number } | undefined;
    lines.forEach((line, index) => {
      if (line.startsWith('#') || line.length === 0) return;
      if (input === undefined) {
        input = { text: line, lineNumber: index + 1 };
      } else {
        cases.push({ file, lineNumber: input.lineNumber, input: decodeInput(input.text), expected: line.replace(/#011/g, '\t') });
        input = undefined;
      }
    });
  }
  return cases;
}

/** `%timestamp%`: RFC 3164 style, in the offset the sender wrote (UTC when it wrote none). */
function renderTimestamp(event: InboundEvent, input: string): string {
  const offset = /^<\d+>1 \S+?([+-])(\d{2}):(\d{2}) /.exec(input);
  const offsetMinutes = offset === null ? 0 : (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]));
  const local = new Date(Date.parse(event['@timestamp'] as string) + offsetMinutes * 60_000);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${months[local.getUTCMonth()]} ${String(local.getUTCDate()).padStart(2, ' ')} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
}

/** The rendered line, in the variants rsyslog may have produced (tag with or without colon). */
function renderTemplate(event: InboundEvent, input: string): string[] {
  const syslog = (event.log as { syslog: Record<string, unknown> }).syslog;
  const facility = (syslog.facility as { name: string }).name;
  const severity = (syslog.severity as { name: string }).name;
  const isRfc5424 = syslog.version === '1';
  const appName = (syslog.appname as string | undefined) ?? '';
  const procId = syslog.procid as string | undefined;
  const tag = appName + (procId === undefined ? '' : `[${procId}]`);
  const message = event.message ?? '';
  // rsyslog 8 (2018) left %programname% empty for RFC 5424 and kept the space before a 3164 MSG.
  const programName = isRfc5424 ? '' : appName;
  const renderedMessage = isRfc5424 || tag.length === 0 ? message : message.length > 0 ? ` ${message}` : '';
  const head = `${syslog.priority},${facility},${severity},${renderTimestamp(event, input)},${event.host?.hostname ?? '~H'},${programName}`;
  const variants = [`${head},${tag},${renderedMessage}`];
  if (!isRfc5424 && tag.length > 0) variants.push(`${head},${tag}:,${renderedMessage}`);
  if (!isRfc5424 && tag.length === 0 && message.length > 0) variants.push(`${head},,${renderedMessage}`);
  return variants;
}

/**
 * Cases where we deliberately differ from rsyslog. `AUG 10 22:18:24 2009  netips-warden2-p
 * [audit] ...`: rsyslog takes the trailing year for the hostname; we read it as the year, so the
 * host is `netips-warden2-p` and the tag `audit`.
 */
const deliberateDeviations = new Set(['upcase-date.parse1']);

describe('rsyslog parse1 fixtures', () => {
  const cases = readCases();

  it('finds the test cases', () => {
    expect(cases.length).toBe(49);
  });

  it.each(cases.filter((fixture) => !deliberateDeviations.has(fixture.file)).map((fixture) => [`${fixture.file}:${fixture.lineNumber}`, fixture]))(
    '%s renders as rsyslog expects',
    (_name, fixture) => {
      const result = parseSyslogLine(fixture.input, { now });
      if (!result.ok) throw new Error(result.reason);
      expect(schemaIssues(result.event)).toBeUndefined();
      expect(renderTemplate(result.event, fixture.input)).toContain(fixture.expected);
    },
  );

  it('reads a year after the time as the year, not as the hostname (upcase-date.parse1)', () => {
    const fixture = cases.find((candidate) => candidate.file === 'upcase-date.parse1') as Parse1Case;
    const result = parseSyslogLine(fixture.input, { now });
    if (!result.ok) throw new Error(result.reason);
    expect(result.event['@timestamp']).toBe('2009-08-10T22:18:24.000Z');
    expect(result.event.host?.hostname).toBe('netips-warden2-p');
    expect(result.event.process?.name).toBe('audit');
    expect(result.event.message).toBe('user=[*SMS] src=192.168.11.11 iface=5 access=9 Update State Reset');
  });
});
