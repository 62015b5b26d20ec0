import { readdirSync } from 'node:fs';
import {
  normaliseJsonRecord,
  parseAccessLogLine,
  parseApacheErrorLogLine,
  parseCef,
  parseNginxErrorLogLine,
  parseSyslogLine,
  SyslogFramer,
  type EventParseResult,
} from '@soc/parsing';
import { readSharedLines, readSharedText, schemaIssues, sharedDataPath } from './shared-data';

/**
 * Property: no input makes a parser throw, loop or produce an event outside the contract. A
 * seeded generator mutates real fixture lines (truncation, byte flips, syntax characters,
 * unicode, invalid UTF-8, huge repetitions) so that failures are reproducible.
 */

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seededRandom(20251128);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const integer = (max: number): number => Math.floor(random() * max);

function corpus(): string[] {
  const lines: string[] = [];
  lines.push(...readSharedLines('elastic-examples', 'ssh', 'auth.log').filter((_, index) => index % 20 === 0));
  lines.push(...readSharedLines('elastic-examples', 'apache', 'apache_logs').filter((_, index) => index % 50 === 0));
  for (const file of ['sshd', 'pam-generic', 'apache-auth', 'apache-overflows', 'nginx-http-auth', 'nginx-botsearch', 'nginx-bad-request']) {
    lines.push(...readSharedLines('fail2ban-test-logs', 'logs', file).filter((line) => line.length > 0 && !line.startsWith('#')));
  }
  const rsyslog = ['syslog-cef-fixtures', 'rsyslog-parse1'];
  for (const file of readdirSync(sharedDataPath(...rsyslog)).filter((name) => name.endsWith('.parse1'))) {
    lines.push(...readSharedLines(...rsyslog, file).filter((line) => line.length > 0 && !line.startsWith('#')));
  }
  for (const directory of ['5424', '3164']) {
    const path = ['syslog-cef-fixtures', 'simple-syslog', 'logs', directory];
    for (const file of readdirSync(sharedDataPath(...path))) lines.push(...readSharedLines(...path, file).slice(0, 5));
  }
  const cef = ['syslog-cef-fixtures', 'graylog-plugin-cef', 'fixtures'];
  for (const file of readdirSync(sharedDataPath(...cef))) {
    const match = /"testString": "((?:[^"\\]|\\.)*)"/.exec(readSharedText(...cef, file));
    if (match !== null) lines.push(JSON.parse(`"${match[1]}"`) as string);
  }
  return lines;
}

const syntaxCharacters = [
  '<',
  '>',
  '[',
  ']',
  '"',
  '\\',
  '=',
  '|',
  ' ',
  '  ',
  '\n',
  '\r',
  '\0',
  '%',
  ':',
  '-',
  'CEF:',
  ' from ',
  ' port ',
  ' rhost=',
  ', client: ',
  'T',
  'Z',
  '+',
  '@',
  'constructor',
  '__proto__',
  'toString',
];
const unicode = ['ø', 'æ', 'ü', '\uFEFF', '\u202E', '\u0301', '😀', '\uD800', '\uDFFF', '\u0000', '\u00A0', '𝔘'];

/** One mutation of a line: a string, or bytes for invalid UTF-8. */
function mutate(line: string): string | Buffer {
  switch (integer(9)) {
    case 0:
      return line.slice(0, integer(line.length + 1));
    case 1: {
      const bytes = Buffer.from(line);
      for (let flips = 1 + integer(4); flips > 0 && bytes.length > 0; flips--) bytes[integer(bytes.length)] ^= 1 << integer(8);
      return bytes;
    }
    case 2: {
      const at = integer(line.length + 1);
      return line.slice(0, at) + pick(syntaxCharacters) + line.slice(at);
    }
    case 3: {
      const at = integer(line.length + 1);
      return line.slice(0, at) + pick(unicode) + line.slice(at + integer(3));
    }
    case 4: {
      const start = integer(line.length + 1);
      const piece = line.slice(start, start + 1 + integer(20)) || pick(syntaxCharacters);
      return line.slice(0, start) + piece.repeat(1 + integer(5000)) + line.slice(start);
    }
    case 5:
      return Buffer.from(Array.from({ length: integer(300) }, () => integer(256)));
    case 6:
      return Array.from({ length: integer(200) }, () => pick(syntaxCharacters)).join('');
    case 7: {
      const bytes = Buffer.from(line);
      const at = integer(bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, at), Buffer.from([pick([0xc3, 0xe2, 0xf0, 0xff, 0x80, 0xed])]), bytes.subarray(at)]);
    }
    default: {
      // Splice two fixture lines: a header from one, a message from another.
      const other = pick(seeds);
      return line.slice(0, integer(line.length + 1)) + other.slice(integer(other.length + 1));
    }
  }
}

const seeds = corpus();
const now = new Date('2025-11-28T12:00:00Z');

interface Outcome {
  parser: string;
  input: string | Buffer;
  result: EventParseResult;
}

function runAll(input: string | Buffer): Outcome[] {
  const text = typeof input === 'string' ? input : input.toString('utf8');
  const outcomes: Outcome[] = [{ parser: 'parseSyslogLine', input, result: parseSyslogLine(input, { now, timeZone: 'Europe/Copenhagen' }) }];
  outcomes.push({ parser: 'parseAccessLogLine', input, result: parseAccessLogLine(text) });
  outcomes.push({ parser: 'parseApacheErrorLogLine', input, result: parseApacheErrorLogLine(text) });
  outcomes.push({ parser: 'parseNginxErrorLogLine', input, result: parseNginxErrorLogLine(text) });
  const cef = parseCef(text);
  if (!cef.ok) outcomes.push({ parser: 'parseCef', input, result: cef });
  return outcomes;
}

function problemsOf(outcomes: Outcome[]): string[] {
  const problems: string[] = [];
  for (const { parser, input, result } of outcomes) {
    const shown = JSON.stringify(typeof input === 'string' ? input.slice(0, 200) : input.subarray(0, 200).toString('base64'));
    if (result.ok) {
      const issues = schemaIssues(result.event);
      if (issues !== undefined) problems.push(`${parser} produced an invalid event (${issues}) from ${shown}`);
    } else if (typeof result.reason !== 'string' || result.reason.length === 0 || result.reason.startsWith('internal parser error')) {
      problems.push(`${parser} failed badly (${result.reason}) on ${shown}`);
    }
  }
  return problems;
}

describe('parser fuzzing', () => {
  it('survives 50,000 mutated fixture lines: every call returns an event within the contract or a reason', () => {
    const problems: string[] = [];
    let accepted = 0;
    for (let iteration = 0; iteration < 50_000; iteration++) {
      const input = mutate(pick(seeds));
      let outcomes: Outcome[];
      try {
        outcomes = runAll(input);
      } catch (error) {
        problems.push(`threw ${String(error)} on ${JSON.stringify(String(input).slice(0, 200))}`);
        continue;
      }
      accepted += outcomes.filter((outcome) => outcome.result.ok).length;
      problems.push(...problemsOf(outcomes));
      if (problems.length > 20) break;
    }
    expect(problems).toEqual([]);
    expect(accepted).toBeGreaterThan(10_000);
  }, 120_000);

  it('survives mutated JSON records', () => {
    const records = readSharedLines('otrf-security-datasets', 'cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json');
    const problems: string[] = [];
    for (let iteration = 0; iteration < 5_000; iteration++) {
      const mutated = mutate(pick(records));
      let value: unknown;
      try {
        value = JSON.parse(typeof mutated === 'string' ? mutated : mutated.toString('utf8'));
      } catch {
        value = {
          EventID: pick([4625, '4624', -1, 1e9, null, 'x']),
          Channel: pick(['Security', 'Microsoft-Windows-Sysmon/Operational', 7]),
          IpAddress: pick(['::1', '-', '1.2.3', {}]),
        };
      }
      const result = normaliseJsonRecord(value);
      problems.push(...problemsOf([{ parser: 'normaliseJsonRecord', input: JSON.stringify(value) ?? '', result }]));
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it('frames random byte streams cut at random places without losing bytes or throwing', () => {
    for (let iteration = 0; iteration < 500; iteration++) {
      const stream = Buffer.concat(
        Array.from({ length: 1 + integer(20) }, () => {
          const item = mutate(pick(seeds));
          const bytes = typeof item === 'string' ? Buffer.from(item) : item;
          return random() < 0.5 ? Buffer.concat([Buffer.from(`${bytes.length} `), bytes]) : Buffer.concat([bytes, Buffer.from('\n')]);
        }),
      );
      const framer = new SyslogFramer({ maxMessageBytes: 4096 });
      let cursor = 0;
      let delivered = 0;
      while (cursor < stream.length) {
        const size = 1 + integer(512);
        for (const frame of framer.push(stream.subarray(cursor, cursor + size))) if (frame.ok) delivered += frame.message.length;
        cursor += size;
      }
      for (const frame of framer.end()) if (frame.ok) delivered += frame.message.length;
      expect(delivered).toBeLessThanOrEqual(stream.length);
    }
  });

  it.each([
    ['sshd user names full of " from "', `<38>Jan  1 00:00:00 h sshd[1]: Failed password for invalid user ${'x from 1.2.3.4 '.repeat(20_000)}`],
    ['closing user names full of spaces', `<38>Jan  1 00:00:00 h sshd[1]: Connection closed by authenticating user ${'a '.repeat(60_000)}1.2.3.4 port 22`],
    ['disconnects full of port clauses', `<38>Jan  1 00:00:00 h sshd[1]: Disconnecting invalid user ${' port 1: '.repeat(30_000)}`],
    ['PAM lists full of rhost=', `<38>Jan  1 00:00:00 h sshd[1]: pam_unix(sshd:auth): authentication failure; ruser=${' rhost=x'.repeat(30_000)}`],
    ['CEF extensions full of keys', `CEF:0|v|p|1|i|n|5|${'k=v '.repeat(40_000)}`],
    ['CEF values full of escapes', `CEF:0|v|p|1|i|n|5|msg=${'\\= \\\\ '.repeat(40_000)}`],
    ['structured data full of elements', `<13>1 - h a p m ${'[id p="v"]'.repeat(20_000)} msg`],
    ['unterminated structured data', `<13>1 - h a p m [id p="${'\\"'.repeat(60_000)}`],
    ['nginx lines full of clients', `2015/01/21 10:56:10 [error] 1#0: *1 x${', client: 1.2.3.4, server: '.repeat(20_000)}`],
    ['Apache lines full of brackets', `[Sat Jun 01 02:17:42 2013] [error] ${'[client 1.2.3.4] '.repeat(20_000)}`],
    ['repeated-message wrappers', `<13>Jan  1 00:00:00 h sshd[1]: message repeated 2 times: [ ${'['.repeat(100_000)}`],
  ])('stays linear on adversarial input: %s', (_case, line) => {
    // CPU time of this process, not wall time, so a loaded machine does not fail it; and a bound
    // far above the linear cost (~10-100 ms) and far below a quadratic one (10^10 steps: minutes).
    const started = process.cpuUsage();
    const problems = problemsOf(runAll(line));
    const used = process.cpuUsage(started);
    expect(problems).toEqual([]);
    expect((used.user + used.system) / 1000).toBeLessThan(3_000);
  });
});
