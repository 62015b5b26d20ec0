import { windowsChannelDataset } from '@soc/parsing';
import { resolveField, type LogsourceFamily } from './field-mapping';
import type { FieldReader, FieldReaders } from './match-context';
import { notReceivableReason } from './receivable-logsources';
import type { Logsource } from './rule.schema';

/**
 * What a Sigma `logsource` means in our events. Parsers stamp every event with `event.dataset`
 * (`<family>.<source>`, see FIELD-MAPPING.md); a rule's log source becomes the set of datasets it
 * can match, plus, for Windows categories, the EventIDs the category stands for. The rule index
 * groups rules by dataset, so an event only ever meets the rules of its own log source.
 */
export interface LogsourceTarget {
  family: LogsourceFamily;
  /** Exact datasets, or every dataset of the family when the rule names only the product. */
  datasets: readonly string[] | 'family';
  /** Windows categories: the rule only sees events with one of these `event.code` values. */
  eventCodes?: readonly string[];
  /**
   * Categories narrower than their EventIDs: event data fields (Sigma names, read through the
   * family's field mapping) and the values one of which each must hold exactly. Sysmon's EventID 12
   * is both registry_add (EventType CreateKey) and registry_delete (DeleteKey, DeleteValue).
   */
  eventData?: Readonly<Record<string, readonly string[]>>;
}

const windowsChannels = (...channels: string[]): LogsourceTarget => ({ family: 'windows', datasets: channels.map(windowsChannelDataset) });
const sysmonDataset = windowsChannelDataset('Microsoft-Windows-Sysmon/Operational');
const sysmon = (...eventCodes: string[]): LogsourceTarget => ({ family: 'windows', datasets: [sysmonDataset], eventCodes });
const sysmonOfType = (eventCode: string, ...eventTypes: string[]): LogsourceTarget => ({ ...sysmon(eventCode), eventData: { EventType: eventTypes } });
/** PowerShell 5 writes to Microsoft-Windows-PowerShell/Operational, PowerShell 7 (Core) to PowerShellCore/Operational. */
const powershellChannels = ['Microsoft-Windows-PowerShell/Operational', 'PowerShellCore/Operational'];
const powershell = (eventCode: string): LogsourceTarget => ({ ...windowsChannels(...powershellChannels), eventCodes: [eventCode] });
const powershellClassic = (eventCode: string): LogsourceTarget => ({ ...windowsChannels('Windows PowerShell'), eventCodes: [eventCode] });

/**
 * Windows `service:` log sources and the event log channels they read, as Sigma's taxonomy
 * (sigma-specification, appendix "Windows Folder / Service") and pySigma's
 * windows_logsource_mapping give them.
 */
const windowsServiceChannels: Readonly<Record<string, readonly string[]>> = {
  security: ['Security'],
  system: ['System'],
  application: ['Application'],
  sysmon: ['Microsoft-Windows-Sysmon/Operational'],
  powershell: powershellChannels,
  'powershell-classic': ['Windows PowerShell'],
  ntlm: ['Microsoft-Windows-NTLM/Operational'],
  'application-experience': [
    'Microsoft-Windows-Application-Experience/Program-Telemetry',
    'Microsoft-Windows-Application-Experience/Program-Compatibility-Assistant',
  ],
  applocker: [
    'Microsoft-Windows-AppLocker/MSI and Script',
    'Microsoft-Windows-AppLocker/EXE and DLL',
    'Microsoft-Windows-AppLocker/Packaged app-Deployment',
    'Microsoft-Windows-AppLocker/Packaged app-Execution',
  ],
  'appmodel-runtime': ['Microsoft-Windows-AppModel-Runtime/Admin'],
  'appxdeployment-server': ['Microsoft-Windows-AppXDeploymentServer/Operational'],
  'appxpackaging-om': ['Microsoft-Windows-AppxPackaging/Operational'],
  bitlocker: ['Microsoft-Windows-BitLocker/BitLocker Management'],
  'bits-client': ['Microsoft-Windows-Bits-Client/Operational'],
  capi2: ['Microsoft-Windows-CAPI2/Operational'],
  'certificateservicesclient-lifecycle-system': ['Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational'],
  'codeintegrity-operational': ['Microsoft-Windows-CodeIntegrity/Operational'],
  dhcp: ['Microsoft-Windows-DHCP-Server/Operational'],
  'diagnosis-scripted': ['Microsoft-Windows-Diagnosis-Scripted/Operational'],
  'dns-client': ['Microsoft-Windows-DNS Client Events/Operational'],
  'dns-server': ['DNS Server'],
  'dns-server-analytic': ['Microsoft-Windows-DNS-Server/Analytical'],
  'dns-server-audit': ['Microsoft-Windows-DNS-Server/Audit'],
  'driver-framework': ['Microsoft-Windows-DriverFrameworks-UserMode/Operational'],
  'firewall-as': ['Microsoft-Windows-Windows Firewall With Advanced Security/Firewall'],
  'hyper-v-worker': ['Microsoft-Windows-Hyper-V-Worker'],
  'iis-configuration': ['Microsoft-IIS-Configuration/Operational'],
  'kernel-event-tracing': ['Microsoft-Windows-Kernel-EventTracing'],
  ldap: ['Microsoft-Windows-LDAP-Client/Debug'],
  ldap_debug: ['Microsoft-Windows-LDAP-Client/Debug'],
  'lsa-server': ['Microsoft-Windows-LSA/Operational'],
  'msexchange-management': ['MSExchange Management'],
  ntfs: ['Microsoft-Windows-Ntfs/Operational'],
  openssh: ['OpenSSH/Operational'],
  'printservice-admin': ['Microsoft-Windows-PrintService/Admin'],
  'printservice-operational': ['Microsoft-Windows-PrintService/Operational'],
  'security-mitigations': ['Microsoft-Windows-Security-Mitigations/Kernel Mode', 'Microsoft-Windows-Security-Mitigations/User Mode'],
  sense: ['Microsoft-Windows-SENSE/Operational'],
  // The taxonomy's servicebus-client; SigmaHQ's rule still says microsoft-servicebus-client (pySigma: Microsoft-ServiceBus-Client).
  'servicebus-client': ['Microsoft-ServiceBus-Client/Operational', 'Microsoft-ServiceBus-Client/Admin'],
  'microsoft-servicebus-client': ['Microsoft-ServiceBus-Client', 'Microsoft-ServiceBus-Client/Operational', 'Microsoft-ServiceBus-Client/Admin'],
  'shell-core': ['Microsoft-Windows-Shell-Core/Operational'],
  'smbclient-security': ['Microsoft-Windows-SmbClient/Security'],
  // Not in the taxonomy's table: the SMB client's and server's Connectivity channels the two rules' EventIDs (30803/30804/30806, 4000) are written to.
  'smbclient-connectivity': ['Microsoft-Windows-SmbClient/Connectivity'],
  'smbserver-connectivity': ['Microsoft-Windows-SMBServer/Connectivity'],
  taskscheduler: ['Microsoft-Windows-TaskScheduler/Operational'],
  'terminalservices-localsessionmanager': ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational'],
  vhdmp: ['Microsoft-Windows-VHDMP/Operational'],
  windefend: ['Microsoft-Windows-Windows Defender/Operational'],
  wmi: ['Microsoft-Windows-WMI-Activity/Operational'],
};

/**
 * Windows `category:` log sources: Sysmon's event types (the taxonomy's "Windows Folder /
 * Category" and pySigma's Sysmon pipeline) and the PowerShell logs' script block, module and
 * engine events.
 */
const windowsCategories: Readonly<Record<string, LogsourceTarget>> = {
  process_creation: sysmon('1'),
  file_change: sysmon('2'),
  network_connection: sysmon('3'),
  sysmon_status: sysmon('4', '16'),
  process_termination: sysmon('5'),
  driver_load: sysmon('6'),
  image_load: sysmon('7'),
  create_remote_thread: sysmon('8'),
  raw_access_thread: sysmon('9'),
  process_access: sysmon('10'),
  file_event: sysmon('11'),
  registry_event: sysmon('12', '13', '14'),
  registry_add: sysmonOfType('12', 'CreateKey'),
  registry_delete: sysmonOfType('12', 'DeleteKey', 'DeleteValue'),
  registry_set: sysmon('13'),
  registry_rename: sysmon('14'),
  create_stream_hash: sysmon('15'),
  pipe_created: sysmon('17', '18'),
  wmi_event: sysmon('19', '20', '21'),
  dns_query: sysmon('22'),
  // Sysmon writes a deletion as 23 (file archived) or 26 (only logged), as its configuration says.
  file_delete: sysmon('23', '26'),
  clipboard_capture: sysmon('24'),
  process_tampering: sysmon('25'),
  file_delete_detected: sysmon('26'),
  file_block_executable: sysmon('27'),
  file_block_shredding: sysmon('28'),
  file_executable_detected: sysmon('29'),
  sysmon_error: sysmon('255'),
  ps_module: powershell('4103'),
  ps_script: powershell('4104'),
  ps_classic_start: powershellClassic('400'),
  ps_classic_provider_start: powershellClassic('600'),
  ps_classic_script: powershellClassic('800'),
};

const linuxSysmon = (eventCode: string): LogsourceTarget => ({ family: 'linux_sysmon', datasets: ['linux.sysmon'], eventCodes: [eventCode] });

/**
 * Linux log sources beyond the auth log (FIELD-MAPPING.md §1): Sysmon for Linux's categories (its
 * events arrive as XML in syslog, libs/parsing sysmon-linux.ts), auditd's records (auditd's file,
 * audisp-syslog, the kernel's `audit:` lines) and the services SigmaHQ's builtin rules name by
 * their syslog program. All are receivable: the collector parses them from syslog or files.
 */
export const linuxEndpointLogsources: Readonly<Record<string, LogsourceTarget>> = {
  'linux//process_creation': linuxSysmon('1'),
  'linux//network_connection': linuxSysmon('3'),
  'linux//file_event': linuxSysmon('11'),
  'linux/auditd/': { family: 'linux_auditd', datasets: ['linux.auditd'] },
  'linux/clamav/': { family: 'linux', datasets: ['linux.clamav'] },
  'linux/guacamole/': { family: 'linux', datasets: ['linux.guacamole'] },
};

/**
 * Cisco IOS / IOS XE syslog (libs/parsing cisco-ios.ts): `cisco.aaa` holds the archive
 * configuration logger's command lines (`%PARSER-5-CFGLOG_LOGGEDCMD`, the lines SigmaHQ's `cisco/aaa`
 * rules and their regression sample are), `cisco.ios` every other message. IOS has one syslog
 * stream: its BGP and LDP messages are told by their codes and text, which the `cisco/bgp` and
 * `cisco/ldp` rules name themselves (`IP-TCP-3-BADAUTH` with `:179`), so those read the whole stream.
 */
const ciscoSyslog = ['cisco.ios', 'cisco.aaa'];
export const ciscoLogsources: Readonly<Record<string, LogsourceTarget>> = {
  'cisco/aaa/': { family: 'cisco', datasets: ['cisco.aaa'] },
  'cisco/syslog/': { family: 'cisco', datasets: ciscoSyslog },
  'cisco/bgp/': { family: 'cisco', datasets: ciscoSyslog },
  'cisco/ldp/': { family: 'cisco', datasets: ciscoSyslog },
};

/** Keyed `product/service/category`; the datasets are those the parsers in libs/parsing emit. */
const supported: Readonly<Record<string, LogsourceTarget>> = {
  'linux//': { family: 'linux', datasets: 'family' },
  // Everything a Linux host writes to auth.log / secure.
  'linux/auth/': { family: 'linux', datasets: ['linux.auth', 'linux.sshd', 'linux.sudo', 'linux.pam'] },
  'linux/sshd/': { family: 'linux', datasets: ['linux.sshd'] },
  'linux/sudo/': { family: 'linux', datasets: ['linux.sudo'] },
  'linux/vsftpd/': { family: 'linux', datasets: ['linux.vsftpd'] },
  'linux/cron/': { family: 'linux', datasets: ['linux.cron'] },
  'linux/syslog/': { family: 'linux', datasets: ['linux.syslog'] },
  ...linuxEndpointLogsources,
  'windows//': { family: 'windows', datasets: 'family' },
  ...Object.fromEntries(Object.entries(windowsServiceChannels).map(([service, channels]) => [`windows/${service}/`, windowsChannels(...channels)])),
  ...Object.fromEntries(Object.entries(windowsCategories).map(([category, target]) => [`windows//${category}`, target])),
  '//webserver': { family: 'web', datasets: ['apache.access', 'nginx.access', 'iis.access'] },
  // A web server's error log, as SigmaHQ names it (`service: apache` / `service: nginx`, no product).
  '/apache/': { family: 'web', datasets: ['apache.error'] },
  '/nginx/': { family: 'web', datasets: ['nginx.error'] },
  '//proxy': { family: 'web', datasets: ['proxy.access', 'squid.access'] },
  '//firewall': { family: 'firewall', datasets: ['firewall.traffic'] },
  '//dns': { family: 'dns', datasets: ['dns.query'] },
  ...ciscoLogsources,
};

/** Every log source we accept, for documentation and the import report. */
export const supportedLogsources: readonly string[] = Object.keys(supported).map(describeKey);

export function resolveLogsource(logsource: Logsource): { target: LogsourceTarget } | { error: string } {
  const key = `${logsource.product ?? ''}/${logsource.service ?? ''}/${logsource.category ?? ''}`;
  const target = supported[key];
  if (target) return { target };
  const notReceivable = notReceivableReason(logsource);
  if (notReceivable !== undefined) return { error: `logsource ${describeKey(key)} is not receivable: ${notReceivable}` };
  return { error: `unsupported logsource ${describeKey(key)}` };
}

/**
 * The target's event data condition (LogsourceTarget.eventData) as one test per field: the field's
 * value must be one of the listed values, exactly. Empty when the target has none.
 */
export function eventDataConditions(target: LogsourceTarget, readers: FieldReaders): { reader: FieldReader; values: ReadonlySet<string> }[] {
  return Object.entries(target.eventData ?? {}).map(([field, values]) => {
    const resolved = resolveField(target.family, field);
    if ('error' in resolved) throw new Error(`logsource table: ${resolved.error}`);
    return { reader: readers.get(resolved.paths), values: new Set(values) };
  });
}

/** Whether an event of this dataset belongs to the target's log source. */
export function acceptsDataset(target: LogsourceTarget, dataset: string): boolean {
  if (target.datasets === 'family') return dataset.startsWith(`${target.family}.`);
  return target.datasets.includes(dataset);
}

function describeKey(key: string): string {
  const [product, service, category] = key.split('/');
  const parts = [product && `product=${product}`, service && `service=${service}`, category && `category=${category}`].filter(Boolean);
  return `(${parts.join(' ')})`;
}
