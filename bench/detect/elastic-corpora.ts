import type { SocEvent } from '@soc/contracts';
import { CollectorDoor } from './collector-door';
import { CorpusTally, increment, sortedCounts } from './corpus-tally';
import { alertedAddresses, perRule, replay } from './replay';
import type { RuleCatalogue } from './rule-catalogue';
import { wouldBan } from './fail2ban-annotations';
import { rate } from './rates';
import { readSharedLines } from './shared-data';

/**
 * elastic/examples' real logs (../shared/data/elastic-examples), sent as a file forwarder sends
 * them (`text/plain`, format `auto`: the collector recognises syslog and access-log lines).
 */

/** The forwarder's clock: auth.log's timestamps have no year, which is chosen relative to it. */
const authLogNow = new Date('2026-12-02T00:00:00Z');
const sshRules = ['linux/credential_access_ssh_bruteforce', 'linux/credential_access_ssh_slow_bruteforce', 'linux/credential_access_ssh_user_enumeration'];

/** How many attempts an event stands for: `message repeated N times` lines are N (as the rules count them). */
function attempts(event: SocEvent): number {
  const count = (event.log as { repeat_count?: unknown } | undefined)?.repeat_count;
  return typeof count === 'number' && Number.isInteger(count) && count >= 2 ? count : 1;
}

function isFailedSsh(event: SocEvent): boolean {
  const e = event.event;
  return e?.dataset === 'linux.sshd' && e.outcome === 'failure' && (e.category ?? []).includes('authentication') && (e.type ?? []).includes('start');
}

export async function authLogCorpus(catalogue: RuleCatalogue, memberId: string) {
  const door = new CollectorDoor({ memberId, timeZone: 'UTC' });
  const tally = new CorpusTally();
  let failedSsh = 0;
  const failures: { host: string; time: number }[] = [];
  for (const line of readSharedLines('elastic-examples', 'ssh', 'auth.log')) {
    const event = tally.add(line, door.rawLine(line, 'auto', authLogNow));
    if (event === undefined || !isFailedSsh(event)) continue;
    const host = event.source?.ip;
    const n = attempts(event);
    failedSsh += n;
    if (host !== undefined) for (let i = 0; i < n; i++) failures.push({ host, time: Date.parse(event['@timestamp']) });
  }
  const replayed = await replay(catalogue, tally.events);
  const alerted = alertedAddresses(catalogue, replayed, sshRules.slice(0, 1));
  const alertedSet = new Set(alerted);
  // This corpus has no per-line annotation. fail2ban's sshd jail (5 in 10 minutes) applied to the
  // failures we parsed checks the rule's windows; SOURCE.md's top failing sources check the parsing.
  const banned = wouldBan(failures);
  const bannedSet = new Set(banned);
  const namedSources = ['24.151.103.17', '49.4.143.105', '201.178.81.113', '122.163.61.218', '181.26.186.35'];
  return {
    how: `text/plain, format auto; year-less timestamps read against the forwarder clock ${authLogNow.toISOString()}`,
    ...tally.summary(),
    ...perRule(catalogue, replayed),
    failed_ssh_attempts: failedSsh,
    sources_with_failed_ssh: new Set(failures.map((f) => f.host)).size,
    fail2ban_sshd_jail_over_parsed_failures: {
      would_ban: banned.length,
      ssh_bruteforce_alerts_on: alerted.length,
      both: banned.filter((a) => alertedSet.has(a)).length,
      only_fail2ban: banned.filter((a) => !alertedSet.has(a)),
      only_ours: alerted.filter((a) => !bannedSet.has(a)),
    },
    source_md_top_failing_sources_alerted: `${namedSources.filter((a) => alertedSet.has(a)).length} of ${namedSources.length}`,
    source_md_top_failing_sources_missed: namedSources.filter((a) => !alertedSet.has(a)),
  };
}

/** The 12 `GET /wp-login.php` probes answered 404 that SOURCE.md names: real probing, not false positives. */
const isNamedWordPressProbe = (line: string): boolean => /\] "GET \/wp-login\.php[ ?][^"]*" 404 /.test(line);
/** The forwarder's clock (the lines carry full dates). */
const apacheNow = new Date('2015-05-21T00:00:00Z');

export async function apacheLogCorpus(catalogue: RuleCatalogue, memberId: string) {
  const door = new CollectorDoor({ memberId, timeZone: 'UTC' });
  const tally = new CorpusTally();
  const flaggedByRule = new Map<string, number>();
  let flagged = 0;
  let namedProbes = 0;
  let namedProbesFlagged = 0;
  const falsePositives: string[] = [];
  for (const line of readSharedLines('elastic-examples', 'apache', 'apache_logs')) {
    const event = tally.add(line, door.rawLine(line, 'auto', apacheNow));
    const probe = isNamedWordPressProbe(line);
    if (probe) namedProbes++;
    if (event === undefined) continue;
    const rules = catalogue.alertingMatches(event).filter((name) => name.startsWith('web/'));
    if (rules.length === 0) continue;
    flagged++;
    for (const name of rules) increment(flaggedByRule, name);
    if (probe) namedProbesFlagged++;
    else falsePositives.push(line);
  }
  const replayed = await replay(catalogue, tally.events);
  return {
    how: 'text/plain, format auto (the collector recognises the bare combined-log line); a line is flagged when an alerting single-event web rule matches its event',
    ...tally.summary(),
    ...perRule(catalogue, replayed),
    flagged_lines: flagged,
    flagged_lines_per_rule: sortedCounts(flaggedByRule),
    flagged_rate: rate(flagged, tally.lines),
    source_md_named_probes: namedProbes,
    source_md_named_probes_flagged: namedProbesFlagged,
    false_positive_lines: falsePositives.length,
    false_positive_rate: rate(falsePositives.length, tally.lines - namedProbes),
    false_positive_examples: falsePositives.slice(0, 10),
  };
}
