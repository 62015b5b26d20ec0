import type { InboundEvent } from '@soc/contracts';
import { parseSyslogLine } from '@soc/parsing';
import { eventFields, isFailedAuthentication, readSharedLines, schemaIssues } from './shared-data';

/**
 * A real internet-facing host's auth.log (7,121 lines, SSH brute force). Every count asserted
 * here is computed twice: once by a regular expression over the raw file, once from our events.
 */

const lines = readSharedLines('elastic-examples', 'ssh', 'auth.log');
// The file spans 27 March to 20 April without a year; a clock in early 2018 puts it in 2017.
const now = new Date('2018-01-05T00:00:00Z');
const parsed = lines.map((line) => ({ line, result: parseSyslogLine(line, { now }) }));
const events: InboundEvent[] = parsed.flatMap(({ result }) => (result.ok ? [result.event] : []));

function countLines(pattern: RegExp): number {
  return lines.filter((line) => pattern.test(line)).length;
}

function countEvents(predicate: (event: InboundEvent) => boolean): number {
  return events.filter(predicate).length;
}

function tally(values: (string | undefined)[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

const sshd = (event: InboundEvent): boolean => eventFields(event).dataset === 'linux.sshd';
/** What the SSH brute-force rule counts: every failed attempt sshd attributes to an address. */
const failedSshAttempt = (event: InboundEvent): boolean => sshd(event) && isFailedAuthentication(event);
const failedSshLogin = (event: InboundEvent): boolean => failedSshAttempt(event) && eventFields(event).action === 'ssh_login';
// A failed credential check: any method but a public key offered for an existing user.
const failedLoginLine = /sshd\[\d+\]: (?:message repeated \d+ times: \[ )?Failed (?!publickey for (?!invalid user))\S+ for /;
// Every attempt: failed logins, invalid users, pre-auth disconnects and protocol probes naming an address.
const failedAttemptLine =
  /sshd\[\d+\]: (?:(?:message repeated \d+ times: \[ )?Failed (?!publickey for (?!invalid user))\S+ for |Invalid user |(?:Connection (?:closed|reset) by|Disconnected from) \S+ port \d+ \[preauth\]$|Did not receive identification string from |Bad protocol version identification |(?:error: )?maximum authentication attempts exceeded for |(?:fatal: )?Unable to negotiate with )/;

describe('elastic-examples auth.log', () => {
  it('parses all 7,121 lines into schema-valid events', () => {
    expect(lines).toHaveLength(7121);
    expect(parsed.filter(({ result }) => !result.ok).map(({ line }) => line)).toEqual([]);
    const invalid = events.map(schemaIssues).filter((issues) => issues !== undefined);
    expect(invalid).toEqual([]);
  });

  it('counts one failed SSH login per `Failed password` line, 713 as SOURCE.md says', () => {
    const expected = countLines(failedLoginLine);
    expect(expected).toBe(713);
    expect(countEvents(failedSshLogin)).toBe(expected);
  });

  it('counts every failed attempt sshd attributes to an address, one per line, as the brute-force rule sees them', () => {
    const expected = countLines(failedAttemptLine);
    expect(expected).toBe(1516);
    expect(countEvents(failedSshAttempt)).toBe(expected);
    const rawSources = tally(
      lines
        .filter((line) => failedAttemptLine.test(line))
        .map((line) => /(?: from| by| with) (\S+?)(?: port \d+)?(?:: no matching .*| ssh2\]?| ssh2 \[preauth\]| \[preauth\])?$/.exec(line)?.[1]),
    );
    expect(tally(events.filter(failedSshAttempt).map((event) => event.source?.ip))).toEqual(rawSources);
  });

  it('carries the repeat count of `message repeated N times`, so attempts can be summed', () => {
    const repeatedAttempts = lines
      .map((line) => /message repeated (\d+) times: \[ Failed password/.exec(line))
      .reduce((sum, match) => sum + (match === null ? 0 : Number(match[1])), 0);
    const singleAttempts = countLines(/sshd\[\d+\]: Failed password/);
    const summed = events.filter(failedSshLogin).reduce((sum, event) => sum + ((event.log as { repeat_count?: number }).repeat_count ?? 1), 0);
    expect(summed).toBe(singleAttempts + repeatedAttempts);
  });

  it('attributes failed logins to the same source addresses and users as the raw lines', () => {
    const rawSources = tally(lines.filter((line) => failedLoginLine.test(line)).map((line) => / from (\S+) port \d+ ssh2\]?$/.exec(line)?.[1]));
    const eventSources = tally(events.filter(failedSshLogin).map((event) => event.source?.ip));
    expect(eventSources).toEqual(rawSources);
    expect(eventSources.get('24.151.103.17')).toBe(157);
    expect(eventSources.get('49.4.143.105')).toBe(40);

    const rawUsers = tally(
      lines.filter((line) => failedLoginLine.test(line)).map((line) => / for (?:invalid user )?(.*) from \S+ port \d+ ssh2\]?$/.exec(line)?.[1]),
    );
    const eventUsers = tally(events.filter(failedSshLogin).map((event) => event.user?.name ?? ''));
    expect(eventUsers).toEqual(rawUsers);
    const elasticUsers = [...eventUsers].filter(([name]) => name.startsWith('elastic_user_')).reduce((sum, [, count]) => sum + count, 0);
    expect(elasticUsers).toBe(169);
  });

  it('counts invalid users, accepted logins, sudo commands and PAM failures as the raw lines do', () => {
    const byAction = (action: string, outcome?: string) => (event: InboundEvent) =>
      eventFields(event).action === action && (outcome === undefined || eventFields(event).outcome === outcome);
    expect(countEvents(byAction('ssh_invalid_user'))).toBe(countLines(/sshd\[\d+\]: Invalid user /));
    expect(countEvents(byAction('ssh_invalid_user'))).toBe(178);
    expect(countEvents(byAction('ssh_login', 'success'))).toBe(countLines(/sshd\[\d+\]: Accepted /));
    expect(countEvents(byAction('ssh_login', 'success'))).toBe(226);
    expect(countEvents(byAction('sudo_command'))).toBe(countLines(/ sudo: +\S+ : .*COMMAND=/));
    expect(countEvents(byAction('pam_authentication', 'failure'))).toBe(countLines(/pam_unix\(\w+:auth\): authentication failure;/));
    expect(countEvents(byAction('pam_session_open'))).toBe(countLines(/pam_unix\([\w-]+:session\): session opened for user/));
    expect(countEvents(byAction('user_created'))).toBe(countLines(/useradd\[\d+\]: (?:new user|failed adding user)/));
  });

  it('puts every line in 2017, in file order, with the year taken from "now"', () => {
    const timestamps = events.map((event) => event['@timestamp'] as string);
    expect(timestamps[0]).toBe('2017-03-27T13:06:56.000Z');
    expect(timestamps[timestamps.length - 1]).toBe('2017-04-20T14:14:29.000Z');
    const outOfOrder = timestamps.filter((timestamp, index) => index > 0 && timestamp < timestamps[index - 1]);
    expect(outOfOrder).toEqual([]);
  });

  it('gives every line a linux.* dataset, PAM lines linux.pam whichever program wrote them', () => {
    const datasets: Record<string, number> = {};
    for (const event of events) {
      const dataset = eventFields(event).dataset ?? 'none';
      datasets[dataset] = (datasets[dataset] ?? 0) + 1;
    }
    const pamLines = countLines(/: pam_[a-z]+\(/);
    expect(datasets['linux.pam']).toBe(pamLines);
    expect(datasets['linux.sshd']).toBe(countLines(/ sshd\[\d+\]: (?!pam_)/));
    expect(datasets['linux.sudo']).toBe(countLines(/ sudo: (?!pam_)/));
    // CRON, chpasswd and systemd write only PAM lines here; su, useradd, groupadd, systemd-logind are linux.auth.
    expect(datasets['linux.auth']).toBe(countLines(/ (?:su|useradd|groupadd|systemd-logind)\[\d+\]: (?!pam_)/));
    expect(Object.keys(datasets).sort()).toEqual(['linux.auth', 'linux.pam', 'linux.sshd', 'linux.sudo']);
  });

  it('sets module, dataset and process name on every sshd, sudo and PAM line', () => {
    const sshdLines = countLines(/ sshd\[\d+\]: /);
    expect(countEvents((event) => event.process?.name === 'sshd' && eventFields(event).module === 'linux')).toBe(sshdLines);
    expect(countEvents((event) => event.process?.name === 'sudo' && eventFields(event).dataset?.startsWith('linux.') === true)).toBe(countLines(/ sudo: /));
  });
});
