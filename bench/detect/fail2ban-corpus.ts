import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SocEvent } from '@soc/contracts';
import { CollectorDoor } from './collector-door';
import { CorpusTally } from './corpus-tally';
import { fail2banDefaults, holdsInAggressiveMode, offendingHost, readFail2banLog, wouldBan, type Fail2banLine } from './fail2ban-annotations';
import { alertedAddresses, perRule, replay } from './replay';
import type { RuleCatalogue } from './rule-catalogue';
import { rate } from './rates';
import { sharedDataDirectory } from './shared-data';

/**
 * fail2ban's annotated test logs, each file a corpus of its own, sent as a forwarder relays a log
 * file (`text/plain`, format `auto`). What counts as "found" depends on the jail: authentication
 * jails count a failed-authentication event (category authentication, type start, outcome failure)
 * with the annotated host as `source.ip`/`source.domain`; the web jails count an event from the
 * host that one of our rules matches (correlation base rules included: fail2ban counts the line,
 * the correlation counts it too); apache-auth and nginx-http-auth are web jails here, as their
 * lines include refusals by configuration that are no failed credential. Bans use the jails'
 * `[DEFAULT]` maxretry and findtime for every file (jail-specific overrides are not applied).
 */

const authenticationJails: Record<string, string | undefined> = {
  sshd: 'linux.sshd',
  'sshd-journal': 'linux.sshd',
  'pam-generic': 'linux.pam',
  'selinux-ssh': undefined,
  'drupal-auth': undefined,
};

/** Our rules that stand for each jail's ban; a file not listed is compared with every rule. */
const banningRules: Record<string, readonly string[]> = {
  sshd: ['linux/credential_access_ssh_bruteforce', 'linux/credential_access_ssh_slow_bruteforce', 'linux/credential_access_ssh_user_enumeration'],
  'sshd-journal': ['linux/credential_access_ssh_bruteforce', 'linux/credential_access_ssh_slow_bruteforce', 'linux/credential_access_ssh_user_enumeration'],
  'pam-generic': ['linux/credential_access_pam_bruteforce'],
  'apache-auth': ['web/credential_access_http_authentication_bruteforce'],
  'nginx-http-auth': ['web/credential_access_http_authentication_bruteforce'],
};

/** journalctl's export has no syslog timestamp: the forwarder (rsyslog's imjournal, Vector's journald source) adds one. */
const journalStamp = 'Aug 14 11:00:00 ';
/** The forwarder's clock for lines fail2ban does not date (journal): a fixed instant after the stamp. */
const undatedNow = new Date('2005-08-14T12:00:00Z');
/** The forwarder reads a dated line this long after it was written (a live tail). */
const readDelayMs = 60_000;

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An RFC 3164 timestamp (`Mmm dd hh:mm:ss `, UTC) for a journal line: the annotated time, else the fixed one. */
function syslogStamp(time: number | undefined): string {
  if (time === undefined) return journalStamp;
  const at = new Date(time);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${months[at.getUTCMonth()]} ${String(at.getUTCDate()).padStart(2, ' ')} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} `;
}

function annotationTime(line: Fail2banLine): number | undefined {
  return line.annotation.time === undefined ? undefined : Date.parse(`${line.annotation.time}Z`);
}

function isFailedAuthentication(event: SocEvent): boolean {
  const e = event.event;
  return e?.outcome === 'failure' && (e.category ?? []).includes('authentication') && (e.type ?? []).includes('start');
}

function sourceHost(event: SocEvent): string | undefined {
  return event.source?.ip ?? event.source?.domain ?? event.source?.address;
}

interface LineVerdict {
  found: boolean;
  /** For match:false lines: counted although fail2ban must not count it. */
  counted: boolean;
}

function judge(file: string, line: Fail2banLine, event: SocEvent | undefined, catalogue: RuleCatalogue): LineVerdict {
  if (event === undefined || event.tags?.includes('unparsed')) return { found: false, counted: false };
  const host = offendingHost(line.annotation);
  if (file in authenticationJails) {
    const dataset = authenticationJails[file];
    const failure = isFailedAuthentication(event);
    return {
      found: failure && host !== undefined && sourceHost(event) === host,
      counted: failure && (dataset === undefined || event.event?.dataset === dataset),
    };
  }
  const matched = catalogue.allMatches(event).length > 0;
  return { found: matched && host !== undefined && sourceHost(event) === host, counted: matched };
}

/** One file's lines judged against their annotations, in fail2ban's aggressive mode. */
class FileScore {
  outsideAggressive = 0;
  unknownConstraint = 0;
  failuresWithHost = 0;
  hostOnLine = 0;
  found = 0;
  foundHostOnLine = 0;
  notMatching = 0;
  counted = 0;
  readonly missed: string[] = [];
  readonly falsePositives: string[] = [];
  /** fail2ban's failures (annotated host and time) for the ban comparison. */
  readonly banFailures: { host: string; time: number }[] = [];

  record(line: Fail2banLine, verdict: LineVerdict, time: number): void {
    const applies = holdsInAggressiveMode(line.annotation);
    if (applies !== true) {
      if (applies === false) this.outsideAggressive++;
      else this.unknownConstraint++;
      return;
    }
    const where = `${line.file}:${line.lineNumber} ${line.line}`;
    const host = offendingHost(line.annotation);
    if (line.annotation.match && host !== undefined) {
      this.failuresWithHost++;
      // fail2ban may take the host from an earlier line of the connection; a line-by-line parser cannot.
      const onLine = line.line.includes(host);
      if (onLine) this.hostOnLine++;
      if (verdict.found) {
        this.found++;
        if (onLine) this.foundHostOnLine++;
      } else if (onLine) this.missed.push(where);
      this.banFailures.push({ host, time });
    } else if (!line.annotation.match) {
      this.notMatching++;
      if (verdict.counted) {
        this.counted++;
        this.falsePositives.push(where);
      }
    }
  }

  summary() {
    return {
      left_out_not_in_aggressive_mode: this.outsideAggressive,
      left_out_unknown_constraint: this.unknownConstraint,
      failures_with_host: this.failuresWithHost,
      found_with_host: this.found,
      detection_rate: rate(this.found, this.failuresWithHost),
      failures_with_host_on_line: this.hostOnLine,
      found_with_host_on_line: this.foundHostOnLine,
      detection_rate_host_on_line: rate(this.foundHostOnLine, this.hostOnLine),
      missed_host_on_line: this.missed.slice(0, 10),
      not_matching_lines: this.notMatching,
      counted_not_matching: this.counted,
      false_positive_rate: rate(this.counted, this.notMatching),
      false_positives: this.falsePositives.slice(0, 10),
    };
  }
}

/** The addresses fail2ban would ban against those our rules standing for the jail alert on. */
function banComparison(banned: string[], ourRules: readonly string[] | '(any rule)', ours: string[]) {
  const oursSet = new Set(ours);
  const bannedSet = new Set(banned);
  return {
    fail2ban_would_ban: banned,
    our_rules: ourRules,
    we_alert_on: ours,
    both: banned.filter((a) => oursSet.has(a)).length,
    only_fail2ban: banned.filter((a) => !oursSet.has(a)),
    only_ours: ours.filter((a) => !bannedSet.has(a)),
  };
}

export async function fail2banCorpus(catalogue: RuleCatalogue, memberId: string) {
  const door = new CollectorDoor({ memberId, timeZone: 'UTC' });
  const files = readdirSync(join(sharedDataDirectory, 'fail2ban-test-logs', 'logs')).sort();
  const perFile: Record<string, unknown> = {};
  const totals = { failures_with_host: 0, found: 0, not_matching: 0, counted: 0 };
  for (const file of files) {
    const tally = new CorpusTally();
    const score = new FileScore();
    const annotated = readFail2banLog(file);
    for (const line of annotated) {
      const time = annotationTime(line);
      const now = time === undefined ? undatedNow : new Date(time + readDelayMs);
      const text = line.logtype === 'journal' ? syslogStamp(time) + line.line : line.line;
      const event = tally.add(text, door.rawLine(text, 'auto', now));
      score.record(line, judge(file, line, event, catalogue), time ?? undatedNow.getTime());
    }
    const replayed = await replay(catalogue, tally.events);
    const ourRules = banningRules[file] ?? allRuleNames(catalogue, replayed);
    totals.failures_with_host += score.failuresWithHost;
    totals.found += score.found;
    totals.not_matching += score.notMatching;
    totals.counted += score.counted;
    perFile[file] = {
      jail_kind: file in authenticationJails ? 'authentication: failed-authentication event with the host' : 'web: a rule matches the event from the host',
      ...tally.summary(),
      ...perRule(catalogue, replayed),
      annotated_lines: annotated.length,
      ...score.summary(),
      ban_comparison: banComparison(wouldBan(score.banFailures), banningRules[file] ?? '(any rule)', alertedAddresses(catalogue, replayed, ourRules)),
    };
  }
  return {
    how: `each annotated line sent as text/plain, format auto; the forwarder's clock ${readDelayMs / 1000} s after the annotated time (sets the year of year-less lines), ${undatedNow.toISOString()} for undated journal lines; lines of a logtype-journal file or section get the syslog stamp a journal forwarder adds (the annotated time, else ${journalStamp.trim()}); fail2ban read in aggressive mode; bans at maxretry ${fail2banDefaults.maxretry} within findtime ${fail2banDefaults.findtimeMs / 60_000} min of the annotated times (undated lines: one instant)`,
    totals: {
      ...totals,
      detection_rate: rate(totals.found, totals.failures_with_host),
      false_positive_rate: rate(totals.counted, totals.not_matching),
    },
    files: perFile,
  };
}

function allRuleNames(catalogue: RuleCatalogue, replayed: Awaited<ReturnType<typeof replay>>): string[] {
  return [...new Set(replayed.detections.map((d) => catalogue.nameOf(d.rule.id, d.rule.title)))];
}
