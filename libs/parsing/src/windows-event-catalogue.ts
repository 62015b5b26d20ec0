/**
 * ECS categorisation of the Windows Security, System and Sysmon events that rules rely on.
 * Actions follow the names Elastic's Windows integrations use, so existing ECS content and
 * analysts' habits carry over; `user` says which EventData names the ECS `user` comes from.
 */

export type UserRole =
  /** The account logging on / being authenticated: TargetUserName, TargetDomainName. */
  | 'target'
  /** The account performing the action: SubjectUserName, SubjectDomainName. */
  | 'subject'
  /** Subject acts, target is acted upon (account management): user + user.target. */
  | 'subject-on-target'
  /** Subject uses the target's credentials explicitly (4648): user + user.effective. */
  | 'subject-as-target';

export interface WindowsEventKind {
  category: string[];
  type: string[];
  action: string;
  /** Outcome when the record itself does not say (audit success/failure keywords win). */
  outcome?: 'success' | 'failure';
  /** Outcome from the `Status` field: 0x0 success, anything else failure (Kerberos, NTLM). */
  outcomeFromStatus?: boolean;
  user?: UserRole;
}

const authentication = ['authentication'];
const iamUser = ['iam'];

export const securityEvents: Record<number, WindowsEventKind> = {
  1102: { category: ['iam'], type: ['admin', 'change'], action: 'audit-log-cleared', user: 'subject' },
  4624: { category: authentication, type: ['start'], action: 'logged-in', outcome: 'success', user: 'target' },
  4625: { category: authentication, type: ['start'], action: 'logon-failed', outcome: 'failure', user: 'target' },
  4634: { category: authentication, type: ['end'], action: 'logged-out', outcome: 'success', user: 'target' },
  4647: { category: authentication, type: ['end'], action: 'logged-out', outcome: 'success', user: 'target' },
  4648: { category: authentication, type: ['start'], action: 'logged-in-explicit', user: 'subject-as-target' },
  4672: { category: ['iam'], type: ['admin'], action: 'logged-in-special', outcome: 'success', user: 'subject' },
  4688: { category: ['process'], type: ['start'], action: 'created-process', outcome: 'success', user: 'subject' },
  4689: { category: ['process'], type: ['end'], action: 'exited-process', outcome: 'success', user: 'subject' },
  4697: { category: ['configuration'], type: ['creation'], action: 'service-installed', outcome: 'success', user: 'subject' },
  4720: { category: iamUser, type: ['user', 'creation'], action: 'added-user-account', user: 'subject-on-target' },
  4722: { category: iamUser, type: ['user', 'change'], action: 'enabled-user-account', user: 'subject-on-target' },
  4723: { category: iamUser, type: ['user', 'change'], action: 'changed-password', user: 'subject-on-target' },
  4724: { category: iamUser, type: ['user', 'change'], action: 'reset-password', user: 'subject-on-target' },
  4725: { category: iamUser, type: ['user', 'change'], action: 'disabled-user-account', user: 'subject-on-target' },
  4726: { category: iamUser, type: ['user', 'deletion'], action: 'deleted-user-account', user: 'subject-on-target' },
  4728: { category: iamUser, type: ['group', 'change'], action: 'added-member-to-group', user: 'subject' },
  4732: { category: iamUser, type: ['group', 'change'], action: 'added-member-to-group', user: 'subject' },
  4738: { category: iamUser, type: ['user', 'change'], action: 'modified-user-account', user: 'subject-on-target' },
  4740: { category: iamUser, type: ['user', 'change'], action: 'locked-out-user-account', user: 'subject-on-target' },
  4756: { category: iamUser, type: ['group', 'change'], action: 'added-member-to-group', user: 'subject' },
  4767: { category: iamUser, type: ['user', 'change'], action: 'unlocked-user-account', user: 'subject-on-target' },
  4768: { category: authentication, type: ['start'], action: 'kerberos-authentication-ticket-requested', outcomeFromStatus: true, user: 'target' },
  4769: { category: authentication, type: ['start'], action: 'kerberos-service-ticket-requested', outcomeFromStatus: true, user: 'target' },
  4770: { category: authentication, type: ['start'], action: 'kerberos-service-ticket-renewed', outcomeFromStatus: true, user: 'target' },
  4771: { category: authentication, type: ['start'], action: 'kerberos-preauth-failed', outcome: 'failure', user: 'target' },
  4776: { category: authentication, type: ['start'], action: 'credential-validated', outcomeFromStatus: true, user: 'target' },
  5140: { category: ['network', 'file'], type: ['info', 'access'], action: 'network-share-object-accessed', user: 'subject' },
  5145: { category: ['network', 'file'], type: ['info', 'access'], action: 'network-share-object-access-checked', user: 'subject' },
  5156: { category: ['network'], type: ['connection', 'allowed'], action: 'windows-firewall-connection-allowed' },
  5157: { category: ['network'], type: ['connection', 'denied'], action: 'windows-firewall-connection-blocked' },
};

export const systemEvents: Record<number, WindowsEventKind> = {
  7045: { category: ['configuration'], type: ['creation'], action: 'service-installed', outcome: 'success' },
  7036: { category: ['host'], type: ['change'], action: 'service-state-changed' },
  104: { category: ['iam'], type: ['admin', 'change'], action: 'audit-log-cleared' },
};

export const sysmonEvents: Record<number, WindowsEventKind> = {
  1: { category: ['process'], type: ['start'], action: 'process-created' },
  2: { category: ['file'], type: ['change'], action: 'file-creation-time-changed' },
  3: { category: ['network'], type: ['connection', 'start'], action: 'network-connection' },
  5: { category: ['process'], type: ['end'], action: 'process-terminated' },
  6: { category: ['driver'], type: ['start'], action: 'driver-loaded' },
  7: { category: ['process'], type: ['change'], action: 'image-loaded' },
  8: { category: ['process'], type: ['change'], action: 'create-remote-thread' },
  9: { category: ['process'], type: ['access'], action: 'raw-access-read' },
  10: { category: ['process'], type: ['access'], action: 'process-access' },
  11: { category: ['file'], type: ['creation'], action: 'file-created' },
  12: { category: ['registry'], type: ['change'], action: 'registry-object-added-or-deleted' },
  13: { category: ['registry'], type: ['change'], action: 'registry-value-set' },
  14: { category: ['registry'], type: ['change'], action: 'registry-object-renamed' },
  15: { category: ['file'], type: ['creation'], action: 'file-stream-created' },
  17: { category: ['file'], type: ['creation'], action: 'pipe-created' },
  18: { category: ['file'], type: ['access'], action: 'pipe-connected' },
  22: { category: ['network'], type: ['protocol', 'info'], action: 'dns-query' },
  23: { category: ['file'], type: ['deletion'], action: 'file-deleted' },
  25: { category: ['process'], type: ['change'], action: 'process-tampering' },
  26: { category: ['file'], type: ['deletion'], action: 'file-delete-detected' },
};

/** NTSTATUS codes of failed logons (4625 Status/SubStatus, 4771/4776) as `event.reason`. */
export const logonFailureReasons: Record<string, string> = {
  '0xc000006a': 'wrong password',
  '0xc0000064': 'unknown user name',
  '0xc000006d': 'bad user name or authentication information',
  '0xc000006e': 'account restriction',
  '0xc000006f': 'logon outside authorised hours',
  '0xc0000070': 'workstation restriction',
  '0xc0000071': 'password expired',
  '0xc0000072': 'account disabled',
  '0xc0000133': 'clock skew between client and domain controller',
  '0xc000015b': 'logon type not granted',
  '0xc0000193': 'account expired',
  '0xc0000224': 'password must change',
  '0xc0000234': 'account locked out',
  '0x18': 'Kerberos pre-authentication failed (wrong password)',
  '0x6': 'Kerberos client not found (unknown user name)',
  '0x12': 'Kerberos client revoked (disabled, expired or locked out)',
  '0x17': 'Kerberos password expired',
  '0x25': 'Kerberos clock skew too great',
};
