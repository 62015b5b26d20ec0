import { formatUtcTimestamp } from './calendar';
import type { EcsObject } from './ecs-fields';
import { isHostname, normaliseIp } from './network-address';

/**
 * Linux audit records (auditd's `/var/log/audit/audit.log`, audisp-syslog, or the kernel's
 * `audit: ` lines in the journal): `[node=N ]type=USER_AUTH msg=audit(1373129280.000:9): pid=...
 * msg='op=pubkey acct="root" exe="/usr/sbin/sshd" hostname=? addr=194.228.20.113 terminal=ssh
 * res=failed'`. The user-space authentication records (USER_AUTH, USER_ERR, USER_LOGIN, ...) become
 * ECS authentication events; every record keeps its fields under `auditd.log` as Elastic's auditd
 * module does.
 */

// `audit: ` is the kernel's prefix when the record reaches the journal/syslog instead of auditd.
const headerPattern = /^(?:audit: )?(?:node=(\S{1,255}) )?type=([A-Z0-9_]{1,40}) (?:msg=)?audit\((\d{1,12})\.(\d{3}):(\d{1,20})\):[ \x1d]?/;

/** The kernel logs record types by number (include/uapi/linux/audit.h) when auditd is not running. */
const recordTypeNames: Record<string, string> = {
  '1100': 'USER_AUTH',
  '1101': 'USER_ACCT',
  '1103': 'CRED_ACQ',
  '1104': 'CRED_DISP',
  '1105': 'USER_START',
  '1106': 'USER_END',
  '1109': 'USER_ERR',
  '1112': 'USER_LOGIN',
  '1113': 'USER_LOGOUT',
  '1130': 'SERVICE_START',
  '1131': 'SERVICE_STOP',
  '1300': 'SYSCALL',
  '1302': 'PATH',
  '1307': 'CWD',
  '1309': 'EXECVE',
  '1327': 'PROCTITLE',
};

/**
 * How each user-space record is categorised. USER_AUTH is the credential check and USER_ERR a
 * PAM error before one (`op=PAM:bad_ident`: the client never identified): each is one attempt.
 * A failed USER_LOGIN repeats the attempt that USER_AUTH or USER_ERR already reported for the same
 * connection, so it is a notice (type info), as fail2ban's selinux-ssh filter also leaves it out.
 */
const categorisation: Record<string, { category: string[]; success: string[]; failure: string[] }> = {
  USER_AUTH: { category: ['authentication'], success: ['start'], failure: ['start'] },
  USER_ERR: { category: ['authentication'], success: ['info'], failure: ['start'] },
  USER_LOGIN: { category: ['authentication', 'session'], success: ['start'], failure: ['info'] },
  USER_ACCT: { category: ['iam'], success: ['info'], failure: ['denied'] },
  USER_START: { category: ['session'], success: ['start'], failure: ['start'] },
  USER_END: { category: ['session'], success: ['end'], failure: ['end'] },
  USER_LOGOUT: { category: ['session'], success: ['end'], failure: ['end'] },
};

/** Fields whose values auditd hex-encodes (unquoted) when they hold spaces or other unsafe bytes. */
const untrustedStringFields = new Set(['acct', 'exe', 'comm', 'cmd', 'cwd', 'name', 'proctitle', 'id', 'grp', 'new_group', 'key']);

/**
 * An EXECVE record's arguments `a0`…`aN`: the kernel writes each one quoted, or hex-encoded and
 * unquoted when it holds a space, a quote or a control byte (up to 7,500 bytes before it splits an
 * argument into `aN[i]` pieces). A SYSCALL record's `a0`…`a3` are numbers in hex and stay as they are.
 */
const executionArgumentPattern = /^a\d{1,4}$/;
const argumentHexPattern = /^(?:[0-9A-F]{2}){1,7500}$/;

const keyPattern = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const hexPattern = /^(?:[0-9A-F]{2}){1,512}$/;
const maxFields = 64;

function isSeparator(code: number): boolean {
  return code === 0x20 || code === 0x1d; /* space, or the GS before ENRICHED fields */
}

/** `key=value key="quoted" key='inner record'`; words without `=` (`user`) are skipped. */
function readFields(text: string, into: Map<string, string>, execve: boolean, depth = 0): void {
  let cursor = 0;
  while (cursor < text.length && into.size < maxFields) {
    while (cursor < text.length && isSeparator(text.charCodeAt(cursor))) cursor++;
    const start = cursor;
    while (cursor < text.length && text[cursor] !== '=' && !isSeparator(text.charCodeAt(cursor))) cursor++;
    if (text[cursor] !== '=') continue;
    const key = text.slice(start, cursor);
    cursor++;
    let value: string;
    const quote = text[cursor];
    if (quote === '"' || quote === "'") {
      const close = text.indexOf(quote, cursor + 1);
      const end = close === -1 ? text.length : close;
      value = text.slice(cursor + 1, end);
      cursor = close === -1 ? text.length : close + 1;
      // `msg='op=login acct="root" ...'`: the user-space program's own fields, one level deep.
      if (quote === "'" && key === 'msg' && depth === 0) {
        readFields(value, into, execve, 1);
        continue;
      }
    } else {
      const valueStart = cursor;
      while (cursor < text.length && !isSeparator(text.charCodeAt(cursor))) cursor++;
      value = text.slice(valueStart, cursor);
      if (untrustedStringFields.has(key) && hexPattern.test(value)) value = Buffer.from(value, 'hex').toString('utf8');
      else if (execve && executionArgumentPattern.test(key) && argumentHexPattern.test(value)) value = Buffer.from(value, 'hex').toString('utf8');
    }
    if (keyPattern.test(key) && !into.has(key)) into.set(key, value);
  }
}

/** `?` and `(unknown)`-style placeholders are auditd's "no value". */
function present(value: string | undefined): string | undefined {
  if (value === undefined || value.length === 0 || value === '?' || (value.startsWith('(') && value.endsWith(')'))) return undefined;
  return value;
}

function outcomeOf(res: string | undefined): 'success' | 'failure' | undefined {
  if (res === 'success' || res === 'yes') return 'success';
  if (res === 'failed' || res === 'no') return 'failure';
  return undefined;
}

/** ECS fields of one audit record, or undefined when `message` is not one. */
export function extractAuditRecord(message: string): EcsObject | undefined {
  const header = headerPattern.exec(message);
  if (header === null) return undefined;
  const recordType = recordTypeNames[header[2]] ?? header[2];
  const body = message.slice(header[0].length);
  const fields = new Map<string, string>();
  readFields(body, fields, recordType === 'EXECVE');

  const log: EcsObject = { record_type: recordType, sequence: Number(header[5]) };
  if (header[1] !== undefined) log.node = header[1];
  for (const [key, value] of fields) log[key] = value;

  const event: EcsObject = { module: 'auditd', dataset: 'linux.auditd', kind: 'event', action: recordType.toLowerCase() };
  const outcome = outcomeOf(fields.get('res'));
  const kind = Object.prototype.hasOwnProperty.call(categorisation, recordType) ? categorisation[recordType] : undefined;
  if (kind !== undefined) {
    event.category = kind.category;
    event.type = outcome === 'failure' ? kind.failure : kind.success;
  }
  if (outcome !== undefined) event.outcome = outcome;

  const document: EcsObject = {};
  const timestamp = formatUtcTimestamp(Number(header[3]) * 1000 + Number(header[4]));
  if (timestamp !== undefined) document['@timestamp'] = timestamp;
  document.event = event;
  document.auditd = { log };
  document.message = body;
  const address = present(fields.get('addr'));
  const hostname = present(fields.get('hostname'));
  const ip = address === undefined ? undefined : normaliseIp(address);
  const hostIp = hostname === undefined ? undefined : normaliseIp(hostname);
  if (ip !== undefined) document.source = { address, ip };
  else if (hostIp !== undefined) document.source = { address: hostname, ip: hostIp };
  else if (hostname !== undefined && isHostname(hostname)) document.source = { address: hostname, domain: hostname };
  const account = present(fields.get('acct'));
  if (account !== undefined) document.user = { name: account };
  const process: EcsObject = {};
  const pid = fields.get('pid');
  if (pid !== undefined && /^\d{1,10}$/.test(pid)) process.pid = Number(pid);
  const executable = present(fields.get('exe'));
  if (executable !== undefined) {
    process.executable = executable;
    process.name = executable.slice(executable.lastIndexOf('/') + 1);
  }
  const command = present(fields.get('comm'));
  if (command !== undefined) process.name = command;
  if (Object.keys(process).length > 0) document.process = process;
  return document;
}
