import { readFileSync } from 'node:fs';
import type { InboundEvent } from '@soc/contracts';
import { parseSyslogLine, SyslogFramer } from '@soc/parsing';
import { readSharedLines, schemaIssues, sharedDataPath } from './shared-data';

/**
 * simple-syslog's sample messages. Their expected values live in Java test code we did not copy,
 * so the values checked here are the ones SOURCE.md documents for each file.
 */

const now = new Date('2025-11-28T12:00:00Z');
const logs5424 = ['syslog-cef-fixtures', 'simple-syslog', 'logs', '5424'];
const logs3164 = ['syslog-cef-fixtures', 'simple-syslog', 'logs', '3164'];
const twoElements = {
  'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' },
  'exampleSDID@32480': { iut: '4', eventSource: 'Other Application', eventID: '2022' },
};

function parseOk(line: string): InboundEvent {
  const result = parseSyslogLine(line, { now });
  if (!result.ok) throw new Error(`${result.reason}: ${line}`);
  expect(schemaIssues(result.event)).toBeUndefined();
  return result.event;
}

function syslogOf(event: InboundEvent): Record<string, unknown> {
  return (event.log as { syslog: Record<string, unknown> }).syslog;
}

describe('simple-syslog RFC 5424 samples', () => {
  it.each(['log.txt', 'log_all.txt', 'log_with_bom.txt'])('%s: header, both SD-ELEMENTs and the message', (file) => {
    const [line] = readSharedLines(...logs5424, file);
    const event = parseOk(line);
    expect(event['@timestamp']).toBe('2014-06-20T09:14:07.000Z');
    expect(event.host?.hostname).toBe('loggregator');
    expect(event.process?.name).toBe('d0602076-b14a-4c55-852a-981e7afeed38');
    expect(syslogOf(event)).toMatchObject({
      priority: 14,
      facility: { code: 1, name: 'user' },
      severity: { code: 6, name: 'info' },
      procid: 'DEA',
      structured_data: twoElements,
    });
    expect(syslogOf(event).msgid).toBe(file === 'log.txt' ? undefined : 'MSG-01');
    expect(event.message).toBe('Removing instance');
  });

  it('log_nils.txt: NILVALUE MSGID and STRUCTURED-DATA are absent fields', () => {
    const event = parseOk(readSharedLines(...logs5424, 'log_nils.txt')[0]);
    expect(syslogOf(event).msgid).toBeUndefined();
    expect(syslogOf(event).structured_data).toBeUndefined();
    expect(event.message).toBe('Removing instance');
  });

  it('log_mix.txt: all three messages', () => {
    const events = readSharedLines(...logs5424, 'log_mix.txt').map(parseOk);
    expect(events).toHaveLength(3);
    expect(events.map((event) => syslogOf(event).msgid)).toEqual([undefined, 'MSG-01', 'MSG-01']);
  });

  it('log_utf8_umlauts.txt: strips the BOM and keeps UTF-8', () => {
    const event = parseOk(readSharedLines(...logs5424, 'log_utf8_umlauts.txt')[0]);
    expect(event.message).toBe('Message with some Umlauts äöü');
  });

  it('log_atna.txt: IHE ATNA audit message with an XML payload', () => {
    const event = parseOk(readSharedLines(...logs5424, 'log_atna.txt')[0]);
    expect(syslogOf(event)).toMatchObject({ priority: 85, appname: 'IkitIntegrationTestApp', procid: '42', msgid: 'IHE+RFC-3881' });
    expect(event.message?.startsWith('<?xml version="1.0" encoding="UTF-8"?><AuditMessage>')).toBe(true);
  });

  it('log_all_with_errors.txt: parses the valid message and rejects the garbage lines', () => {
    const results = readSharedLines(...logs5424, 'log_all_with_errors.txt').map((line) => parseSyslogLine(line, { now }));
    expect(results.map((result) => result.ok)).toEqual([false, true, false, false]);
    for (const result of results.filter((candidate) => !candidate.ok)) {
      expect(result).toEqual({ ok: false, reason: 'not syslog: no PRI and no recognisable timestamp' });
    }
  });

  it('log_missing_pri.txt: rejected, a bare VERSION is neither RFC 5424 nor RFC 3164', () => {
    const result = parseSyslogLine(readSharedLines(...logs5424, 'log_missing_pri.txt')[0], { now });
    expect(result).toEqual({ ok: false, reason: 'not syslog: no PRI and no recognisable timestamp' });
  });

  it('log_invalid_whitespaces.txt: all 18 mangled headers are rejected with the field at fault', () => {
    const reasons = readSharedLines(...logs5424, 'log_invalid_whitespaces.txt').map((line) => {
      const result = parseSyslogLine(line, { now });
      return result.ok ? 'accepted' : result.reason;
    });
    expect(reasons).toEqual([
      "invalid PRI: expected '>' after the digits",
      "invalid RFC 3339 timestamp '202': expected YYYY-MM-DD",
      "STRUCTURED-DATA must be '-' or start with '[' (found 'IHE+RFC-3881 - \uFEFFHell')",
      "STRUCTURED-DATA must be '-' or start with '[' (found 'IHE+RFC-3881 - \uFEFFHell')",
      "STRUCTURED-DATA must be '-' or start with '[' (found 'IHE+RFC-3881 - \uFEFFHell')",
      "STRUCTURED-DATA must be '-' or start with '[' (found 'C-3881 - \uFEFFHello')",
      "invalid PRI: expected '>' after the digits",
      "invalid RFC 3339 timestamp '202': expected YYYY-MM-DD",
      'APP-NAME is empty (two consecutive spaces at offset 32)',
      'PROCID is empty (two consecutive spaces at offset 59)',
      'MSGID is empty (two consecutive spaces at offset 69)',
      "STRUCTURED-DATA must be '-' or start with '[' (found ' C-3881 - \uFEFFHello')",
      "invalid PRI: expected '>' after the digits",
      "invalid RFC 3339 timestamp '2025\t\t-05-17T10:54:32Z': expected YYYY-MM-DD",
      'HOSTNAME contains a character outside printable US-ASCII at offset 38',
      'APP-NAME contains a character outside printable US-ASCII at offset 56',
      'PROCID contains a character outside printable US-ASCII at offset 68',
      'MSGID contains a character outside printable US-ASCII at offset 74',
    ]);
  });

  // Documented leniency: RFC 3164 accepts nearly anything after a timestamp.
  it('log_missing_priversion.txt: accepted as RFC 3164 (ISO timestamp, no PRI: user.notice assumed)', () => {
    const event = parseOk(readSharedLines(...logs5424, 'log_missing_priversion.txt')[0]);
    expect(event['@timestamp']).toBe('2014-06-20T09:14:07.000Z');
    expect(event.host?.hostname).toBe('loggregator');
    expect(syslogOf(event).priority).toBe(13);
    expect(syslogOf(event).version).toBeUndefined();
    expect(event.process?.name).toBe('d0602076-b14a-4c55-852a-981e7afeed38');
  });

  it('log_missing_version.txt: `<14> 2014-...` is accepted as RFC 3164 with an ISO timestamp', () => {
    const event = parseOk(readSharedLines(...logs5424, 'log_missing_version.txt')[0]);
    expect(syslogOf(event).priority).toBe(14);
    expect(syslogOf(event).version).toBeUndefined();
    expect(event.host?.hostname).toBe('loggregator');
  });

  it('log_missing_structure.txt: the octet count exceeds the file by one byte, so the framer reports truncation', () => {
    const bytes = readFileSync(sharedDataPath(...logs5424, 'log_missing_structure.txt'));
    const framer = new SyslogFramer();
    expect(framer.push(bytes)).toEqual([]);
    expect(framer.end()).toEqual([{ ok: false, reason: 'stream ended inside an octet-counted frame (expected 190 bytes, received 189)' }]);
  });

  it('log_missing_structure.txt: with its final newline counted, the Heroku message lacks STRUCTURED-DATA and is rejected', () => {
    const bytes = Buffer.concat([readFileSync(sharedDataPath(...logs5424, 'log_missing_structure.txt')), Buffer.from('\n')]);
    const frames = new SyslogFramer().push(bytes);
    expect(frames).toHaveLength(1);
    const frame = frames[0];
    if (!frame.ok) throw new Error(frame.reason);
    expect(frame.framing).toBe('octet-counting');
    expect(parseSyslogLine(frame.message, { now })).toEqual({
      ok: false,
      reason: "STRUCTURED-DATA must be '-' or start with '[' (found 'I, [2020-08-31T13:46')",
    });
  });
});

describe('simple-syslog RFC 3164 samples (Cisco ISE)', () => {
  it.each(['many_ise.txt', 'many_ise_deviations.txt'])('%s: all 308 lines parse, the relay (an IP) as host', (file) => {
    const lines = readSharedLines(...logs3164, file);
    expect(lines).toHaveLength(308);
    const events = lines.map(parseOk);
    for (const [index, event] of events.entries()) {
      const relay = /^(?:<181>)?Aug +6 (\d\d:\d\d:\d\d) (\S+) /.exec(lines[index]) as RegExpExecArray;
      expect(event.host?.hostname).toBe(relay[2]);
      expect(event['@timestamp']).toBe(`2025-08-06T${relay[1]}.000Z`);
      expect(syslogOf(event).priority).toBe(file === 'many_ise.txt' ? 181 : 13);
    }
    // The ISE header behind the relay's (`Aug  7 00:45:43 stage-pdp01 CISE_Profiler ...`) stays in
    // the message: RFC 3164 takes the first word after the host for the tag.
    expect(events[0].process?.name).toBe('Aug');
  });

  it.each(['single_ise.txt', 'single_ise_deviation.txt'])('%s: ISO-8601 timestamp instead of Mmm dd', (file) => {
    const event = parseOk(readSharedLines(...logs3164, file)[0]);
    expect(event['@timestamp']).toBe('2018-09-14T00:54:09.000Z');
    expect(event.host?.hostname).toBe('lzpqrst-admin.in.mycompany.com.lg');
    expect(event.process?.name).toBe('CISE_RADIUS_Accounting');
  });

  it('two_ise_mix_date.txt and single_ise_old_date.txt: both timestamp styles in one stream', () => {
    const events = [...readSharedLines(...logs3164, 'two_ise_mix_date.txt'), ...readSharedLines(...logs3164, 'single_ise_old_date.txt')].map(parseOk);
    expect(events.map((event) => event['@timestamp'])).toEqual(['2025-08-06T17:26:31.000Z', '2018-09-14T00:54:09.000Z', '2025-08-06T17:26:31.000Z']);
  });

  it('many_with_errors.txt: rejects the garbage line between valid ones', () => {
    const results = readSharedLines(...logs3164, 'many_with_errors.txt').map((line) => parseSyslogLine(line, { now }));
    expect(results.map((result) => result.ok)).toEqual([true, false, true, true]);
    expect(results.find((result) => !result.ok)).toEqual({ ok: false, reason: 'not syslog: no PRI and no recognisable timestamp' });
  });
});
