import { extractAccountManagementMessage } from './account-management-message';
import { extractCiscoIosMessage, extractCiscoIosText, isCiscoIosTag } from './cisco-ios';
import { extractAuditRecord } from './audit-record';
import { extractDrupalWatchdog, looksLikeDrupalWatchdog } from './drupal-watchdog';
import { lookup, type EcsObject } from './ecs-fields';
import { extractPamMessage, isPamMessage } from './pam-message';
import { extractSshdMessage } from './sshd-message';
import { extractSuMessage } from './su-message';
import { extractSudoMessage } from './sudo-message';
import { extractSysmonLinuxEvent, looksLikeSysmonLinuxEvent } from './sysmon-linux';
import { extractWebServerMessage } from './web-server-message';

export interface ProgramMessageOptions {
  /** Zone of local timestamps inside messages (web-server error logs). */
  timeZone: string;
  /** Syslog facility code of the line, when known: auth and authpriv mark authentication logs. */
  facility?: number;
}

type Extractor = (message: string) => EcsObject | undefined;

/**
 * Linux programs by syslog tag (lower case): the dataset their lines belong to (the log sources
 * of libs/sigma's FIELD-MAPPING.md) and, where we understand their messages, an extractor.
 */
const linuxPrograms: Record<string, { dataset: string; extract?: Extractor }> = {
  sshd: { dataset: 'linux.sshd', extract: extractSshdMessage },
  'sshd-session': { dataset: 'linux.sshd', extract: extractSshdMessage },
  sudo: { dataset: 'linux.sudo', extract: extractSudoMessage },
  su: { dataset: 'linux.auth', extract: extractSuMessage },
  useradd: { dataset: 'linux.auth', extract: (message) => extractAccountManagementMessage(message) },
  groupadd: { dataset: 'linux.auth', extract: (message) => extractAccountManagementMessage(message) },
  cron: { dataset: 'linux.cron' },
  crond: { dataset: 'linux.cron' },
  anacron: { dataset: 'linux.cron' },
  vsftpd: { dataset: 'linux.vsftpd' },
  // ClamAV's daemon, updater, milter and on-access scanner (LogSyslog), Apache Guacamole's proxy daemon.
  clamd: { dataset: 'linux.clamav' },
  freshclam: { dataset: 'linux.clamav' },
  'clamav-milter': { dataset: 'linux.clamav' },
  clamonacc: { dataset: 'linux.clamav' },
  guacd: { dataset: 'linux.guacamole' },
};

/** Other programs that write to auth.log / secure. */
const authPrograms = new Set([
  'login',
  'passwd',
  'chpasswd',
  'chage',
  'chsh',
  'chfn',
  'usermod',
  'userdel',
  'groupmod',
  'groupdel',
  'gpasswd',
  'newgrp',
  'systemd-logind',
  'polkitd',
  'pkexec',
  'runuser',
  'doas',
  'unix_chkpwd',
]);

const authFacilities = new Set([4 /* auth */, 10 /* authpriv */]);

function datasetOf(name: string | undefined, facility: number | undefined): string {
  const known = name === undefined ? undefined : lookup(linuxPrograms, name);
  if (known !== undefined) return known.dataset;
  if ((name !== undefined && authPrograms.has(name)) || (facility !== undefined && authFacilities.has(facility))) return 'linux.auth';
  return 'linux.syslog';
}

/**
 * Linux-PAM before 0.99.2 tagged module messages with the program and the module:
 * `sshd(pam_unix)[4920]: authentication failure; ... rhost=...` (RHEL 4, SLES 9 and their peers).
 */
const legacyPamTagPattern = /^([A-Za-z0-9_.-]+)\((pam_[A-Za-z0-9_]+)\)$/;

/**
 * The second stage after syslog parsing: given the program (syslog tag / APP-NAME) and its
 * message, returns the ECS fields the message carries. Every line gets `event.module` and
 * `event.dataset` (the Sigma engine selects rules by dataset): web servers' lines their
 * `apache.*`/`nginx.*` datasets, audit records `linux.auditd`, Sysmon for Linux's events
 * `linux.sysmon`, Drupal's watchdog `linux.drupal`, Cisco IOS messages `cisco.ios` / `cisco.aaa`,
 * PAM module messages `linux.pam`, known programs theirs, the
 * auth facility `linux.auth`, anything else `linux.syslog` (appliances included: their program
 * names cannot be told apart from a Linux host's).
 */
export function extractProgramMessage(program: string | undefined, message: string, options: ProgramMessageOptions): EcsObject {
  // A Cisco IOS message's `%FACILITY-SEVERITY-MNEMONIC` stands where a program's tag would.
  if (isCiscoIosTag(program)) return extractCiscoIosMessage(program as string, message) ?? {};
  const cisco = extractCiscoIosText(message);
  if (cisco !== undefined) return cisco;
  const name = program?.toLowerCase();
  if (name !== undefined && name.includes('nginx')) return extractWebServerMessage('nginx', message, options);
  if (name !== undefined && (name.includes('apache') || name.includes('httpd'))) return extractWebServerMessage('apache', message, options);
  // Audit records (audisp-syslog, the kernel's `audit:` lines), Sysmon for Linux's XML events and
  // Drupal's watchdog are told by their shape: their tags are configurable (Drupal's is the site's name).
  if (looksLikeSysmonLinuxEvent(message)) {
    const sysmon = extractSysmonLinuxEvent(message);
    if (sysmon !== undefined) return sysmon;
  }
  const audit = extractAuditRecord(message);
  if (audit !== undefined) return audit;
  if (looksLikeDrupalWatchdog(message)) {
    const drupal = extractDrupalWatchdog(message);
    if (drupal !== undefined) return drupal;
  }
  if (isPamMessage(message)) return extractPamMessage(message) ?? {};
  const legacyPam = program === undefined ? null : legacyPamTagPattern.exec(program);
  if (legacyPam !== null) return extractPamMessage(`${legacyPam[2]}(${legacyPam[1]}): ${message}`) ?? {};
  const dataset = datasetOf(name, options.facility);
  const extract = name === undefined ? undefined : lookup(linuxPrograms, name)?.extract;
  const extracted = extract?.(message);
  if (extracted !== undefined) return extracted;
  return { event: { module: 'linux', dataset } };
}
