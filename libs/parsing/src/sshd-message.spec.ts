import type { EcsObject } from './ecs-fields';
import { extractSshdMessage } from './sshd-message';

/** How the SSH rules count a line: a credential failure, a probe (failed before any credential), or not at all. */
type Counted = 'credential' | 'probe';

interface Expected {
  action: string;
  counted?: Counted;
  outcome?: string;
  host?: string;
  port?: number;
  user?: string;
}

function summary(message: string): Expected | undefined {
  const fields = extractSshdMessage(message);
  if (fields === undefined) return undefined;
  const event = fields.event as EcsObject;
  const source = fields.source as EcsObject | undefined;
  const result: Expected = { action: event.action as string };
  const category = event.category as string[];
  const isAttempt = category.includes('authentication') && (event.type as string[]).includes('start') && event.outcome === 'failure';
  if (isAttempt) result.counted = category.includes('network') ? 'probe' : 'credential';
  if (event.outcome !== undefined) result.outcome = event.outcome as string;
  if (source !== undefined) result.host = (source.ip ?? source.domain ?? source.address) as string;
  if (source?.port !== undefined) result.port = source.port as number;
  const user = fields.user as EcsObject | undefined;
  if (user !== undefined) result.user = user.name as string;
  return result;
}

const credential = { counted: 'credential', outcome: 'failure' } as const;
const probe = { counted: 'probe', outcome: 'failure' } as const;

describe(extractSshdMessage.name, () => {
  it('marks a failed password as a failed ssh_login: category authentication, type start', () => {
    expect(extractSshdMessage('Failed password for invalid user pi from 181.25.206.27 port 50378 ssh2')).toEqual({
      event: { module: 'linux', dataset: 'linux.sshd', category: ['authentication'], type: ['start'], action: 'ssh_login', outcome: 'failure' },
      source: { address: '181.25.206.27', ip: '181.25.206.27', port: 50378 },
      user: { name: 'pi' },
      ssh: { method: 'password' },
    });
  });

  it('gives an invalid user the same ECS fields as a failed password, so brute-force rules count both', () => {
    expect(extractSshdMessage('Invalid user admin from 192.0.2.117 port 44004')).toEqual({
      event: { module: 'linux', dataset: 'linux.sshd', category: ['authentication'], type: ['start'], action: 'ssh_invalid_user', outcome: 'failure' },
      source: { address: '192.0.2.117', ip: '192.0.2.117', port: 44004 },
      user: { name: 'admin' },
    });
  });

  it('marks a probe as a failed authentication that is also a network event', () => {
    expect(extractSshdMessage('Did not receive identification string from 192.0.2.5 port 35836')).toEqual({
      event: {
        module: 'linux',
        dataset: 'linux.sshd',
        category: ['authentication', 'network'],
        type: ['start', 'protocol'],
        action: 'ssh_bad_protocol',
        outcome: 'failure',
        reason: 'no identification string',
      },
      source: { address: '192.0.2.5', ip: '192.0.2.5', port: 35836 },
    });
  });

  it.each<[string, Expected]>([
    // credential failures
    [
      'Accepted publickey for ubuntu from 85.245.107.41 port 54259 ssh2: RSA SHA256:Kl8kPGZrTiz7g4FO1hyqHdsSBBb5Fge6NWOobN03XJg',
      { action: 'ssh_login', outcome: 'success', host: '85.245.107.41', port: 54259, user: 'ubuntu' },
    ],
    ['Failed password for root from aaaa:bbbb:cccc:1234::1:1', { action: 'ssh_login', ...credential, host: 'aaaa:bbbb:cccc:1234::1:1', user: 'root' }],
    [
      'Failed keyboard-interactive/pam for invalid user jamedds from 205.186.180.77 port 33723 ssh2',
      { action: 'ssh_login', ...credential, host: '205.186.180.77', port: 33723, user: 'jamedds' },
    ],
    [
      'Failed publickey for invalid user graysky from 127.0.0.1 port 37954 ssh2: RSA SHA256:v3',
      { action: 'ssh_login', ...credential, host: '127.0.0.1', port: 37954, user: 'graysky' },
    ],
    ['Invalid user admin from 192.0.2.117 port 44004', { action: 'ssh_invalid_user', ...credential, host: '192.0.2.117', port: 44004, user: 'admin' }],
    ['Invalid user  from 192.0.2.68 port 34916', { action: 'ssh_invalid_user', ...credential, host: '192.0.2.68', port: 34916 }],
    ['Illegal user test from 192.0.2.69', { action: 'ssh_invalid_user', ...credential, host: '192.0.2.69', user: 'test' }],
    [
      'User root from example.com not allowed because not listed in AllowUsers',
      { action: 'ssh_user_not_allowed', ...credential, host: 'example.com', user: 'root' },
    ],
    ['ROOT LOGIN REFUSED FROM ::ffff:1.2.3.4', { action: 'ssh_root_login_refused', ...credential, host: '1.2.3.4', user: 'root' }],
    [
      'error: PAM: authentication error for james from example.com via 192.168.1.201',
      { action: 'ssh_pam_failure', ...credential, host: 'example.com', user: 'james' },
    ],
    [
      'error: PAM: User not known to the underlying authentication module for illegal user kernelitshell from 10.215.4.227',
      { action: 'ssh_pam_failure', ...credential, host: '10.215.4.227', user: 'kernelitshell' },
    ],
    [
      'error: maximum authentication attempts exceeded for invalid user xxx from 192.0.2.7 port 49941 ssh2 [preauth]',
      { action: 'ssh_max_auth_attempts', ...credential, host: '192.0.2.7', port: 49941, user: 'xxx' },
    ],
    [
      'Connection closed by authenticating user test 127.0.0.1 192.0.2.11 port 46039 [preauth]',
      { action: 'ssh_preauth_disconnect_user', ...credential, host: '192.0.2.11', port: 46039, user: 'test 127.0.0.1' },
    ],
    [
      'Connection closed by invalid user admin 192.0.2.12 port 46040 [preauth]',
      { action: 'ssh_preauth_disconnect_user', ...credential, host: '192.0.2.12', port: 46040, user: 'admin' },
    ],
    [
      'Connection reset by authenticating user root 192.0.2.20 port 1558 [preauth]',
      { action: 'ssh_preauth_disconnect_user', ...credential, host: '192.0.2.20', port: 1558, user: 'root' },
    ],
    [
      'Disconnected from invalid user oracle 192.0.2.21 port 50002 [preauth]',
      { action: 'ssh_preauth_disconnect_user', ...credential, host: '192.0.2.21', port: 50002, user: 'oracle' },
    ],
    [
      'Disconnected from authenticating user root 192.0.2.6 port 33553 [preauth]',
      { action: 'ssh_preauth_disconnect_user', ...credential, host: '192.0.2.6', port: 33553, user: 'root' },
    ],
    [
      'Disconnecting invalid user admin 192.0.2.117 port 44004: Change of username or service not allowed: (admin,ssh-connection) -> (user,ssh-connection) [preauth]',
      { action: 'ssh_preauth_disconnect_user', ...credential, host: '192.0.2.117', port: 44004, user: 'admin' },
    ],
    [
      'Received disconnect from 89.24.13.192: 3: com.jcraft.jsch.JSchException: Auth fail',
      { action: 'ssh_preauth_disconnect_user', ...credential, host: '89.24.13.192' },
    ],
    [
      'error: Received disconnect from 192.168.2.92 port 1684:14: No supported authentication methods available [preauth]',
      { action: 'ssh_preauth_disconnect_user', ...credential, host: '192.168.2.92', port: 1684 },
    ],
    // probes: the connection failed before any credential was offered
    [
      'refused connect from _U2FsdGVk=_@::ffff:218.249.210.161 (::ffff:218.249.210.161)',
      { action: 'ssh_connection_refused', ...probe, host: '218.249.210.161' },
    ],
    ['Connection closed by 192.0.2.212 [preauth]', { action: 'ssh_disconnect_preauth', ...probe, host: '192.0.2.212' }],
    ['Connection reset by 192.0.2.39 port 14282 [preauth]', { action: 'ssh_disconnect_preauth', ...probe, host: '192.0.2.39', port: 14282 }],
    ['Disconnected from 192.0.2.4 port 36985 [preauth]', { action: 'ssh_disconnect_preauth', ...probe, host: '192.0.2.4', port: 36985 }],
    ['Did not receive identification string from 69.61.56.114', { action: 'ssh_bad_protocol', ...probe, host: '69.61.56.114' }],
    [
      "Bad protocol version identification 'GET / HTTP/1.1' from 198.51.100.2 port 40060",
      { action: 'ssh_bad_protocol', ...probe, host: '198.51.100.2', port: 40060 },
    ],
    ['banner exchange: Connection from 192.0.2.12 port 44105: invalid format', { action: 'ssh_bad_protocol', ...probe, host: '192.0.2.12', port: 44105 }],
    [
      'ssh_dispatch_run_fatal: Connection from 192.0.2.13 port 33738: message authentication code incorrect [preauth]',
      { action: 'ssh_bad_protocol', ...probe, host: '192.0.2.13', port: 33738 },
    ],
    [
      'fatal: Unable to negotiate with 192.0.2.2 port 55419: no matching key exchange method found.',
      { action: 'ssh_negotiation_failed', ...probe, host: '192.0.2.2', port: 55419 },
    ],
    [
      'Magic value check failed (4285) on obfuscated handshake from 185.81.157.1 port 35214',
      { action: 'ssh_magic_value_failed', ...probe, host: '185.81.157.1', port: 35214 },
    ],
    ['fatal: Timeout before authentication for 192.0.2.14 port 55555', { action: 'ssh_auth_timeout', ...probe, host: '192.0.2.14', port: 55555 }],
    ['Timeout before authentication for connection from 192.0.2.17 to 127.0.0.1, pid = 29098', { action: 'ssh_auth_timeout', ...probe, host: '192.0.2.17' }],
    // not counted: a legitimate user's keys, summaries of attempts logged one by one, lines without the peer
    [
      'Failed publickey for git from 192.0.2.1 port 57904 ssh2: ECDSA 0e:ff',
      { action: 'ssh_publickey_rejected', outcome: 'failure', host: '192.0.2.1', port: 57904, user: 'git' },
    ],
    ['Postponed publickey for git from 192.0.2.1 port 57904 ssh2 [preauth]', { action: 'ssh_login_pending', host: '192.0.2.1', port: 57904, user: 'git' }],
    [
      'PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=116.31.116.17  user=root',
      { action: 'ssh_pam_failures_summary', outcome: 'failure', host: '116.31.116.17', user: 'root' },
    ],
    ['Disconnecting: Too many authentication failures for root [preauth]', { action: 'ssh_too_many_failures', outcome: 'failure', user: 'root' }],
    [
      'Disconnecting invalid user xxx 192.0.2.7 port 49941: Too many authentication failures [preauth]',
      { action: 'ssh_too_many_failures', outcome: 'failure', host: '192.0.2.7', port: 49941, user: 'xxx' },
    ],
    ['User root not allowed because account is locked', { action: 'ssh_user_not_allowed', outcome: 'failure', user: 'root' }],
    ['error: kex_exchange_identification: Connection closed by remote host', { action: 'ssh_protocol_error', outcome: 'failure' }],
    ['fatal: Unable to negotiate a key exchange method [preauth]', { action: 'ssh_protocol_error', outcome: 'failure' }],
    ['fatal: Read from socket failed: Connection reset by peer [preauth]', { action: 'ssh_protocol_error', outcome: 'failure' }],
    ['Connection closed by 192.0.2.5', { action: 'ssh_connection_close', host: '192.0.2.5' }],
    ['Received disconnect from 2001:db8::1: 11: Bye Bye [preauth]', { action: 'ssh_client_disconnect_preauth', outcome: 'failure', host: '2001:db8::1' }],
    ['Received disconnect from 10.0.0.1 port 7736:11: disconnected by user', { action: 'ssh_connection_close', host: '10.0.0.1', port: 7736 }],
    ['Connection from 192.0.2.5 port 51353 on 127.0.0.1 port 22', { action: 'ssh_connection_open', host: '192.0.2.5', port: 51353 }],
    [
      'Address 1.2.3.4 maps to x.example.com, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT!',
      { action: 'ssh_reverse_mapping_mismatch', host: '1.2.3.4' },
    ],
    [
      'reverse mapping checking getaddrinfo for 1-2-3-4.example.com [1.2.3.4] failed - POSSIBLE BREAK-IN ATTEMPT!',
      { action: 'ssh_reverse_mapping_mismatch', host: '1.2.3.4' },
    ],
    // prefixes
    [
      '[ID 800047 auth.info] Failed keyboard-interactive for <invalid username> from 205.186.180.55 port 42742 ssh2',
      { action: 'ssh_login', ...credential, host: '205.186.180.55', port: 42742, user: '<invalid username>' },
    ],
    [
      'kernel:[  970.699396]: Failed password for root from 192.0.2.9 port 1 ssh2',
      { action: 'ssh_login', ...credential, host: '192.0.2.9', port: 1, user: 'root' },
    ],
  ])('%s', (message, expected) => {
    expect(summary(message)).toEqual(expected);
  });

  it('keeps the reverse-DNS name of a failed reverse mapping beside the address', () => {
    expect(extractSshdMessage('reverse mapping checking getaddrinfo for host.example.com [192.0.2.50] failed - POSSIBLE BREAK-IN ATTEMPT!')?.source).toEqual({
      address: '192.0.2.50',
      ip: '192.0.2.50',
      domain: 'host.example.com',
    });
  });

  it('takes the real host when an invalid user name carries a fake " from ... port ... ssh2"', () => {
    expect(summary('Failed password for invalid user test from 10.10.1.2 port 55555 ssh2 from 127.0.0.1 port 58946 ssh2')).toMatchObject({
      host: '127.0.0.1',
      user: 'test from 10.10.1.2 port 55555 ssh2',
    });
    expect(summary('Failed password for invalid user from 10.10.1.1 from 127.0.0.1 port 58946 ssh2')).toMatchObject({ host: '127.0.0.1' });
    expect(summary("Bad protocol version identification 'x' from 192.0.2.1' from 69.61.56.115 port 31778")).toMatchObject({ host: '69.61.56.115' });
  });

  it('ignores text after the protocol (auth info, ruser)', () => {
    expect(summary('Failed password for invalid user test from 127.0.0.1 port 58946 ssh2: from 10.10.1.2 port 55555 ssh2')).toMatchObject({
      host: '127.0.0.1',
      user: 'test',
    });
    expect(summary('Failed password for user from 127.0.0.1 port 20000 ssh1: ruser from 1.2.3.4')).toMatchObject({ host: '127.0.0.1' });
  });

  it('hands PAM module messages to the PAM extractor (dataset linux.pam)', () => {
    expect(
      (extractSshdMessage('pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4')?.event as EcsObject).dataset,
    ).toBe('linux.pam');
  });

  it('leaves messages it does not categorise alone', () => {
    expect(extractSshdMessage('Server listening on 0.0.0.0 port 22.')).toBeUndefined();
    expect(extractSshdMessage('input_userauth_request: invalid user admin [preauth]')).toBeUndefined();
    expect(extractSshdMessage('Failed password')).toBeUndefined();
  });
});
