import type { InboundEvent } from '@soc/contracts';
import { parseSyslogLine } from '@soc/parsing';
import { eventFields, isFailedAuthentication, schemaIssues } from './shared-data';

/**
 * Issue 14's list of sshd and PAM line shapes that the SSH rules did not count, each as a whole
 * syslog line through the collector's front door. Counted: category authentication, type start,
 * outcome failure, with the address (and user) on the line.
 */

const now = new Date('2026-03-01T12:00:00Z');

function parse(line: string): InboundEvent {
  const result = parseSyslogLine(line, { now });
  if (!result.ok) throw new Error(result.reason);
  expect(schemaIssues(result.event)).toBeUndefined();
  return result.event;
}

interface Counted {
  dataset: string;
  action: string;
  ip: string;
  port?: number;
  user?: string;
  /** Also a network event: the attempt failed before any credential was offered. */
  probe?: boolean;
}

function expectCounted(line: string, expected: Counted): void {
  const event = parse(line);
  expect(isFailedAuthentication(event)).toBe(true);
  const fields = eventFields(event);
  expect({ dataset: fields.dataset, action: fields.action }).toEqual({ dataset: expected.dataset, action: expected.action });
  expect(event.source?.ip).toBe(expected.ip);
  if (expected.port !== undefined) expect(event.source?.port).toBe(expected.port);
  expect(event.user?.name).toBe(expected.user);
  expect(fields.category?.includes('network')).toBe(expected.probe === true);
}

describe('issue 14 sshd and PAM line shapes', () => {
  it('counts `Invalid user … from`', () => {
    expectCounted('Mar  1 10:00:01 web01 sshd[1201]: Invalid user oracle from 203.0.113.9 port 51514', {
      dataset: 'linux.sshd',
      action: 'ssh_invalid_user',
      ip: '203.0.113.9',
      port: 51514,
      user: 'oracle',
    });
  });

  it('counts `Connection closed by invalid user … [preauth]`', () => {
    expectCounted('Mar  1 10:00:02 web01 sshd[1201]: Connection closed by invalid user oracle 203.0.113.9 port 51514 [preauth]', {
      dataset: 'linux.sshd',
      action: 'ssh_preauth_disconnect_user',
      ip: '203.0.113.9',
      port: 51514,
      user: 'oracle',
    });
  });

  it('counts `Connection closed by authenticating user … [preauth]`', () => {
    expectCounted('Mar  1 10:00:03 web01 sshd[1202]: Connection closed by authenticating user root 203.0.113.9 port 51516 [preauth]', {
      dataset: 'linux.sshd',
      action: 'ssh_preauth_disconnect_user',
      ip: '203.0.113.9',
      port: 51516,
      user: 'root',
    });
  });

  it('counts `Disconnected from invalid user … [preauth]` and `Disconnected from authenticating user … [preauth]`', () => {
    expectCounted('Mar  1 10:00:04 web01 sshd[1203]: Disconnected from invalid user test 2001:db8::7 port 40022 [preauth]', {
      dataset: 'linux.sshd',
      action: 'ssh_preauth_disconnect_user',
      ip: '2001:db8::7',
      port: 40022,
      user: 'test',
    });
    expectCounted('Mar  1 10:00:04 web01 sshd[1204]: Disconnected from authenticating user root 203.0.113.9 port 51518 [preauth]', {
      dataset: 'linux.sshd',
      action: 'ssh_preauth_disconnect_user',
      ip: '203.0.113.9',
      port: 51518,
      user: 'root',
    });
  });

  it('counts `Did not receive identification string` as a probe', () => {
    expectCounted('Mar  1 10:00:05 web01 sshd[1205]: Did not receive identification string from 203.0.113.10 port 33110', {
      dataset: 'linux.sshd',
      action: 'ssh_bad_protocol',
      ip: '203.0.113.10',
      port: 33110,
      probe: true,
    });
  });

  it('counts `Bad protocol version identification` as a probe', () => {
    expectCounted("Mar  1 10:00:06 web01 sshd[1206]: Bad protocol version identification 'GET / HTTP/1.1' from 203.0.113.11 port 40060", {
      dataset: 'linux.sshd',
      action: 'ssh_bad_protocol',
      ip: '203.0.113.11',
      port: 40060,
      probe: true,
    });
  });

  it('counts `Unable to negotiate with …` as a probe', () => {
    expectCounted(
      'Mar  1 10:00:07 web01 sshd[1207]: Unable to negotiate with 203.0.113.12 port 56024: no matching host key type found. Their offer: ssh-dss [preauth]',
      {
        dataset: 'linux.sshd',
        action: 'ssh_negotiation_failed',
        ip: '203.0.113.12',
        port: 56024,
        probe: true,
      },
    );
  });

  it('counts `Magic value check failed` as a probe', () => {
    expectCounted('Mar  1 10:00:08 web01 sshd[1208]: Magic value check failed (4285) on obfuscated handshake from 203.0.113.13 port 35214', {
      dataset: 'linux.sshd',
      action: 'ssh_magic_value_failed',
      ip: '203.0.113.13',
      port: 35214,
      probe: true,
    });
  });

  it('counts the older `sshd(pam_unix)[pid]: authentication failure; … rhost=` form as a PAM failure', () => {
    expectCounted(
      'Mar  1 10:00:09 oldbox sshd(pam_unix)[4711]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=203.0.113.14  user=root',
      {
        dataset: 'linux.pam',
        action: 'pam_authentication',
        ip: '203.0.113.14',
        user: 'root',
      },
    );
  });

  it('reads `message repeated N times: [ Failed password … ]` as one event that stands for N failures', () => {
    const event = parse('Mar  1 10:00:10 web01 sshd[1209]: message repeated 4 times: [ Failed password for root from 203.0.113.15 port 50522 ssh2]');
    expect(isFailedAuthentication(event)).toBe(true);
    expect(event.source?.ip).toBe('203.0.113.15');
    expect(event.user?.name).toBe('root');
    // The Sigma engine counts an event with log.repeat_count N as N (libs/sigma, rule-set.ts).
    expect((event.log as { repeat_count?: number }).repeat_count).toBe(4);
  });

  it('gives `reverse mapping checking getaddrinfo … POSSIBLE BREAK-IN ATTEMPT` the address, but does not count it', () => {
    // fail2ban stopped counting it: a client whose reverse DNS is wrong, far more often than an attack.
    const event = parse(
      'Mar  1 10:00:11 web01 sshd[1210]: reverse mapping checking getaddrinfo for 203-0-113-16.example.net [203.0.113.16] failed - POSSIBLE BREAK-IN ATTEMPT!',
    );
    expect(isFailedAuthentication(event)).toBe(false);
    expect(event.source).toEqual({ address: '203.0.113.16', ip: '203.0.113.16', domain: '203-0-113-16.example.net' });
    expect(eventFields(event).action).toBe('ssh_reverse_mapping_mismatch');
  });

  it('gives `PAM N more authentication failures` the address, but does not count it: sshd logged each of those attempts', () => {
    const event = parse(
      'Mar  1 10:00:12 web01 sshd[1211]: PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.17  user=root',
    );
    expect(isFailedAuthentication(event)).toBe(false);
    expect(event.source?.ip).toBe('203.0.113.17');
    expect(event.user?.name).toBe('root');
    expect(eventFields(event)).toMatchObject({ dataset: 'linux.sshd', action: 'ssh_pam_failures_summary', outcome: 'failure', type: ['info'] });
  });
});
