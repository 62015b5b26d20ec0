import type { EcsObject } from './ecs-fields';
import { describeEndpoint, isHostname, parsePort } from './network-address';
import { extractPamMessage, isPamMessage, parsePamAuthFields } from './pam-message';

/**
 * OpenSSH server messages → ECS. The `event.action` values and what they mean are listed in
 * ECS-CONVENTIONS.md. Every line that fail2ban's sshd filter (in its widest, `aggressive` mode)
 * counts against an address is a failed authentication attempt here — category
 * `authentication`, type `start`, outcome `failure` — so SSH brute-force rules count them all:
 * - credential failures: a password, key or user name was tried and refused;
 * - probes (category `network` as well): the connection failed before any credential was
 *   offered — no identification string, protocol garbage, no common algorithm, a pre-auth
 *   disconnect without a user. Rules that want credential guessing only exclude `network`.
 * Lines that never name the peer (sshd logged it on an earlier line of the process), summaries of
 * attempts already logged one by one, and the reverse-DNS warning are not attempts of their own.
 */

type CredentialFailure =
  'ssh_invalid_user' | 'ssh_user_not_allowed' | 'ssh_root_login_refused' | 'ssh_pam_failure' | 'ssh_max_auth_attempts' | 'ssh_preauth_disconnect_user';

type Probe =
  'ssh_disconnect_preauth' | 'ssh_bad_protocol' | 'ssh_negotiation_failed' | 'ssh_magic_value_failed' | 'ssh_auth_timeout' | 'ssh_connection_refused';

type SshdAction =
  | 'ssh_login'
  | 'ssh_login_pending'
  | CredentialFailure
  | Probe
  | 'ssh_publickey_rejected'
  | 'ssh_pam_failures_summary'
  | 'ssh_too_many_failures'
  | 'ssh_protocol_error'
  | 'ssh_connection_open'
  | 'ssh_connection_close'
  | 'ssh_client_disconnect_preauth'
  | 'ssh_reverse_mapping_mismatch';

const credentialFailure = { category: ['authentication'], type: ['start'], outcome: 'failure' } as const;
const probe = { category: ['authentication', 'network'], type: ['start', 'connection'], outcome: 'failure' } as const;
const protocolProbe = { category: ['authentication', 'network'], type: ['start', 'protocol'], outcome: 'failure' } as const;

const categorisation: Record<SshdAction, { category: readonly string[]; type: readonly string[]; outcome?: 'failure' }> = {
  ssh_login: { category: ['authentication'], type: ['start'] },
  ssh_login_pending: { category: ['authentication'], type: ['info'] },
  ssh_invalid_user: credentialFailure,
  ssh_user_not_allowed: credentialFailure,
  ssh_root_login_refused: credentialFailure,
  ssh_pam_failure: credentialFailure,
  ssh_max_auth_attempts: credentialFailure,
  ssh_preauth_disconnect_user: credentialFailure,
  ssh_disconnect_preauth: probe,
  ssh_auth_timeout: probe,
  ssh_connection_refused: { category: ['authentication', 'network'], type: ['start', 'connection', 'denied'], outcome: 'failure' },
  ssh_bad_protocol: protocolProbe,
  ssh_negotiation_failed: protocolProbe,
  ssh_magic_value_failed: protocolProbe,
  // A client trying its keys one by one logs a failure per key before it succeeds: not an attack.
  ssh_publickey_rejected: { category: ['authentication'], type: ['info'], outcome: 'failure' },
  // `PAM N more authentication failures`: sshd logged each of those attempts as `Failed ...`.
  ssh_pam_failures_summary: { category: ['authentication'], type: ['info'], outcome: 'failure' },
  // `Disconnecting ...: Too many authentication failures`: the end of attempts already logged.
  ssh_too_many_failures: { category: ['authentication'], type: ['info'], outcome: 'failure' },
  // kex_exchange_identification, Read from socket failed, ...: the peer is on an earlier line.
  ssh_protocol_error: { category: ['network'], type: ['protocol'], outcome: 'failure' },
  ssh_connection_open: { category: ['network'], type: ['connection', 'start'] },
  ssh_connection_close: { category: ['network'], type: ['connection', 'end'] },
  ssh_client_disconnect_preauth: { category: ['network'], type: ['connection', 'end'], outcome: 'failure' },
  // The client's reverse DNS does not match: a DNS setup problem far more often than an attack.
  ssh_reverse_mapping_mismatch: { category: ['network'], type: ['info'] },
};

interface SshdDetails {
  outcome?: 'success' | 'failure';
  user?: string;
  host?: string;
  port?: number;
  method?: string;
  reason?: string;
}

function sshdEvent(action: SshdAction, details: SshdDetails = {}): EcsObject {
  const rule = categorisation[action];
  const hasPeer = details.host !== undefined && details.host.length > 0;
  // An attempt is counted against its peer; a line that does not name one (`User root not allowed
  // because account is locked`) is a notice about an attempt that other lines attribute.
  const isAttempt = rule.outcome === 'failure' && rule.type.includes('start');
  const attributable = hasPeer || !isAttempt;
  const event: EcsObject = {
    module: 'linux',
    dataset: 'linux.sshd',
    category: attributable ? [...rule.category] : ['authentication'],
    type: attributable ? [...rule.type] : ['info'],
    action,
  };
  const outcome = details.outcome ?? rule.outcome;
  if (outcome !== undefined) event.outcome = outcome;
  if (details.reason !== undefined) event.reason = details.reason;
  const document: EcsObject = { event };
  if (hasPeer) document.source = describeEndpoint(details.host as string, details.port);
  if (details.user !== undefined && details.user.length > 0) document.user = { name: details.user };
  if (details.method !== undefined) document.ssh = { method: details.method };
  return document;
}

interface FromClause {
  before: string;
  host: string;
  port?: number;
}

/**
 * Splits `<user> from <host>[ port <n>][ ssh2][: <info>]`. The user of an invalid login is
 * attacker-controlled and may itself contain ` from 10.0.0.1 port 1 ssh2`, so we take the
 * leftmost ` from ` whose tail is well-formed (only ` port`, protocol, then end or `: `).
 */
function splitFrom(text: string, allowTrailingVia = false): FromClause | undefined {
  let search = 0;
  for (;;) {
    const at = text.indexOf('from ', search);
    if (at === -1) return undefined;
    search = at + 1;
    if (at > 0 && text.charCodeAt(at - 1) !== 0x20) continue;
    const hostStart = at + 5;
    const space = text.indexOf(' ', hostStart);
    const hostEnd = space === -1 ? text.length : space;
    if (hostEnd === hostStart) continue;
    const tail = readTail(text, hostEnd, allowTrailingVia);
    if (tail === undefined) continue;
    return { before: at === 0 ? '' : text.slice(0, at - 1), host: text.slice(hostStart, hostEnd), port: tail.port };
  }
}

function readTail(text: string, position: number, allowTrailingVia: boolean): { port?: number } | undefined {
  let cursor = position;
  let port: number | undefined;
  if (text.startsWith(' port ', cursor)) {
    const digitsStart = cursor + 6;
    cursor = digitsStart;
    while (cursor < text.length && text.charCodeAt(cursor) >= 48 && text.charCodeAt(cursor) <= 57) cursor++;
    port = parsePort(text.slice(digitsStart, cursor));
    if (port === undefined) return undefined;
  }
  if (text.startsWith(' ssh', cursor)) {
    cursor += 4;
    while (cursor < text.length && text.charCodeAt(cursor) >= 48 && text.charCodeAt(cursor) <= 57) cursor++;
  }
  if (cursor === text.length || text.startsWith(': ', cursor)) return { port };
  if (allowTrailingVia && text.startsWith(' via ', cursor) && text.indexOf(' ', cursor + 5) === -1) return { port };
  return undefined;
}

/** `<something> <host> port <n>` read from the right: the host is the last word before ` port`. */
function splitHostPortAtEnd(text: string): { before: string; host: string; port?: number } | undefined {
  let host = text;
  let port: number | undefined;
  const portAt = text.lastIndexOf(' port ');
  if (portAt !== -1) {
    port = parsePort(text.slice(portAt + 6));
    if (port !== undefined) host = text.slice(0, portAt);
  }
  const space = host.lastIndexOf(' ');
  const before = space === -1 ? '' : host.slice(0, space);
  host = host.slice(space + 1);
  return host.length > 0 ? { before, host, port } : undefined;
}

/** `Failed password for [invalid user ]root from 1.2.3.4 port 22 ssh2` and its siblings. */
function authenticationResult(verb: string, text: string): EcsObject | undefined {
  const methodEnd = text.indexOf(' for ');
  if (methodEnd === -1) return undefined;
  const method = text.slice(0, methodEnd);
  const userStart = methodEnd + 5;
  // `invalid user ` and `illegal user ` are equally long.
  const invalid = text.startsWith('invalid user ', userStart) || text.startsWith('illegal user ', userStart);
  const clause = splitFrom(text.slice(invalid ? userStart + 13 : userStart));
  if (clause === undefined) return undefined;
  const details: SshdDetails = { user: clause.before, host: clause.host, port: clause.port, method };
  if (verb === 'Accepted') {
    details.outcome = 'success';
    return sshdEvent('ssh_login', details);
  }
  if (verb === 'Failed') {
    // A client offering several keys logs one failure per key before it succeeds: not an attack.
    if (method === 'publickey' && !invalid) return sshdEvent('ssh_publickey_rejected', details);
    details.outcome = 'failure';
    return sshdEvent('ssh_login', details);
  }
  return sshdEvent('ssh_login_pending', details);
}

/** `Connection closed by [authenticating|invalid user <u> ]<host> port <n>` and similar. */
function connectionEnded(text: string, preauth: boolean, reason: string): EcsObject | undefined {
  const withUser = /^(?:authenticating|invalid) user /.exec(text);
  const split = splitHostPortAtEnd(withUser === null ? text : text.slice(withUser[0].length));
  if (split === undefined) return undefined;
  const user = withUser === null ? undefined : split.before;
  if (withUser === null && split.before.length > 0) return undefined;
  // A user named: the client gave up (or was cut off) during authentication. No user but
  // `[preauth]`: it left before offering any credential (a scanner, a banner grabber).
  const action: SshdAction = withUser !== null ? 'ssh_preauth_disconnect_user' : preauth ? 'ssh_disconnect_preauth' : 'ssh_connection_close';
  return sshdEvent(action, { user, host: split.host, port: split.port, reason });
}

function receivedDisconnect(text: string, preauth: boolean): EcsObject | undefined {
  // `<host>: 11: Bye` or `<host> port <n>:11: Bye`; an IPv6 host never contains ': '.
  const portAt = text.indexOf(' port ');
  const colon = text.indexOf(':', portAt === -1 ? 0 : portAt);
  let host: string;
  let port: number | undefined;
  let detail: string;
  if (portAt !== -1 && colon !== -1 && !text.slice(0, portAt).includes(' ')) {
    host = text.slice(0, portAt);
    port = parsePort(text.slice(portAt + 6, colon));
    detail = text.slice(colon + 1);
  } else {
    const separator = text.indexOf(': ');
    if (separator === -1) return undefined;
    host = text.slice(0, separator);
    detail = text.slice(separator + 2);
  }
  const reason = detail.replace(/^\s*\d+:\s*/, '').trim();
  const authFailed = /Auth fail|No (?:supported )?authentication methods available/.test(reason);
  // The client's own goodbye (`11: Bye Bye [preauth]`) precedes sshd's `Disconnected from ...
  // [preauth]` for the same connection, which is the line counted (as fail2ban does).
  const action: SshdAction = authFailed ? 'ssh_preauth_disconnect_user' : preauth ? 'ssh_client_disconnect_preauth' : 'ssh_connection_close';
  return sshdEvent(action, { host, port, reason: reason.length > 0 ? reason : undefined });
}

/** `Disconnecting invalid user xxx 192.0.2.7 port 49941: Too many authentication failures` */
function disconnectingUser(text: string): EcsObject | undefined {
  const portPattern = / port (\d{1,5}): /g;
  for (let match = portPattern.exec(text); match !== null; match = portPattern.exec(text)) {
    const split = splitHostPortAtEnd(text.slice(0, match.index));
    if (split === undefined) continue;
    const reason = text.slice(match.index + match[0].length);
    // `Too many authentication failures` ends attempts that were each logged already.
    const action: SshdAction = reason.startsWith('Too many authentication failures') ? 'ssh_too_many_failures' : 'ssh_preauth_disconnect_user';
    return sshdEvent(action, { user: split.before, host: split.host, port: parsePort(match[1]), reason });
  }
  return undefined;
}

/** `reverse mapping checking getaddrinfo for <name> [<ip>] failed[ - POSSIBLE BREAK-IN ATTEMPT!]` */
function reverseMappingFailed(text: string): EcsObject | undefined {
  const match = /^mapping checking getaddrinfo for (\S+) \[([^\]\s]+)\] failed/.exec(text);
  if (match === null) return undefined;
  const document = sshdEvent('ssh_reverse_mapping_mismatch', { host: match[2], reason: 'reverse mapping check failed' });
  const source = document.source as EcsObject;
  if (source.ip !== undefined && isHostname(match[1])) source.domain = match[1];
  return document;
}

function connectionFrom(text: string, action: SshdAction): EcsObject | undefined {
  // `Connection from <host> port <n>: <detail>` (banner exchange, ssh_dispatch_run_fatal)
  const match = /^Connection from (\S+) port (\d{1,5})(?:: (.*))?$/.exec(text);
  if (match === null) return undefined;
  return sshdEvent(action, { host: match[1], port: parsePort(match[2]), reason: match[3] });
}

function clauseDetails(clause: FromClause): SshdDetails {
  return { user: clause.before, host: clause.host, port: clause.port };
}

const pamFailurePattern = /^(?:authentication (?:failure|error)|User not known to the underlying authentication module) for (?:illegal user |invalid user )?/i;

function afterPrefix(text: string, prefix: string): string | undefined {
  return text.startsWith(prefix) ? text.slice(prefix.length) : undefined;
}

// journald may keep a kernel timestamp: `kernel:[  970.699396]: Failed ...`, `kernel: [1.2] Failed`
const kernelTimestampPattern = /^kernel: ?\[\s*\d+\.\d+\]:? /;

function stripPrefixes(message: string): { text: string; preauth: boolean } {
  let text = message;
  const kernelTimestamp = kernelTimestampPattern.exec(text);
  if (kernelTimestamp !== null) text = text.slice(kernelTimestamp[0].length);
  if (text.startsWith('error: ') || text.startsWith('fatal: ')) text = text.slice(7);
  if (text.startsWith('[ID ')) {
    // Solaris: `[ID 800047 auth.info] Failed ...`
    const close = text.indexOf('] ');
    if (close !== -1) text = text.slice(close + 2);
  }
  text = text.trimEnd();
  const preauth = text.endsWith(' [preauth]');
  if (preauth) text = text.slice(0, -10).trimEnd();
  return { text, preauth };
}

/** Recognises one sshd message; undefined when it carries nothing we categorise. */
export function extractSshdMessage(message: string): EcsObject | undefined {
  if (isPamMessage(message)) return extractPamMessage(message);
  const { text, preauth } = stripPrefixes(message);
  const firstSpace = text.indexOf(' ');
  const firstWord = firstSpace === -1 ? text : text.slice(0, firstSpace);
  const rest = firstSpace === -1 ? '' : text.slice(firstSpace + 1);

  switch (firstWord) {
    case 'Accepted':
    case 'Failed':
    case 'Postponed':
    case 'Partial':
      return authenticationResult(firstWord, rest);
    case 'Invalid':
    case 'Illegal': {
      const user = afterPrefix(rest, 'user ');
      const clause = user === undefined ? undefined : splitFrom(user);
      return clause === undefined ? undefined : sshdEvent('ssh_invalid_user', clauseDetails(clause));
    }
    case 'User': {
      const match = /^(\S+)(?: from (\S+))? not allowed because (.+)$/.exec(rest);
      return match === null ? undefined : sshdEvent('ssh_user_not_allowed', { user: match[1], host: match[2], reason: match[3] });
    }
    case 'ROOT': {
      const match = /^LOGIN REFUSED FROM (\S+)(?: port (\d{1,5}))?$/.exec(rest);
      if (match === null) return undefined;
      return sshdEvent('ssh_root_login_refused', { user: 'root', host: match[1], port: parsePort(match[2]) });
    }
    case 'refused': {
      // TCP wrappers: `refused connect from <name>@<addr> (<addr>)`
      const match = /^connect from (\S+)(?: \(([^()\s]+)\))?$/.exec(rest);
      return match === null ? undefined : sshdEvent('ssh_connection_refused', { host: match[2] ?? match[1] });
    }
    case 'PAM:': {
      const match = pamFailurePattern.exec(rest);
      const clause = match === null ? undefined : splitFrom(rest.slice(match[0].length), true);
      return clause === undefined ? undefined : sshdEvent('ssh_pam_failure', clauseDetails(clause));
    }
    case 'PAM': {
      const match = /^\d+ more authentication failures?; (.*)$/.exec(rest);
      if (match === null) return undefined;
      const fields = parsePamAuthFields(match[1]);
      return sshdEvent('ssh_pam_failures_summary', { user: fields.user ?? fields.ruser, host: fields.rhost });
    }
    case 'Received': {
      const from = afterPrefix(rest, 'disconnect from ');
      return from === undefined ? undefined : receivedDisconnect(from, preauth);
    }
    case 'Disconnected': {
      const from = afterPrefix(rest, 'from ');
      return from === undefined ? undefined : connectionEnded(from, preauth, 'disconnected');
    }
    case 'Connection': {
      const closedBy = afterPrefix(rest, 'closed by ');
      if (closedBy !== undefined) return connectionEnded(closedBy, preauth, 'connection closed');
      const resetBy = afterPrefix(rest, 'reset by ');
      if (resetBy !== undefined) return connectionEnded(resetBy, preauth, 'connection reset');
      const opened = /^from (\S+) port (\d{1,5}) on (\S+) port (\d{1,5})/.exec(rest);
      if (opened !== null) {
        const document = sshdEvent('ssh_connection_open', { host: opened[1], port: parsePort(opened[2]) });
        document.destination = describeEndpoint(opened[3], parsePort(opened[4]));
        return document;
      }
      return /^from (\S+)$/.test(rest) ? sshdEvent('ssh_connection_open', { host: rest.slice(5) }) : undefined;
    }
    case 'Disconnecting:': {
      if (!rest.startsWith('Too many authentication failures')) return undefined;
      const forUser = /^Too many authentication failures for (?:invalid user )?(.+)$/.exec(rest);
      return sshdEvent('ssh_too_many_failures', { user: forUser?.[1], reason: 'Too many authentication failures' });
    }
    case 'Disconnecting': {
      const user = afterPrefix(rest, 'invalid user ') ?? afterPrefix(rest, 'authenticating user ');
      return user === undefined ? undefined : disconnectingUser(user);
    }
    case 'maximum': {
      let forText = afterPrefix(rest, 'authentication attempts exceeded for ');
      if (forText === undefined) return undefined;
      forText = afterPrefix(forText, 'invalid user ') ?? forText;
      const clause = splitFrom(forText);
      const reason = 'maximum authentication attempts exceeded';
      return clause === undefined ? undefined : sshdEvent('ssh_max_auth_attempts', { ...clauseDetails(clause), reason });
    }
    case 'Did': {
      const match = /^not receive identification string from (\S+)(?: port (\d{1,5}))?$/.exec(rest);
      const reason = 'no identification string';
      return match === null ? undefined : sshdEvent('ssh_bad_protocol', { host: match[1], port: parsePort(match[2]), reason });
    }
    case 'Bad': {
      const identification = afterPrefix(rest, 'protocol version identification ');
      const clause = identification === undefined ? undefined : splitFrom(identification);
      const reason = 'bad protocol version identification';
      return clause === undefined ? undefined : sshdEvent('ssh_bad_protocol', { host: clause.host, port: clause.port, reason });
    }
    case 'Unable': {
      const match = /^to negotiate with (\S+) port (\d{1,5}): (.*)$/.exec(rest);
      if (match !== null) {
        return sshdEvent('ssh_negotiation_failed', { host: match[1], port: parsePort(match[2]), reason: match[3] });
      }
      // `Unable to negotiate a key exchange method`: the peer is on an earlier line.
      return rest.startsWith('to negotiate') ? sshdEvent('ssh_protocol_error', { reason: rest.slice(3) }) : undefined;
    }
    case 'no':
      return rest.startsWith('matching ') ? sshdEvent('ssh_protocol_error', { reason: text }) : undefined;
    case 'Timeout': {
      const target = afterPrefix(rest, 'before authentication for ');
      if (target === undefined) return undefined;
      const reason = 'timeout before authentication';
      const viaConnection = /^connection from (\S+) to /.exec(target);
      if (viaConnection !== null) return sshdEvent('ssh_auth_timeout', { host: viaConnection[1], reason });
      const split = /^(\S+)(?: port (\d{1,5}))?$/.exec(target);
      return split === null ? undefined : sshdEvent('ssh_auth_timeout', { host: split[1], port: parsePort(split[2]), reason });
    }
    case 'banner': {
      const exchange = afterPrefix(rest, 'exchange: ');
      return exchange === undefined ? undefined : connectionFrom(exchange, 'ssh_bad_protocol');
    }
    case 'ssh_dispatch_run_fatal:':
      return connectionFrom(rest, 'ssh_bad_protocol');
    case 'kex_exchange_identification:':
      return sshdEvent('ssh_protocol_error', { reason: rest });
    case 'Read':
      return rest.startsWith('from socket failed') ? sshdEvent('ssh_protocol_error', { reason: text }) : undefined;
    case 'Magic': {
      // Obfuscated-handshake OpenSSH builds: `Magic value check failed (N) on obfuscated handshake from H port P`
      const match = /^value check failed \(\d+\) on obfuscated handshake from (\S+)(?: port (\d{1,5}))?$/.exec(rest);
      const reason = 'magic value check failed';
      return match === null ? undefined : sshdEvent('ssh_magic_value_failed', { host: match[1], port: parsePort(match[2]), reason });
    }
    case 'reverse':
      return reverseMappingFailed(rest);
    case 'Address': {
      const match = /^(\S+) maps to \S+, but this does not map back to the address/.exec(rest);
      return match === null ? undefined : sshdEvent('ssh_reverse_mapping_mismatch', { host: match[1] });
    }
    default:
      return undefined;
  }
}
