import type { Logsource } from './rule.schema';

/**
 * Which Sigma log sources the collector can receive at all. It takes Windows event log channels
 * (NXLog, Winlogbeat or EVTX-as-JSON records), syslog (Linux hosts, their services and auditd), web
 * server access and error logs, proxy, firewall and DNS logs. A rule for anything else cannot
 * match an event we have, so it is rejected as "not receivable" with the reason below and left out
 * of the import goal's denominator (libs/sigma/SIGMA-IMPORT.md). A log source the engine accepts
 * (logsource-filter.ts) is receivable whatever this table says.
 */

const cloudApi = (what: string): string => `${what} is read from a cloud or SaaS API, and the collector has no input that polls one`;
const applicationLog = (what: string): string => `${what} is an application's own log, which no parser gives a dataset`;
const deviceLog = (what: string): string => `${what} has no parser in libs/parsing, so its events get no dataset a rule could select`;
const etwOnly =
  'its events come from the ETW provider Microsoft-Windows-Kernel-File (Sigma taxonomy), which no Windows event log channel carries; the collector reads event log channels';

/** Keyed `product/service/category` (exact), then `product` alone, then `/category`. */
const notReceivable: Readonly<Record<string, string>> = {
  'windows//file_access': etwOnly,
  'windows//file_rename': etwOnly,
  macos: 'macOS endpoint telemetry (Endpoint Security, unified log), and the collector has no macOS input',
  aws: cloudApi('AWS CloudTrail'),
  azure: cloudApi('Azure (Entra ID sign-in, audit, activity, PIM, risk detection)'),
  gcp: cloudApi('Google Cloud audit and Google Workspace'),
  m365: cloudApi('Microsoft 365 (unified audit log, Defender)'),
  okta: cloudApi('Okta'),
  onelogin: cloudApi('OneLogin'),
  github: cloudApi("GitHub's audit log"),
  bitbucket: cloudApi("Bitbucket's audit log"),
  'cisco/duo/': cloudApi('Cisco Duo'),
  kubernetes: "Kubernetes' API server audit log is shipped by its own webhook or file, and the collector has no Kubernetes input",
  zeek: 'Zeek writes its own TSV/JSON logs, and the collector has no Zeek input',
  opencanary: applicationLog('OpenCanary'),
  rpc_firewall: applicationLog('RPC Firewall'),
  jvm: applicationLog('A JVM application'),
  spring: applicationLog('A Spring application'),
  django: applicationLog('A Django application'),
  python: applicationLog('A Python application'),
  ruby_on_rails: applicationLog('A Ruby on Rails application'),
  nodejs: applicationLog('A Node.js application'),
  velocity: applicationLog('A Velocity template engine'),
  sql: applicationLog('A database server'),
  '/database': applicationLog('A database server'),
  '/antivirus': 'antivirus detections come in each vendor’s own format, and no parser gives them a dataset',
  // cisco/aaa, syslog, bgp and ldp are read from IOS syslog (libs/parsing cisco-ios.ts) and accepted.
  cisco: 'this Cisco log source is not one of the IOS syslog streams the collector parses (aaa, syslog, bgp, ldp)',
  huawei: deviceLog('Huawei VRP'),
  juniper: deviceLog('Juniper Junos'),
  fortigate: deviceLog('FortiGate'),
  fortios: deviceLog('FortiOS'),
  paloalto: deviceLog('PAN-OS / GlobalProtect'),
};

/** Why the collector cannot receive this log source, or undefined when it can. */
export function notReceivableReason(logsource: Logsource): string | undefined {
  const product = logsource.product ?? '';
  return (
    notReceivable[`${product}/${logsource.service ?? ''}/${logsource.category ?? ''}`] ??
    (product === '' ? notReceivable[`/${logsource.category ?? ''}`] : notReceivable[product])
  );
}

/** The table, for documentation: each key and its reason. */
export const notReceivableLogsources: Readonly<Record<string, string>> = notReceivable;
