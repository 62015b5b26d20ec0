import { parseLogLine } from '@soc/parsing';
import { readFail2banCases, type Fail2banCase } from './fail2ban-cases';
import { eventFields, isFailedAuthentication, sourceHost } from './shared-data';

/**
 * fail2ban's annotated selinux-ssh, drupal-auth and nginx-http-auth test logs, each line sent
 * through `parseLogLine` as it is in the file (`auto`: audit records and journal lines without a
 * timestamp included). selinux-ssh and drupal-auth are authentication jails: a line fail2ban counts
 * must be a failed authentication with the annotated address (and user, when annotated), a line it
 * must not count must not be one. nginx-http-auth counts refused credentials and, in its fallback
 * and aggressive modes, broken TLS handshakes: a counted line must carry the action the rule
 * reads (`http_authentication` or `tls_handshake_failure`) and the address.
 */

const now = new Date('2026-12-02T12:00:00Z');
const nginxCountedActions = new Set(['http_authentication', 'tls_handshake_failure']);

function problemOf(fixture: Fail2banCase): string | undefined {
  const result = parseLogLine(fixture.line, { now, timeZone: 'UTC' });
  if (!result.ok) return `not parsed (${result.reason})`;
  const event = result.event;
  const { annotation } = fixture;
  const counted =
    fixture.file === 'nginx-http-auth'
      ? nginxCountedActions.has(eventFields(event).action ?? '') && eventFields(event).outcome === 'failure'
      : isFailedAuthentication(event);
  if (!annotation.match) return counted ? `counted (${eventFields(event).action}), fail2ban does not` : undefined;
  if (!counted) return `not counted (dataset ${eventFields(event).dataset}, action ${eventFields(event).action})`;
  if (sourceHost(event) !== annotation.host) return `source ${sourceHost(event)}, expected ${annotation.host}`;
  if (annotation.user !== undefined && event.user?.name !== annotation.user) return `user '${event.user?.name}', expected '${annotation.user}'`;
  return undefined;
}

describe('fail2ban annotated selinux-ssh, drupal-auth and nginx-http-auth logs', () => {
  const files = ['selinux-ssh', 'drupal-auth', 'nginx-http-auth'];
  const cases = files.flatMap((file) => readFail2banCases(file));

  it('counts every line fail2ban counts, with its address, and no line it must not count', () => {
    const problems = cases
      .map((fixture) => [`${fixture.file}:${fixture.lineNumber}`, problemOf(fixture), fixture.line] as const)
      .filter(([, problem]) => problem !== undefined);
    expect(problems).toEqual([]);
  });

  it('judges the whole of each file', () => {
    // selinux-ssh 11 lines (5 counted), drupal-auth 7 (4), nginx-http-auth 18 (17): nothing left out.
    expect(files.map((file) => cases.filter((fixture) => fixture.file === file).length)).toEqual([11, 7, 18]);
    expect(cases.filter((fixture) => fixture.annotation.match).length).toBe(26);
  });

  it('reads the sshd-journal lines sent without any timestamp as it reads them with the stamp a journal forwarder adds', () => {
    const journalLines = readFail2banCases('sshd-journal')
      .map((fixture) => fixture.line)
      .filter((line) => !/^(?:<\d|[A-Z][a-z]{2} |\d{4}-)/.test(line));
    const differences = journalLines.flatMap((line) => {
      const bare = parseLogLine(line, { now, timeZone: 'UTC' });
      const stamped = parseLogLine(`Dec  2 11:00:00 ${line}`, { now, timeZone: 'UTC' });
      if (!bare.ok || !stamped.ok) return [`${line}: ${bare.ok ? '' : bare.reason} ${stamped.ok ? '' : stamped.reason}`];
      const { '@timestamp': bareTime, tags, event: bareMeta, ...bareRest } = bare.event;
      const { '@timestamp': _stampedTime, event: stampedMeta, ...stampedRest } = stamped.event;
      const same =
        JSON.stringify(bareRest) === JSON.stringify(stampedRest) &&
        JSON.stringify({ ...bareMeta, original: undefined, timezone: undefined }) ===
          JSON.stringify({ ...stampedMeta, original: undefined, timezone: undefined });
      return same && bareTime === now.toISOString() && tags?.includes('timestamp_from_reference_time') ? [] : [line];
    });
    expect(journalLines.length).toBeGreaterThan(100);
    expect(differences).toEqual([]);
  });
});
