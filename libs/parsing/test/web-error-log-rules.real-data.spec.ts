import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SocEvent } from '@soc/contracts';
import { parseAccessLogLine, parseApacheErrorLogLine, parseNginxErrorLogLine, parseSyslogLine } from '@soc/parsing';
import { compileRules, completeEvent, InMemoryWindowStore, loadRules } from '@soc/sigma';
import { readFail2banCases, type Fail2banCase } from './fail2ban-cases';
import { readSharedLines } from './shared-data';

/**
 * fail2ban's annotated web-server test logs, parsed by the real parsers, against our rules: every
 * line its filter must find raises the base rule (or detection rule) that stands for that jail, and
 * no line it must not find does. The error-log jails (apache-auth, nginx-http-auth, apache-noscript,
 * apache-overflows) are counted by correlations whose thresholds are the jails' defaults.
 */
const repositoryRoot = join(__dirname, '..', '..', '..');
const rulesDirectory = join(repositoryRoot, 'rules');
const files = readdirSync(rulesDirectory, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.yml'))
  .map((name) => ({ name: relative(repositoryRoot, join(rulesDirectory, name)), text: readFileSync(join(rulesDirectory, name), 'utf8') }));
const loaded = loadRules(files);
const { ruleSet } = compileRules(loaded.rules);
const idOf = (handle: string): string => {
  const rule = loaded.rules.find((r) => r.name === handle || r.source.file === handle);
  if (rule?.id === undefined) throw new Error(`no rule ${handle}`);
  return rule.id;
};

type LineParser = (line: string) => ReturnType<typeof parseAccessLogLine>;
/** The raw line, or the same line as a web server forwards it through syslog or the journal. */
const orSyslog =
  (parse: LineParser): LineParser =>
  (line) => {
    const raw = parse(line);
    return raw.ok ? raw : parseSyslogLine(line, { now: new Date('2026-01-05T10:00:00Z') });
  };
const apacheError = orSyslog((line) => parseApacheErrorLogLine(line));
const nginxError = orSyslog((line) => parseNginxErrorLogLine(line));
const apacheAccess: LineParser = (line) => parseAccessLogLine(line, { server: 'apache' });

/**
 * fail2ban filters have modes; a section of a test log headed `# filterOptions: ... "mode":
 * "aggressive"` or `"fallback"` is what only that mode finds (TLS handshake failures, mod_evasive's
 * rate limiting): not an authentication failure, and not what the default jail counts. A section
 * with `"logtype": "journal"` holds `journalctl` output (`host nginx[pid]: ...`, no timestamp),
 * which is not a syslog line: forwarded by journald's syslog output it carries a header.
 */
function inDefaultMode(testCase: Fail2banCase): boolean {
  const lines = readSharedLines('fail2ban-test-logs', 'logs', testCase.file).slice(0, testCase.lineNumber);
  const options = [...lines].reverse().find((line) => line.startsWith('# filterOptions:'));
  if (options === undefined) return true;
  if (/"logtype":\s*"journal"/.test(options)) return false;
  return !/"mode":\s*"(aggressive|fallback)"/.test(options) || /"mode":\s*"(normal|auth)"/.test(options);
}

let sequence = 0;
function event(parse: LineParser, testCase: Fail2banCase): SocEvent | undefined {
  const parsed = parse(testCase.line);
  if (!parsed.ok) return undefined;
  const completed = completeEvent(parsed.event as Record<string, unknown>, `f2b-${++sequence}`, Date.parse('2026-01-05T10:00:00Z'));
  if ('problems' in completed) throw new Error(completed.problems.join('; '));
  return completed.event;
}

const nginxAccess: LineParser = (line) => parseAccessLogLine(line, { server: 'nginx' });

/**
 * `strict`: a line the jail must not find raises none of the rules either. apache-botsearch's two
 * non-matching lines are a missing script below the web root and a denied .htaccess: what the
 * script-probing and authentication rules count, though not what that jail counts.
 */
const jails: { file: string; parse: LineParser; rules: string[]; strict?: false }[] = [
  { file: 'apache-auth', parse: apacheError, rules: ['apache_http_authentication_failure'] },
  { file: 'nginx-http-auth', parse: nginxError, rules: ['nginx_http_authentication_failure'] },
  { file: 'apache-noscript', parse: apacheError, rules: ['apache_missing_script'] },
  { file: 'apache-overflows', parse: apacheError, rules: ['rules/web/initial_access_malformed_http_request.yml'] },
  { file: 'apache-shellshock', parse: apacheError, rules: ['rules/web/initial_access_shellshock_error_log.yml'] },
  { file: 'php-url-fopen', parse: apacheAccess, rules: ['rules/web/initial_access_path_traversal.yml'] },
  { file: 'apache-botsearch', parse: apacheError, rules: ['apache_missing_script'], strict: false },
  {
    file: 'nginx-botsearch',
    parse: (line) => {
      const access = nginxAccess(line);
      return access.ok ? access : nginxError(line);
    },
    rules: ['rules/web/reconnaissance_admin_interface_probing.yml', 'nginx_missing_script'],
  },
  {
    file: 'nginx-bad-request',
    parse: nginxAccess,
    rules: ['rules/web/reconnaissance_unreadable_request_line.yml', 'rules/web/reconnaissance_admin_interface_probing.yml'],
  },
];

describe('web rules against fail2ban annotated web-server logs', () => {
  for (const jail of jails) {
    it(`${jail.file}: every line the jail finds raises ${jail.rules.join(', ')}, no other line does`, () => {
      const ids = jail.rules.map(idOf);
      const cases = readFail2banCases(jail.file).filter(inDefaultMode);
      const missed: string[] = [];
      const wrong: string[] = [];
      for (const testCase of cases) {
        const parsed = event(jail.parse, testCase);
        const hit = parsed !== undefined && ruleSet.matchingRules(parsed).some((id) => ids.includes(id));
        if (testCase.annotation.match && !hit) missed.push(`${testCase.lineNumber}: ${testCase.line}`);
        if (!testCase.annotation.match && hit && jail.strict !== false) wrong.push(`${testCase.lineNumber}: ${testCase.line}`);
      }
      expect(cases.filter((c) => c.annotation.match).length).toBeGreaterThan(0);
      expect({ missed, wrong }).toEqual({ missed: [], wrong: [] });
    });
  }

  it('raises the HTTP brute-force alert for five of apache-auth failures from one address in ten minutes', async () => {
    const failures = readFail2banCases('apache-auth')
      .filter((c) => c.annotation.match)
      .map((c) => event(apacheError, c))
      .filter((e): e is SocEvent => e !== undefined)
      .slice(0, 5)
      .map((e, index) => ({ ...e, '@timestamp': new Date(Date.parse('2026-01-05T10:00:00Z') + index * 60_000).toISOString(), source: { ip: '203.0.113.77' } }));
    const bruteForce = idOf('rules/web/credential_access_http_authentication_bruteforce.yml');
    const five = await ruleSet.evaluate(failures, new InMemoryWindowStore());
    expect(five.detections.filter((d) => d.rule.id === bruteForce)).toHaveLength(1);
    const four = await ruleSet.evaluate(failures.slice(0, 4), new InMemoryWindowStore());
    expect(four.detections.filter((d) => d.rule.id === bruteForce)).toHaveLength(0);
  });
});
