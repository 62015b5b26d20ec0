import type { InboundEvent } from '@soc/contracts';
import { parseAccessLogLine, parseApacheErrorLogLine, parseNginxErrorLogLine, parseSyslogLine, type EventParseResult } from '@soc/parsing';
import { readFail2banCases, type Fail2banCase } from './fail2ban-cases';
import { eventFields, isFailedAuthentication, schemaIssues, sourceHost, wallClock } from './shared-data';

// fail2ban's test suite runs in Europe/Zurich with a clock in mid-2005: year-less lines from
// after August belong to 2004. The annotations give local wall-clock times.
const timeZone = 'Europe/Zurich';
const now = new Date('2005-08-14T12:00:00Z');
const journalPrefix = 'Jan  1 00:00:00 ';

/**
 * Annotations we know to be wrong, checked by hand. `[Fri Dec 06 09:29:34 2013]` is annotated
 * 2014-12-06, but 6 December 2013 was the Friday the line names (2014-12-06 was a Saturday).
 */
const wrongTimeAnnotations = new Set(['apache-botsearch:43']);

/** Routes a fixture line to the parser for its format, as the collector's forwarder config would. */
function parseFixtureLine(file: string, line: string): EventParseResult {
  if (line.startsWith('[')) return parseApacheErrorLogLine(line, { timeZone });
  if (/^\d{4}\/\d{2}\/\d{2} /.test(line)) return parseNginxErrorLogLine(line, { timeZone });
  if (/^\S+ (?:\S+ )?\S+ \S+ \[\d{2}\/\w{3}\/\d{4}:/.test(line)) {
    return parseAccessLogLine(line, { server: file.startsWith('nginx') ? 'nginx' : 'apache' });
  }
  // journalctl output has no syslog timestamp; the forwarder adds one.
  const isJournal = !/^(?:<\d|[A-Z][a-z]{2} |\d{4}-)/.test(line);
  return parseSyslogLine(isJournal ? journalPrefix + line : line, { now, timeZone });
}

interface ParsedCase extends Fail2banCase {
  event: InboundEvent;
}

function parseCases(file: string): { parsed: ParsedCase[]; failures: string[] } {
  const parsed: ParsedCase[] = [];
  const failures: string[] = [];
  for (const fixture of readFail2banCases(file)) {
    const result = parseFixtureLine(file, fixture.line);
    if (!result.ok) failures.push(`${file}:${fixture.lineNumber} ${result.reason}`);
    else parsed.push({ ...fixture, event: result.event });
  }
  return { parsed, failures };
}

/**
 * The sshd and PAM files' match/no-match annotations are judged, with fail2ban's modes, by
 * fail2ban-authentication.corpus.spec.ts; this spec checks parsing, hosts, users and times.
 */
const authenticationCorpusFiles = new Set(['sshd', 'sshd-journal', 'pam-generic']);

/** Matching lines whose host fail2ban takes from an earlier line of the same sshd process. */
const linesWhoseHostIsOnAnEarlierLine: Record<string, number> = { sshd: 11, 'sshd-journal': 8 };

/**
 * Matching lines that are not failures on their own: `Accepted password` after failures for
 * other users (fail2ban's multi-line `attempts`), and a plain close after a kex error.
 */
const statefulMatches: Record<string, number[]> = { sshd: [252, 262, 354], 'sshd-journal': [244, 254] };

/** Access logs that fail2ban matches on their content (bad bots, URL patterns): the rules' job. */
const contentMatchedFiles = new Set(['apache-badbots', 'php-url-fopen']);

const files = [
  'sshd',
  'sshd-journal',
  'pam-generic',
  'apache-auth',
  'apache-badbots',
  'apache-botsearch',
  'apache-noscript',
  'apache-overflows',
  'apache-shellshock',
  'nginx-http-auth',
  'nginx-botsearch',
  'nginx-bad-request',
  'php-url-fopen',
];

describe('fail2ban annotated logs', () => {
  describe.each(files)('%s', (file) => {
    const { parsed, failures } = parseCases(file);

    it('parses every annotated line into a schema-valid event', () => {
      expect(failures).toEqual([]);
      const invalid = parsed.map((fixture) => schemaIssues(fixture.event)).filter((issue) => issue !== undefined);
      expect(invalid).toEqual([]);
    });

    it('extracts the offending host (and user) of every matching line', () => {
      const mismatches: string[] = [];
      const hostNotOnLine: string[] = [];
      for (const fixture of parsed) {
        const { match, user } = fixture.annotation;
        const host = fixture.annotation.host ?? fixture.annotation.ip4 ?? fixture.annotation.ip6;
        if (!match) continue;
        if (host !== undefined && fixture.line.includes(host)) {
          if (sourceHost(fixture.event) !== host) mismatches.push(`${fixture.lineNumber}: expected ${host}, got ${sourceHost(fixture.event)}`);
        } else if (host !== undefined) {
          // fail2ban remembers the address from an earlier line of the same connection; a
          // line-by-line parser cannot, and must not invent one.
          hostNotOnLine.push(`${fixture.lineNumber}`);
          if (fixture.event.source !== undefined) mismatches.push(`${fixture.lineNumber}: invented source ${sourceHost(fixture.event)}`);
        }
        if (user !== undefined && (fixture.event.user?.name ?? '') !== user) {
          mismatches.push(`${fixture.lineNumber}: expected user '${user}', got '${fixture.event.user?.name}'`);
        }
      }
      expect(mismatches).toEqual([]);
      expect(hostNotOnLine.length).toBe(linesWhoseHostIsOnAnEarlierLine[file] ?? 0);
    });

    it('marks every matching line as a failure, except where fail2ban needs the lines before it', () => {
      if (contentMatchedFiles.has(file)) return;
      const notFailures = parsed
        .filter((fixture) => fixture.annotation.match && eventFields(fixture.event).outcome !== 'failure')
        .map((fixture) => fixture.lineNumber);
      expect(notFailures).toEqual(statefulMatches[file] ?? []);
    });

    if (!authenticationCorpusFiles.has(file)) {
      it('yields no failed authentication for the lines fail2ban must not match', () => {
        const offending = parsed
          .filter((fixture) => !fixture.annotation.match)
          .filter((fixture) => isFailedAuthentication(fixture.event))
          .map((fixture) => `${fixture.lineNumber}: ${fixture.line}`);
        expect(offending).toEqual([]);
      });
    }

    it('reads the local time fail2ban expects', () => {
      const wrong = parsed
        .filter((fixture) => fixture.annotation.time !== undefined)
        .filter((fixture) => !wrongTimeAnnotations.has(`${fixture.file}:${fixture.lineNumber}`))
        .filter((fixture) => {
          const timestamp = fixture.event['@timestamp'];
          return timestamp === undefined || wallClock(timestamp, timeZone) !== fixture.annotation.time;
        })
        .map((fixture) => `${fixture.lineNumber}: expected ${fixture.annotation.time}, got ${fixture.event['@timestamp']}`);
      expect(wrong).toEqual([]);
    });
  });
});
