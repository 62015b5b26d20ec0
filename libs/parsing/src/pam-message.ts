import type { EcsObject } from './ecs-fields';
import { describeEndpoint } from './network-address';

/** Fields of PAM's `logname= uid= euid= tty= ruser= rhost= [user=]` list. */
export interface PamAuthFields {
  logname?: string;
  uid?: string;
  euid?: string;
  tty?: string;
  ruser?: string;
  rhost?: string;
  user?: string;
}

const leadingKeys = ['logname', 'uid', 'euid', 'tty'] as const;

/**
 * Reads PAM's key list. `ruser` and `user` are attacker-controlled (they can contain
 * ` rhost=...`), `rhost` never contains a space; so the real `rhost=` is the first one that is
 * followed by nothing or by `user=`, and `ruser`/`user` are whatever surrounds it.
 */
export function parsePamAuthFields(text: string): PamAuthFields {
  const fields: PamAuthFields = {};
  const trimmed = text.trim();
  const ruserAt = trimmed.startsWith('ruser=') ? 0 : trimmed.indexOf(' ruser=');
  const head = ruserAt === -1 ? trimmed : trimmed.slice(0, ruserAt);
  for (const token of head.split(' ')) {
    const equals = token.indexOf('=');
    const key = token.slice(0, equals);
    const value = token.slice(equals + 1);
    if (equals > 0 && value.length > 0 && (leadingKeys as readonly string[]).includes(key)) {
      fields[key as (typeof leadingKeys)[number]] = value;
    }
  }
  const afterRuser = ruserAt === -1 ? 0 : ruserAt + (ruserAt === 0 ? 6 : 7);
  let search = afterRuser;
  for (;;) {
    const at = trimmed.indexOf('rhost=', search);
    if (at === -1) break;
    search = at + 1;
    if (at !== 0 && trimmed[at - 1] !== ' ') continue;
    const valueEnd = trimmed.indexOf(' ', at + 6);
    const rest = valueEnd === -1 ? '' : trimmed.slice(valueEnd).trimStart();
    if (rest.length > 0 && !rest.startsWith('user=')) continue;
    const rhost = trimmed.slice(at + 6, valueEnd === -1 ? trimmed.length : valueEnd);
    if (rhost.length > 0) fields.rhost = rhost;
    if (ruserAt !== -1 && at > afterRuser) {
      const ruser = trimmed.slice(afterRuser, at).trim();
      if (ruser.length > 0) fields.ruser = ruser;
    }
    const user = rest.startsWith('user=') ? rest.slice(5).trim() : '';
    if (user.length > 0) fields.user = user;
    return fields;
  }
  return fields;
}

/** `pam_unix(sshd:auth): `, `pam_unix(auth): `, `(pam_unix) `, `pam_unix: ` */
const modulePrefixPattern = /^(?:pam_([A-Za-z0-9_]+)(?:\(([^():]*)(?::([A-Za-z]+))?\))?: |\(pam_([A-Za-z0-9_]+)\) )/;
const pamTypes = new Set(['auth', 'account', 'session', 'password', 'chauthtok']);

/** True when a message is written by a PAM module (which any PAM-using program may log). */
export function isPamMessage(message: string): boolean {
  return (message.startsWith('pam_') || message.startsWith('(pam_')) && modulePrefixPattern.test(message);
}

function userBefore(text: string): string {
  const end = text.search(/[ (]/);
  return end === -1 ? text : text.slice(0, end);
}

/**
 * PAM module messages: authentication failures (with `rhost`, `ruser`, `user`), sessions opened
 * and closed, password changes. Dataset `linux.pam` whichever program logged them, so that SSH
 * rules counting `linux.sshd` attempts do not count sshd's PAM echo of the same attempt twice.
 */
export function extractPamMessage(message: string): EcsObject | undefined {
  const prefix = modulePrefixPattern.exec(message);
  if (prefix === null) return undefined;
  const pam: EcsObject = { module: `pam_${prefix[1] ?? prefix[4]}` };
  const inner = prefix[2];
  if (inner !== undefined && inner.length > 0) {
    if (prefix[3] !== undefined) {
      pam.service = inner;
      pam.type = prefix[3];
    } else if (pamTypes.has(inner)) {
      pam.type = inner;
    } else {
      pam.service = inner;
    }
  }
  const body = message.slice(prefix[0].length);
  const event: EcsObject = { module: 'linux', dataset: 'linux.pam' };
  const document: EcsObject = { event, pam };

  const authFailure = /^(?:authentication failure|(\d+) more authentication failures?); ?/.exec(body);
  if (authFailure !== null) {
    const fields = parsePamAuthFields(body.slice(authFailure[0].length));
    const isSummary = authFailure[1] !== undefined;
    event.category = ['authentication'];
    event.type = isSummary ? ['info'] : ['start'];
    event.outcome = 'failure';
    event.action = isSummary ? 'pam_authentication_failures_summary' : 'pam_authentication';
    const userName = fields.user ?? fields.ruser;
    if (userName !== undefined) document.user = { name: userName };
    if (fields.rhost !== undefined) document.source = describeEndpoint(fields.rhost);
    return document;
  }
  if (body.startsWith('check pass; user unknown')) {
    event.category = ['authentication'];
    event.type = ['info'];
    event.outcome = 'failure';
    event.action = 'pam_user_unknown';
    return document;
  }
  const session = /^session (opened|closed) for user /.exec(body);
  if (session !== null) {
    const rest = body.slice(session[0].length);
    const userName = userBefore(rest);
    const relatedUsers = [userName];
    const by = rest.indexOf(' by ');
    if (by !== -1) {
      // `by ubuntu(uid=0)`: who opened the session (the sudo invoker, or empty for sshd/cron).
      const invoker = userBefore(rest.slice(by + 4));
      if (invoker.length > 0 && invoker !== userName) relatedUsers.push(invoker);
    }
    event.category = ['session'];
    event.type = [session[1] === 'opened' ? 'start' : 'end'];
    event.outcome = 'success';
    event.action = session[1] === 'opened' ? 'pam_session_open' : 'pam_session_close';
    document.user = { name: userName };
    document.related = { user: relatedUsers };
    return document;
  }
  if (body.startsWith('password changed for ')) {
    event.category = ['iam'];
    event.type = ['user', 'change'];
    event.outcome = 'success';
    event.action = 'pam_password_changed';
    document.user = { name: body.slice('password changed for '.length).trim() };
    return document;
  }
  return document;
}
